"""Print-size copies of photos: made once where a photo arrives, read by every packet.

A phone photo is 12 megapixels; a packet prints it 80 mm wide. The mini-program upload and the
chat download job derive the print copy while the photo is at hand, so a packet job reads small
JPEGs and never decodes an original. A copy that is missing (a photo stored before copies were
made on arrival, a cache cleared) is derived and kept by the first packet that needs it; the copy
depends only on the stored bytes, so either way a packet prints the same.
"""
import io
from pathlib import Path

from PIL import Image, ImageOps

from miniapp_backend.packets.layout import PrintImage
from miniapp_backend.storage import write_atomically

# About 300 dpi across the 80 mm a photo gets on the page: sharp in print, small in the file.
PRINT_LONG_EDGE = 1000
# JPEG's draft decoding lands near the print size; within this much, resampling gains nothing.
RESIZE_SLACK = 1.1
JPEG_QUALITY = 82
# Names the print copy in the cache: change it whenever print_image changes its output.
PRINT_VARIANT = f"print{PRINT_LONG_EDGE}q{JPEG_QUALITY}"
WHITE = (255, 255, 255)
# What Pillow raises for bytes it cannot decode as an image.
UNDECODABLE = (OSError, EOFError, ValueError, SyntaxError, Image.DecompressionBombError)


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


def print_key(sha256):
    """The cache key of a stored photo's print copy."""
    return f"{sha256}-{PRINT_VARIANT}"


class PrintCache:
    """Print copies kept beside the file store, under <store>/print/."""

    def __init__(self, filestore):
        """Cache under <store>/print/."""
        self.root = Path(filestore.root) / "print"

    def _path(self, key):
        """Where a cached copy lives."""
        return self.root / key[:2] / key

    def get(self, key):
        """The cached bytes, or None."""
        path = self._path(key)
        return path.read_bytes() if path.exists() else None

    def put(self, key, data):
        """Keep a copy (atomically: readers never see half a file)."""
        write_atomically(self._path(key), data)


def cached_print_image(cache, sha256, load):
    """The print copy of a stored photo: from `cache` (get/put; None for none), or derived from
    `load()` and kept."""
    data = cache.get(print_key(sha256)) if cache is not None else None
    if data is not None:
        with Image.open(io.BytesIO(data)) as header:
            return PrintImage(data, header.width, header.height)
    image = print_image(load())
    if cache is not None:
        cache.put(print_key(sha256), image.data)
    return image


def keep_print_copy(cache, sha256, image):
    """Keep the print copy made where a photo arrived, unless one is kept already."""
    if cache.get(print_key(sha256)) is None:
        cache.put(print_key(sha256), image.data)
