"""Station QR code files, cached in the file store: made once per station page URL."""
import hashlib
from pathlib import Path

from miniapp_backend.packets.qrcodes import qr_png, qr_svg, station_url
from miniapp_backend.storage import write_atomically

RENDERERS = {"png": qr_png, "svg": qr_svg}
MIME = {"png": "image/png", "svg": "image/svg+xml"}


def station_folder(storage_dir, code):
    """Where a station's generated files live."""
    return Path(storage_dir) / "stations" / code


def page_qr_path(storage_dir, public_base_url, code, fmt="png"):
    """The cached QR file of a station's page URL, made if missing; return its path.

    The URL's hash is in the name, so a new PUBLIC_BASE_URL never serves an old code.
    """
    url = station_url(public_base_url, code)
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:12]
    path = station_folder(storage_dir, code) / f"qr-{digest}.{fmt}"
    if not path.exists():
        write_atomically(path, RENDERERS[fmt](url))
    return path
