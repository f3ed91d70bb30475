"""Temporary media: upload, download (3-day life), and media that users "sent"."""
from flask import Blueprint, Response, jsonify, request

from standin.protocol import ApiError, as_int, needs_token, state

bp = Blueprint("standin_media", __name__)

# Tencent's size limits for temporary media, in bytes.
MAX_SIZE = {"image": 10 << 20, "voice": 2 << 20, "video": 10 << 20, "thumb": 64 << 10}


@bp.post("/cgi-bin/media/upload")
@needs_token()
def media_upload():
    """Upload a temporary media file (multipart field `media`)."""
    media_type = request.args.get("type")
    if media_type not in MAX_SIZE:
        raise ApiError(40004)
    upload = request.files.get("media")
    data = upload.read() if upload else b""
    if not data:
        raise ApiError(41005)
    if len(data) > MAX_SIZE[media_type]:
        raise ApiError(40009)
    record = state().add_media(data, upload.mimetype, media_type, upload.filename)
    return jsonify(type=media_type, media_id=record["media_id"], created_at=record["created_at"])


@bp.get("/cgi-bin/media/get")
@needs_token()
def media_get():
    """The bytes of a temporary media file; 40007 when unknown or older than 3 days."""
    record = state().media_record(request.args.get("media_id", ""))
    disposition = f'attachment; filename="{record["filename"]}"'
    return Response(record["data"], mimetype=record["content_type"],
                    headers={"Content-disposition": disposition})


@bp.post("/standin/media")
def register_media():
    """Control: store a file a user "sent" (multipart file or raw body); returns its media_id."""
    upload = next(iter(request.files.values()), None)
    if upload:
        data, content_type, filename = upload.read(), upload.mimetype, upload.filename
    else:
        data, content_type, filename = request.get_data(), request.mimetype, "media"
    if not data:
        return jsonify(error="no file in the request"), 400
    record = state().add_media(data, content_type, request.args.get("type", "image"), filename)
    return jsonify(media_id=record["media_id"], created_at=record["created_at"])


@bp.post("/standin/media/age")
def age_media():
    """Control: make media older, e.g. {"seconds": 259200} to pass the 3-day limit."""
    body = request.get_json(force=True, silent=True) or {}
    seconds = as_int(body.get("seconds"), 0)
    return jsonify(aged=state().age_media(seconds, body.get("media_id")))
