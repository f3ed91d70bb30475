"""The photo appendix: photos grouped by item number, each printed once, upright and print-sized."""
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from miniapp_backend.packets.layout import Figure, FigureRow, Text, TextStyle
from miniapp_backend.packets.print_copies import cached_print_image

PER_ROW = 2
MEDIA_SLOT = "media"
MEDIA_TITLE = "其他影像资料"
APPENDIX_TITLE = "影像资料"


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


def print_copy(source, sha):
    """The print-size copy of one of the source's photos (kept in its cache, if it has one)."""
    return cached_print_image(source.print_cache, sha, source.files[sha].load)


def _print_images(source, shas):
    """{sha256: PrintImage}; Pillow decodes outside the GIL, so photos are prepared in parallel."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        images = pool.map(lambda sha: print_copy(source, sha), shas)
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
        # The heading is kept with what follows it: the photos, then the note on photos printed before.
        blocks += [FigureRow(tuple(figures[i:i + PER_ROW])) for i in range(0, len(figures), PER_ROW)]
        if seen:
            blocks.append(Text(f"本项照片另见{'、'.join(seen)}（已在前文印出，不重复打印）。", TextStyle.NOTE))
    if blocks:
        blocks.insert(0, Text(APPENDIX_TITLE, TextStyle.TITLE))
    return Appendix(numbers, first_use, tuple(blocks))
