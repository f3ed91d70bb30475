"""Parametric QR codes (showqrcode images, scans) and mini-program codes (getwxacodeunlimit)."""
import base64
import math
import os
import re
import secrets
from urllib.parse import urlencode

from flask import Blueprint, Response, jsonify, request

from standin import images
from standin.inbound import deliver
from standin.protocol import ApiError, as_int, json_body, needs_token, state

bp = Blueprint("standin_qrcode", __name__)

ACTIONS = {"QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE"}
MAX_EXPIRE = 2_592_000  # 30 days
WXA_SCENE = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$")
# What our mini-program codes encode: a reserved domain, so nobody mistakes it for Tencent's.
WXACODE_URL = "https://standin.invalid/wxacode?"


def _scene(action, scene):
    """The scene value an action needs, else 40053."""
    if action.endswith("STR_SCENE"):
        value = scene.get("scene_str")
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            raise ApiError(40053)
        return value
    value = as_int(scene.get("scene_id"), 0)
    top = 100_000 if action == "QR_LIMIT_SCENE" else 2 ** 32 - 1
    if not 1 <= value <= top:
        raise ApiError(40053)
    return value


def _new_ticket(scene, expires_at):
    """Store a ticket whose url is what the QR image encodes."""
    url = "http://weixin.qq.com/q/" + secrets.token_urlsafe(16)
    # Real tickets are standard base64 (with + / =), so callers must URL-encode them.
    ticket = base64.b64encode(os.urandom(4) + url.encode() + os.urandom(5)).decode("ascii")
    record = {"ticket": ticket, "url": url, "scene": scene, "expires_at": expires_at}
    state().qrcodes[ticket] = record
    return record


@bp.post("/cgi-bin/qrcode/create")
@needs_token("official")
def qrcode_create():
    """A temporary (≤ 30 days) or permanent (≤ 100,000 per account) parametric QR code."""
    if not state().settings.verified_service:
        raise ApiError(48001)
    body = json_body()
    action = body.get("action_name")
    if action not in ACTIONS:
        raise ApiError(40052)
    scene = _scene(action, (body.get("action_info") or {}).get("scene") or {})
    with state().lock:
        if not action.startswith("QR_LIMIT"):
            expire = min(as_int(body.get("expire_seconds", 60), 0), MAX_EXPIRE)
            if expire <= 0:
                raise ApiError(40053)
            record = _new_ticket(scene, state().now() + expire)
            return jsonify(ticket=record["ticket"], expire_seconds=expire, url=record["url"])
        # The same permanent scene gives back the same ticket and is counted once.
        ticket = state().permanent_scenes.get(scene)
        if ticket is None:
            if len(state().permanent_scenes) >= state().settings.permanent_qrcode_limit:
                raise ApiError(45029)
            ticket = _new_ticket(scene, math.inf)["ticket"]
            state().permanent_scenes[scene] = ticket
        return jsonify(ticket=ticket, url=state().qrcodes[ticket]["url"])


def _live_ticket(ticket=None, url=None):
    """The unexpired QR record for a ticket or url, else None."""
    with state().lock:
        for record in state().qrcodes.values():
            if record["ticket"] == ticket or record["url"] == url:
                return record if record["expires_at"] > state().now() else None
    return None


@bp.get("/cgi-bin/showqrcode")
def showqrcode():
    """The QR image of a ticket (served by mp.weixin.qq.com at Tencent); 404 when invalid."""
    record = _live_ticket(ticket=request.args.get("ticket"))
    if record is None:
        return Response("invalid ticket", status=404)
    return Response(images.qr_png(record["url"]), mimetype="image/png")


@bp.post("/standin/qrcode/scan")
def scan():
    """Control: a user scans a code ({"openid", "ticket" or "url"}): subscribe or SCAN event."""
    body = request.get_json(force=True, silent=True) or {}
    record = _live_ticket(body.get("ticket"), body.get("url"))
    if record is None or not body.get("openid"):
        return jsonify(error="openid and a live ticket or url are required"), 400
    following = state().user(body["openid"])["subscribe"]
    event = "SCAN" if following else "subscribe"
    key = str(record["scene"]) if following else f"qrscene_{record['scene']}"
    description = {"openid": body["openid"], "type": "event", "event": event,
                   "event_key": key, "ticket": record["ticket"]}
    try:
        return jsonify(deliver(state(), description))
    except LookupError as exc:
        return jsonify(error=str(exc)), 409


@bp.post("/wxa/getwxacodeunlimit")
@needs_token("miniapp")
def wxacode_unlimit():
    """A mini-program code for scene + page (here a QR code naming both)."""
    body = json_body()
    scene, page = body.get("scene"), body.get("page", "")
    if not isinstance(scene, str) or not 1 <= len(scene) <= 32:
        raise ApiError(40169)
    if not WXA_SCENE.match(scene):
        raise ApiError(40129)
    pages = state().settings.miniapp_pages
    if not isinstance(page, str) or page.startswith("/") or (
            page and body.get("check_path", True) and pages and page not in pages):
        raise ApiError(41030)
    if body.get("env_version", "release") not in ("release", "trial", "develop"):
        raise ApiError(40097)
    query = urlencode({"appid": state().settings.miniapp_appid, "page": page, "scene": scene})
    return Response(images.qr_png(WXACODE_URL + query), mimetype="image/png")
