"""The photo appendix: photos grouped by item number, each printed once, upright and print-sized."""
import io
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PIL import Image, ImageOps

from miniapp_backend.packets.layout import Figure, FigureRow, PrintImage, Text, TextStyle

# About 300 dpi across the 80 mm a photo gets on the page: sharp in print, small in the file.
PRINT_LONG_EDGE = 1000
# JPEG's draft decoding lands near the print size; within this much, resampling gains nothing.
RESIZE_SLACK = 1.1
JPEG_QUALITY = 82
# Names the print derivative in a cache: change it whenever print_image changes its output.
PRINT_VARIANT = f"print{PRINT_LONG_EDGE}q{JPEG_QUALITY}"
PER_ROW = 2
MEDIA_SLOT = "media"
MEDIA_TITLE = "其他影像资料"
APPENDIX_TITLE = "影像资料"
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class Group:
    """The photos of one item (or of the general media slot)."""

    slot: str
    title: str
    shas: tuple[str, ...]


@dataclass(frozen=True)
class Appendix:
    """Numbered figures per slot, and the blocks that print them."""

    numbers: dict  # slot → (figure number, …)
    first_use: dict  # sha256 → figure number
    blocks: tuple


def print_image(data):
    """Decode, turn upright by EXIF, flatten onto white, shrink to print size, encode as JPEG."""
    image = Image.open(io.BytesIO(data))
    # JPEG can decode at 1/2, 1/4, 1/8 scale directly: a 12 MP phone photo decodes at 1/4,
    # sixteen times less work and memory. draft keeps at least the size asked for.
    scale = min(1.0, PRINT_LONG_EDGE / max(image.size))
    image.draft("RGB", (round(image.width * scale), round(image.height * scale)))
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, WHITE)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    else:
        image = image.convert("RGB")
    if max(image.size) > PRINT_LONG_EDGE * RESIZE_SLACK:
        image.thumbnail((PRINT_LONG_EDGE, PRINT_LONG_EDGE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return PrintImage(out.getvalue(), image.width, image.height)


def groups(source):
    """Photo groups in print order: checklist items by number, then the general media slot."""
    checklists = [t for t in source.templates if t.items]
    result = []
    for template in checklists:
        prefix = f"{template.title} " if len(checklists) > 1 else ""
        for item in template.items:
            slot = f"{template.code}:{item.key}"
            shas = _photos(source, slot)
            if shas:
                result.append(Group(slot, f"{prefix}第{item.no}项　{item.category}", shas))
    media = _photos(source, MEDIA_SLOT)
    if media:
        result.append(Group(MEDIA_SLOT, MEDIA_TITLE, media))
    return result


def _photos(source, slot):
    """The photos (not PDFs) of a slot that the packet has files for."""
    return tuple(sha for sha in source.evidence.get(slot, ())
                 if sha in source.files and not source.files[sha].is_pdf)


def _item_label(group):
    """“第5项” (or the media title) for captions and references."""
    return group.title.split("　")[0].split(" ")[-1]


def _cached_print_image(source, sha):
    """The print-size photo from the source's cache, made (and cached) when missing."""
    cache, key = source.print_cache, f"{sha}-{PRINT_VARIANT}"
    data = cache.get(key) if cache is not None else None
    if data is not None:
        with Image.open(io.BytesIO(data)) as header:
            return PrintImage(data, header.width, header.height)
    image = print_image(source.files[sha].load())
    if cache is not None:
        cache.put(key, image.data)
    return image


def _print_images(source, shas):
    """{sha256: PrintImage}; Pillow decodes outside the GIL, so photos are prepared in parallel."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        images = pool.map(lambda sha: _cached_print_image(source, sha), shas)
        return dict(zip(shas, images))


def build_appendix(source):
    """Number every photo at its first use, caption it with every item it serves."""
    found = groups(source)
    numbers, first_use, users = {}, {}, {}
    for group in found:
        for sha in group.shas:
            first_use.setdefault(sha, len(first_use) + 1)
            users.setdefault(sha, []).append(_item_label(group))
        numbers[group.slot] = tuple(first_use[sha] for sha in group.shas)
    images = _print_images(source, list(first_use))
    blocks, printed = [], set()
    for group in found:
        blocks.append(Text(group.title, TextStyle.HEADING))
        figures, seen = [], []
        for sha in group.shas:
            if sha in printed:
                seen.append(f"图{first_use[sha]}")
                continue
            printed.add(sha)
            caption = f"图{first_use[sha]}　" + "、".join(dict.fromkeys(users[sha]))
            figures.append(Figure(first_use[sha], images[sha], caption))
        if seen:
            blocks.append(Text(f"本项照片另见{'、'.join(seen)}（已在前文印出，不重复打印）。", TextStyle.NOTE))
        blocks += [FigureRow(tuple(figures[i:i + PER_ROW])) for i in range(0, len(figures), PER_ROW)]
    if blocks:
        blocks.insert(0, Text(APPENDIX_TITLE, TextStyle.TITLE))
    return Appendix(numbers, first_use, tuple(blocks))
