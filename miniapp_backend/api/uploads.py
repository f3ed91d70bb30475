"""Checking uploaded files by their content: photos (JPEG/PNG/WebP) and PDF scans.

A photo is decoded under a pixel limit (decompression bombs refused), its capture time and GPS
position read from EXIF for reviewers, then re-encoded upright as JPEG, which drops EXIF, with its
print-size copy for packets and a thumbnail made from that. A PDF is parsed, must not be
encrypted or truncated, and has a page limit.
"""
import datetime as dt
import io
import math
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from miniapp_backend.api.errors import ApiError
from miniapp_backend.clock import SHANGHAI
from miniapp_backend.packets.layout import PrintImage
from miniapp_backend.packets.print_copies import print_image

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PDF_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_BYTES = MAX_PDF_BYTES + 64 * 1024  # the whole multipart request, form fields included
MAX_PIXELS = 50_000_000  # a 50-megapixel photo; phones' default output is far below
MAX_PDF_PAGES = 20
PHOTO_FORMATS = ("JPEG", "PNG", "WEBP")
STORED_SIDE, THUMB_SIDE = 4096, 360  # longest side of the kept photo and of its thumbnail
JPEG_QUALITY = 85
PDF_MAGIC, PDF_END, PDF_TAIL = b"%PDF-", b"%%EOF", 2048
PHOTO_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # JPEG, PNG; WebP is RIFF....WEBP
JPEG_MIME, PDF_MIME = "image/jpeg", "application/pdf"
# EXIF tags: the Exif and GPS sub-IFDs, capture times, GPS latitude/longitude and their N/S E/W.
EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATETIME_ORIGINAL, DATETIME, OFFSET_ORIGINAL = 0x9003, 0x0132, 0x9011
GPS_LAT_REF, GPS_LAT, GPS_LNG_REF, GPS_LNG = 1, 2, 3, 4
EXIF_TIME = "%Y:%m:%d %H:%M:%S"

# Pillow refuses (DecompressionBombError) past twice this and warns past it; the warning is
# made an error below, and the size is checked from the header before any pixel is decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Photo:
    """A checked photo: the re-encoded JPEG, its print copy and thumbnail, what EXIF said (private)."""

    data: bytes
    print_copy: PrintImage
    thumbnail: bytes
    width: int
    height: int
    taken_at: dt.datetime | None
    gps_lat: float | None
    gps_lng: float | None


@dataclass(frozen=True)
class Scan:
    """A checked PDF and its page count."""

    data: bytes
    pages: int


def refuse(message):
    """A 422 naming the file field."""
    return ApiError(422, "bad_file", message, fields={"file": message})


def too_large(limit):
    """A 413 naming the limit."""
    message = f"文件太大：最大{limit // (1024 * 1024)}MB"
    return ApiError(413, "too_large", message, fields={"file": message})


def is_pdf(data):
    """True when the bytes start like a PDF."""
    return data.startswith(PDF_MAGIC)


def looks_like_photo(data):
    """True when the bytes start like a JPEG, PNG or WebP (decoding decides for sure)."""
    return data.startswith(PHOTO_MAGIC) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def check_photo(data):
    """A Photo from uploaded bytes, or ApiError saying what is wrong with them."""
    if not data:
        raise refuse("文件是空的，请重新选择照片")
    if len(data) > MAX_PHOTO_BYTES:
        raise too_large(MAX_PHOTO_BYTES)
    image = _decode(data)
    taken_at, (lat, lng) = _taken_at(image.getexif()), _gps(image.getexif())
    image = _upright_rgb(image)
    image.thumbnail((STORED_SIDE, STORED_SIDE))
    data = _jpeg(image)
    # Derived from the stored bytes, the print copy is the one a packet would derive itself; its
    # draft decoding (at 1/4 scale) costs less than shrinking the decoded image, and the
    # thumbnail shrinks the print copy instead of copying all of the photo's pixels.
    printed = print_image(data)
    return Photo(data, printed, thumbnail_of(printed.data), image.width, image.height, taken_at, lat, lng)


def _thumbnail(image):
    """JPEG bytes of a small copy of `image`."""
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return _jpeg(thumb)


def thumbnail_of(data):
    """A thumbnail of a photo already stored (e.g. one that came in through chat)."""
    return _thumbnail(_upright_rgb(_decode(data)))


def _decode(data):
    """Open and fully decode an image of an allowed format within the pixel limit."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=PHOTO_FORMATS)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise refuse(f"图片像素过多（最多{MAX_PIXELS // 10000}万像素），请压缩后再上传") from None
        except UnidentifiedImageError:
            raise refuse("这不是JPEG、PNG或WebP格式的图片，请选择照片上传") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise refuse("图片文件不完整或已损坏，请重新拍摄或选择") from None
    return image


def _upright_rgb(image):
    """The first frame turned by its EXIF orientation, without alpha (flattened on white)."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image):
    """JPEG bytes without any metadata."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def _taken_at(exif):
    """The capture time as naive UTC (camera time is Beijing time unless EXIF gives an offset)."""
    sub = exif.get_ifd(EXIF_IFD)
    text = sub.get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    try:
        local = dt.datetime.strptime(str(text).strip("\x00 "), EXIF_TIME)
    except ValueError:
        return None
    offset = str(sub.get(OFFSET_ORIGINAL) or "").strip("\x00 ")
    try:
        zone = dt.datetime.strptime(offset, "%z").tzinfo if offset else SHANGHAI
    except ValueError:
        zone = SHANGHAI
    try:
        return local.replace(tzinfo=zone).astimezone(dt.timezone.utc).replace(tzinfo=None)
    except OverflowError:
        return None  # a clock set to the edge of time (9999-12-31 at -12:00) says nothing


def _degrees(dms, ref, negative_ref):
    """Degrees from EXIF (degrees, minutes, seconds) rationals and a hemisphere letter."""
    degrees, minutes, seconds = (float(part) for part in dms)
    value = degrees + minutes / 60 + seconds / 3600
    return -value if str(ref).strip("\x00 ").upper() == negative_ref else value


def _gps(exif):
    """(latitude, longitude) from EXIF GPS, or (None, None) when absent or nonsense."""
    gps = exif.get_ifd(GPS_IFD)
    try:
        lat = _degrees(gps[GPS_LAT], gps.get(GPS_LAT_REF, "N"), "S")
        lng = _degrees(gps[GPS_LNG], gps.get(GPS_LNG_REF, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (math.isfinite(lat) and math.isfinite(lng) and abs(lat) <= 90 and abs(lng) <= 180):
        return None, None
    return lat, lng


def check_pdf(data):
    """A Scan from uploaded bytes, or ApiError saying what is wrong with them."""
    if not data:
        raise refuse("文件是空的，请重新选择PDF")
    if len(data) > MAX_PDF_BYTES:
        raise too_large(MAX_PDF_BYTES)
    if not is_pdf(data):
        raise refuse("这不是PDF文件，请上传盖章页或评家报告的PDF扫描件")
    if PDF_END not in data[-PDF_TAIL:]:
        raise refuse("PDF文件不完整（可能没有上传完），请重新上传")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise refuse("PDF设置了密码，请上传未加密的扫描件")
        pages = len(reader.pages)
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
        raise refuse("PDF文件已损坏，无法读取，请重新导出后上传") from None
    if not 1 <= pages <= MAX_PDF_PAGES:
        raise refuse(f"PDF应为1到{MAX_PDF_PAGES}页（现有{pages}页）")
    return Scan(data, pages)
