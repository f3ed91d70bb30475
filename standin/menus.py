"""Tencent's custom-menu rules: button counts, types, and name/key/url sizes."""
from standin.protocol import ApiError

BUTTON_TYPES = {
    "click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album",
    "pic_weixin", "location_select", "media_id", "view_limited", "article_id",
    "article_view_limited", "miniprogram"}
KEYED_TYPES = {"click", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
               "pic_photo_or_album", "pic_weixin", "location_select"}

# Top-level and sub-buttons have their own errcodes and name limits (UTF-8 bytes).
TOP = {"type": 40017, "name": 40018, "key": 40019, "url_size": 40020, "url": 40055, "limit": 16}
SUB = {"type": 40024, "name": 40025, "key": 40026, "url_size": 40027, "url": 40054, "limit": 60}


def _size(value):
    """Length in UTF-8 bytes, as Tencent counts; -1 for a non-string."""
    return len(value.encode("utf-8")) if isinstance(value, str) else -1


def _check_url(button, codes):
    """A view/miniprogram url: 1..1024 bytes and http(s)."""
    url = button.get("url")
    if not 0 < _size(url) <= 1024:
        raise ApiError(codes["url_size"] if _size(url) > 1024 else codes["url"])
    if not url.startswith(("http://", "https://")):
        raise ApiError(codes["url"])


def _check_action(button, codes):
    """The fields a button of its type needs."""
    kind = button.get("type")
    if kind not in BUTTON_TYPES:
        raise ApiError(codes["type"])
    if kind in KEYED_TYPES and not 0 < _size(button.get("key")) <= 128:
        raise ApiError(codes["key"])
    if kind in ("view", "miniprogram"):
        _check_url(button, codes)
    if kind == "miniprogram" and not (button.get("appid") and button.get("pagepath")):
        raise ApiError(47001)
    if kind in ("media_id", "view_limited") and not button.get("media_id"):
        raise ApiError(40007)
    if kind in ("article_id", "article_view_limited") and not button.get("article_id"):
        raise ApiError(40007)


def _check_button(button, codes):
    """A named button: a non-empty name within the byte limit, then its action."""
    if not isinstance(button, dict):
        raise ApiError(47001)
    if not 0 < _size(button.get("name")) <= codes["limit"]:
        raise ApiError(codes["name"])
    subs = button.get("sub_button") if codes is TOP else None
    if not subs:
        _check_action(button, codes)
        return
    if not isinstance(subs, list) or len(subs) > 5:
        raise ApiError(40023)
    for sub in subs:
        _check_button(sub, SUB)


def validate_menu(buttons):
    """Raise ApiError unless `buttons` is a valid menu (1-3 top-level, 1-5 under each)."""
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise ApiError(40016)
    for button in buttons:
        _check_button(button, TOP)
