"""Messages to users: 客服 (custom), template and mini-program subscribe sends, all recorded."""
import re

from flask import Blueprint

from standin.protocol import ApiError, json_body, needs_token, ok, state

bp = Blueprint("standin_messages", __name__)

CUSTOM_TYPES = {"text", "image", "voice", "video", "music", "news", "mpnews",
                "mpnewsarticle", "msgmenu", "wxcard", "miniprogrampage"}
CJK = re.compile(r"^[\u4e00-\u9fff]+$")

# Subscribe-message value rules by key kind (the key minus its digits): (max length, pattern).
SUBSCRIBE_RULES = {
    "thing": (20, None),
    "phrase": (5, CJK),
    "name": (20, None),
    "number": (32, re.compile(r"^[0-9.]+$")),
    "letter": (32, re.compile(r"^[A-Za-z]+$")),
    "symbol": (5, None),
    "character_string": (32, None),
    "phone_number": (17, re.compile(r"^[0-9+\- ]+$")),
    "car_number": (8, None),
}


def _recipient(body, unsubscribed_errcode):
    """The touser, refused when the stand-in saw that user unsubscribe."""
    openid = body.get("touser")
    if not openid:
        raise ApiError(40003)
    if state().user(openid).get("unsubscribe_time"):
        raise ApiError(unsubscribed_errcode)
    return openid


@bp.post("/cgi-bin/message/custom/send")
@needs_token("official")
def custom_send():
    """A 客服 message (the 48 h window is not enforced: use a 45015 fault for that)."""
    body = json_body()
    openid = _recipient(body, 45015)
    msgtype = body.get("msgtype")
    if msgtype not in CUSTOM_TYPES:
        raise ApiError(40008)
    if msgtype == "text" and not (body.get("text") or {}).get("content"):
        raise ApiError(44004)
    state().record_sent(openid, "custom", body)
    return ok()


@bp.post("/cgi-bin/message/template/send")
@needs_token("official")
def template_send():
    """A template message; only a verified 服务号 has the API."""
    if not state().settings.verified_service:
        raise ApiError(48001)
    body = json_body()
    openid = _recipient(body, 43004)
    if not body.get("template_id"):
        raise ApiError(40037)
    if not isinstance(body.get("data"), dict):
        raise ApiError(47001)
    if "miniprogram" in body:
        _check_miniprogram(body["miniprogram"])
    msgid = state().next_id()
    state().record_sent(openid, "template", body, msgid=msgid)
    return ok(msgid=msgid)


def _check_miniprogram(target):
    """A template's jump into a mini-program: {appid, pagepath}. The appid must be the mini-program
    bound to this official account (40013 otherwise); the page, one the released mini-program has
    (40165; any page when the stand-in lists none). WeChat opens it in preference to `url`, which
    stays the way in for clients that cannot open mini-programs."""
    if not isinstance(target, dict) or target.get("appid") != state().settings.miniapp_appid:
        raise ApiError(40013, "invalid appid: miniprogram.appid is not bound to this account")
    page = target.get("pagepath", "")
    pages = state().settings.miniapp_pages
    if not isinstance(page, str) or page.startswith("/") or (page and pages and page.split("?")[0] not in pages):
        raise ApiError(40165)


def _check_value(key, entry):
    """47003 unless `entry` is {"value": ...} within its kind's length and character rules."""
    value = entry.get("value") if isinstance(entry, dict) else None
    if not isinstance(value, str) or not value:
        raise ApiError(47003, f"argument invalid! data.{key}.value invalid")
    kind = re.sub(r"\d+$", "", key)
    limit, pattern = SUBSCRIBE_RULES.get(kind, (None, None))
    if kind == "name" and CJK.match(value):
        limit = 10
    if (limit and len(value) > limit) or (pattern and not pattern.match(value)):
        raise ApiError(47003, f"argument invalid! data.{key}.value exceeds limit or format")


@bp.post("/cgi-bin/message/subscribe/send")
@needs_token("miniapp")
def subscribe_send():
    """A mini-program subscribe message, its data values checked like Tencent's."""
    body = json_body()
    openid = _recipient(body, 43101)
    if not body.get("template_id"):
        raise ApiError(40037)
    data = body.get("data")
    if not isinstance(data, dict) or not data:
        raise ApiError(47003, "argument invalid! data is empty")
    for key, entry in data.items():
        _check_value(key, entry)
    if body.get("miniprogram_state", "formal") not in ("developer", "trial", "formal"):
        raise ApiError(47003, "argument invalid! miniprogram_state")
    state().record_sent(openid, "subscribe", body)
    return ok()
