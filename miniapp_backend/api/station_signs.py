"""A station's A4 sign (page QR code, WeChat code, 12351) for its own org's chair and staff to print:
its state, asking for it, and the files, as the sign job (workers.stations) makes and files them."""
from flask import url_for

from miniapp_backend.api import access, bp, context
from miniapp_backend.api.operations import FileResponse, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, boolean, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.downloads import send_named
from miniapp_backend.models import STATION_STATUS_LABELS, StationStatus
from miniapp_backend.packets.qr_files import page_qr_path
from miniapp_backend.services.errors import NotFound
from workers import stations as station_jobs
from workers.stations import SignState

TAG = "暖心驿站"
MESSAGES = {
    SignState.READY: "标识牌已生成，可下载打印",
    SignState.RUNNING: "标识牌正在生成，请稍后再看",
    SignState.FAILED: "标识牌上次未能生成：{reason}。请重新生成，仍不成功请联系区总工会",
    SignState.MISSING: "标识牌尚未生成，请点“生成标识牌”",
}
# A closed or moved station's sign would send workers to a page saying so: still kept, not hung.
NOT_POSTED = "驿站{status}，标识牌不必再张贴；仍可下载存档"

StationSign = Schema("StationSign", {
    "state": string("状态", enum=[s.value for s in SignState],
                    description="ready 可下载；running 生成中；failed 上次生成失败（message 说明原因）；"
                                "missing 尚未生成（POST 同一地址生成）"),
    "message": string("说明"),
    "posted": boolean("应当张贴", description="驿站已关闭或已迁址时为 false，标识牌仍可下载存档"),
    "web_link_only": boolean("只有网页链接二维码",
                             description="生成时微信接口不可用：标识牌上暂无公众号二维码（message 说明），"
                                         "微信恢复后自动重新生成"),
    "pdf_url": string("标识牌PDF（A4，供 wx.downloadFile + wx.openDocument）", nullable=True),
    "qr_url": string("驿站页面二维码（PNG）"),
}, required=["state", "message", "posted", "web_link_only", "pdf_url", "qr_url"], closed=False)


def _state(station):
    """The sign's SignState, its message, and the note on a sign with the web link code alone ("")."""
    state, reason = station_jobs.sign_state(context.redis(), context.settings(), station)
    if state != SignState.READY:
        return state, MESSAGES[state].format(reason=reason), ""
    note = station_jobs.fallback_note(context.redis(), context.settings(), station)
    if not station_jobs.is_posted(station):
        return state, NOT_POSTED.format(status=STATION_STATUS_LABELS[StationStatus(station.status)]), note
    return state, note or MESSAGES[state], note


def _view(station):
    """The sign as the mini-program shows it."""
    state, message, note = _state(station)
    ready = state == SignState.READY
    return {"state": state, "message": message, "posted": station_jobs.is_posted(station),
            "web_link_only": bool(note),
            "pdf_url": url_for("api.station_sign_pdf", station_id=station.id) if ready else None,
            "qr_url": url_for("api.station_qr", station_id=station.id)}


def _send(path, mimetype, download_name, ascii_name):
    """A station file under a URL that stays while the file behind it changes with each edit of the
    station: revalidated on every use (ETag), and kept by no shared cache (an internal station's
    sign carries the chair's contact)."""
    response = send_named(path, download_name, ascii_name, mimetype=mimetype, conditional=True)
    response.cache_control.no_cache = True
    response.cache_control.public = False
    response.cache_control.private = True
    return response


@bp.get("/stations/<id:station_id>/sign")
@operation("驿站标识牌的状态（本单位工会主席、工作人员）", tag=TAG, response=StationSign, errors=(404,))
def station_sign(station_id):
    """Ready with its download, being made, failed and why, or not asked for yet."""
    return _view(access.station_to_manage(current_person(), station_id))


@bp.post("/stations/<id:station_id>/sign")
@operation("生成驿站标识牌（已在生成或已生成时不重复生成）", tag=TAG, bucket=Bucket.WRITE,
           response=StationSign, status=202, errors=(404,))
def request_station_sign(station_id):
    """Enqueue the sign job once per content of the sign; a failed run is replaced by a new one, and
    a sign with the web link code alone asks WeChat for its code again."""
    station = access.station_to_manage(current_person(), station_id)
    state, _, note = _state(station)
    if state != SignState.READY or note:  # a sign with the web link code alone: try WeChat again now
        station_jobs.enqueue_station_assets(context.redis(), context.settings(), station)
    return _view(station)


@bp.get("/stations/<id:station_id>/sign.pdf")
@operation("驿站标识牌（A4 PDF，供 wx.downloadFile + wx.openDocument）", tag=TAG,
           response=FileResponse(("application/pdf",)), errors=(404,))
def station_sign_pdf(station_id):
    """The station's current sign, once the sign job has made it."""
    station = access.station_to_manage(current_person(), station_id)
    path = station_jobs.sign_path(context.settings(), station)
    if not path.exists():
        raise NotFound(_state(station)[1])
    return _send(path, "application/pdf", station_jobs.sign_download_name(station), f"station-{station.id}-sign.pdf")


@bp.get("/stations/<id:station_id>/qr.png")
@operation("驿站页面二维码（PNG）", tag=TAG, response=FileResponse(("image/png",)), errors=(404,))
def station_qr(station_id):
    """The QR code of the station's public page, made on first ask (a small PNG, no WeChat call)."""
    station = access.station_to_manage(current_person(), station_id)
    config = context.settings()
    return _send(page_qr_path(config.storage_dir, config.public_base_url, station.code), "image/png",
                 f"{station.name}_二维码.png", f"station-{station.id}-qr.png")
