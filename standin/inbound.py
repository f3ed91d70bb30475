"""Turns a JSON description of what a user did into WeChat's callback, and records it."""
import base64

from standin.callback import CallbackClient, parse_xml
from standin.protocol import as_int

# Keys of a description that are not event fields.
CONTROL_KEYS = {"openid", "type", "event", "retries"}


def _media_id(state, desc):
    """The description's media_id, first registering `file_b64` as a file the user sent."""
    if not desc.get("file_b64"):
        return desc.get("media_id", "")
    kind = {"voice": "voice", "video": "video", "shortvideo": "video"}.get(desc["type"], "image")
    record = state.add_media(base64.b64decode(desc["file_b64"]),
                             desc.get("content_type", "image/jpeg"), kind,
                             desc.get("filename", "media"))
    return record["media_id"]


def _first_attempt(client, state, desc):
    """Send the described message or event once through the client's own builders."""
    kind, openid, msg_id = desc.get("type"), desc["openid"], desc.get("msg_id")
    if kind == "event":
        extra = {key: value for key, value in desc.items() if key not in CONTROL_KEYS}
        return client.event(openid, desc["event"], **extra)
    if kind == "text":
        return client.text(openid, desc.get("content", ""), msg_id)
    if kind == "image":
        return client.image(openid, _media_id(state, desc), desc.get("pic_url", ""), msg_id)
    if kind == "voice":
        return client.voice(openid, _media_id(state, desc), desc.get("format", "amr"),
                            desc.get("recognition"), msg_id)
    if kind in ("video", "shortvideo"):
        send = client.video if kind == "video" else client.shortvideo
        return send(openid, _media_id(state, desc), desc.get("thumb_media_id", ""), msg_id)
    if kind == "location":
        return client.location(openid, desc["lat"], desc["lng"], desc.get("scale", 15),
                               desc.get("label", ""), msg_id)
    if kind == "link":
        return client.link(openid, desc.get("title", ""), desc.get("description", ""),
                           desc.get("url", ""), msg_id)
    raise ValueError(f"unknown message type {kind!r}")


def _note_user(state, fields):
    """Follow state as Tencent keeps it, updated before our server sees the message."""
    openid, event = fields["FromUserName"], fields.get("Event")
    now = int(state.now())
    if event == "unsubscribe":
        state.update_user(openid, subscribe=0, unsubscribe_time=now)
    elif event == "subscribe":
        key = fields.get("EventKey", "")
        scene = "ADD_SCENE_QR_CODE" if key.startswith("qrscene_") else "ADD_SCENE_SEARCH"
        state.update_user(openid, subscribe=1, subscribe_time=now, unsubscribe_time=None,
                          subscribe_scene=scene, qr_scene_str=key[len("qrscene_"):])
    elif event != "TEMPLATESENDJOBFINISH" and not state.user(openid)["subscribe"]:
        # Only followers can message the account or use its menu.
        state.update_user(openid, subscribe=1, subscribe_time=now, unsubscribe_time=None)


def _summary(result):
    """The JSON view of one delivery attempt."""
    return {"status": result.status, "reply": result.reply, "raw": result.text,
            "error": result.error}


def deliver(state, desc):
    """POST the described message to the callback URL (plus `retries` identical resends)."""
    settings = state.settings
    if not settings.callback_url:
        raise LookupError("no callback_url configured")
    if not desc.get("openid"):
        raise ValueError("openid is required")
    client = CallbackClient(settings.callback_url, settings.token, settings.official_appid,
                            settings.aes_key or None, settings.account_id,
                            settings.callback_timeout, state.now,
                            observer=lambda fields: _note_user(state, fields))
    first = _first_attempt(client, state, desc)
    attempts = [first] + [client.resend(first) for _ in range(as_int(desc.get("retries"), 0))]
    summaries = [_summary(attempt) for attempt in attempts]
    entry = {"time": state.now(), "message": parse_xml(first.xml), "attempts": summaries}
    with state.lock:
        state.inbound.append(entry)
    return {**summaries[0], "message": entry["message"], "attempts": summaries}
