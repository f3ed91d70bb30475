"""File names of downloads, the RFC 6266 way: a plain ASCII `filename` for clients that read
nothing else, then the real (Chinese) name as `filename*` in UTF-8 (RFC 8187) for the rest.

Every response that sends a file under a name goes through `named`; the callers give the ASCII
name (ids, not a transliteration: an all-Chinese name has no ASCII letters to keep)."""
import mimetypes
import re
from urllib.parse import quote

from flask import send_file

UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def plain_name(name):
    """`name` reduced to letters, digits, '.', '_' and '-' (no quote, backslash or space to escape)."""
    return UNSAFE.sub("_", name).strip("_.") or "download"


def disposition(filename, ascii_name, inline=False):
    """The Content-Disposition value naming `filename`, with `ascii_name` as its fallback."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{plain_name(ascii_name)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def named(response, filename, ascii_name, inline=False):
    """`response` with its Content-Disposition set to name `filename` (fallback `ascii_name`)."""
    response.headers["Content-Disposition"] = disposition(filename, ascii_name, inline)
    return response


def send_named(path, filename, ascii_name, inline=False, **options):
    """send_file of `path` as a download named `filename` (fallback `ascii_name`)."""
    return named(send_file(path, **options), filename, ascii_name, inline)


def stored_file_name(stored):
    """An ASCII name for a stored photo or scan (it keeps none of its own): its kind and digest."""
    extension = mimetypes.guess_extension(stored.mime or "") or ""
    return f"{stored.kind}-{stored.sha256[:12]}{extension}"
