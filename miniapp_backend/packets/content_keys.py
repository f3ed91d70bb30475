"""Short keys naming what a generated file shows and the layout version that draws it (a station's
sign, an application's packet). A file is kept under its key, so a change to either, a new layout
version included, names a new file, and the file is made again."""
import hashlib
import json


def content_key(length, *parts):
    """A digest of `parts` (JSON-able; the layout version among them), `length` hex digits long."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]
