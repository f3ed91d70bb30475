"""Tencent's answer conventions: JSON errcode/errmsg with HTTP 200, and access-token checks."""
import functools

from flask import current_app, g, jsonify, request

# errmsg texts as Tencent words them (abridged).
ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40004: "invalid media type",
    40007: "invalid media_id",
    40009: "invalid media size",
    40008: "invalid message type",
    40013: "invalid appid",
    40165: "invalid weapp pagepath",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40029: "invalid code",
    40032: "invalid openid list size",
    40037: "invalid template_id",
    40052: "invalid action name",
    40053: "invalid action info, please check document",
    40054: "invalid sub button url domain",
    40055: "invalid button url domain",
    40097: "invalid args",
    40125: "invalid appsecret",
    40129: "invalid scene",
    40164: "invalid ip, not in whitelist",
    40169: "invalid length for scene, or the data is not json string",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    41030: "invalid page rule",
    42001: "access_token expired",
    43004: "require subscribe",
    43101: "user refuse to accept the msg",
    44002: "empty post data",
    44004: "empty content",
    45009: "reach max api daily quota limit",
    45015: "response out of time limit or subscription is canceled",
    45029: "qrcode count out of limit",
    45047: "out of response count limit",
    45157: "invalid tag name",
    45158: "tag name too long",
    45159: "invalid tag id",
    46003: "menu no exist",
    47001: "data format error",
    47003: "argument invalid!",
    48001: "api unauthorized",
    65301: "no such menuid",
    65303: "there is no selfmenu, please create selfmenu first",
    65304: "match rule empty",
}


class ApiError(Exception):
    """Answered as Tencent's JSON error body."""

    def __init__(self, errcode, errmsg=None):
        """Keep Tencent's errcode and its errmsg (the table's text unless given)."""
        super().__init__(errcode)
        self.errcode = errcode
        self.errmsg = errmsg or ERRMSG.get(errcode, "error")


def error_body(errcode, errmsg=None):
    """The JSON body of an error answer."""
    return {"errcode": errcode, "errmsg": errmsg or ERRMSG.get(errcode, "error")}


def ok(**fields):
    """A success answer with errcode 0."""
    return jsonify({"errcode": 0, "errmsg": "ok", **fields})


def state():
    """The running stand-in's StandinState."""
    return current_app.extensions["standin"]


def as_int(value, default=-1):
    """An integer from JSON or a query string, `default` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def json_body():
    """The request's JSON object; Tencent answers 44002/47001 for empty or malformed bodies."""
    if not request.get_data():
        raise ApiError(44002)
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise ApiError(47001)
    return body


def needs_token(kind=None):
    """Require a valid access_token, of the `kind` app ("official"/"miniapp") when given."""
    def decorate(view):
        """Wrap one view with the token check."""
        @functools.wraps(view)
        def checked(*args, **kwargs):
            """Check the token, remember its appid in g, then run the view."""
            token = request.args.get("access_token")
            if not token:
                raise ApiError(41001)
            g.appid = state().tokens.check(token)
            if kind and g.appid != state().settings.appid_of(kind):
                raise ApiError(48001)
            return view(*args, **kwargs)
        return checked
    return decorate
