"""Routes of the station pages: the page, its QR code, the feedback form, the APP QR image."""
from flask import (
    abort, current_app, make_response, redirect, render_template, request, send_file, url_for)

from miniapp_backend.models import Asset, Station
from miniapp_backend.models.assets import APP_12351_QR
from miniapp_backend.packets.qr_files import page_qr_path
from miniapp_backend.pages import bp, feedback
from miniapp_backend.pages.view_model import station_page
from miniapp_backend.storage import FileStore

PAGE_CACHE_SECONDS = 60
IMAGE_CACHE_SECONDS = 24 * 3600


def _config():
    """The app's Config."""
    return current_app.config["ZGZJ"]


def _redis():
    """The app's Redis client."""
    return current_app.extensions["redis"]


def _station(code):
    """The station with this public code, or 404 (codes are the only way to a non-public one)."""
    station = Station.get_or_none(Station.code == code)
    if station is None:
        abort(make_response(render_template("pages/not_found.html"), 404))
    return station


def _render(station, status=200, error="", sent=False):
    """The page, with a fresh form token."""
    asset = Asset.named(APP_12351_QR)
    html = render_template("pages/station.html", page=station_page(_redis(), station), error=error,
                           sent=sent, token=feedback.form_token(_config().secret_key, station.code),
                           topics=feedback.TOPICS, app_qr=asset is not None)
    return html, status, {"Cache-Control": "no-store" if error or sent else f"max-age={PAGE_CACHE_SECONDS}"}


@bp.get("/s/<code>")
def station(code):
    """A station's public page."""
    return _render(_station(code), sent=request.args.get("sent") == "1")


@bp.post("/s/<code>/feedback")
def leave_feedback(code):
    """Record a feedback note, then show the page again (POST → redirect → GET)."""
    found = _station(code)
    try:
        feedback.submit(_redis(), _config().secret_key, found, request.form, request.remote_addr)
    except feedback.Refusal as refusal:
        return _render(found, status=400, error=refusal.message)
    return redirect(url_for("pages.station", code=code, sent=1, _anchor="feedback"), 303)


@bp.get("/s/<code>/qr.png")
def station_qr(code):
    """The station page's QR code, made on first request and cached in the file store."""
    config = _config()
    path = page_qr_path(config.storage_dir, config.public_base_url, _station(code).code)
    return send_file(path, mimetype="image/png", max_age=IMAGE_CACHE_SECONDS)


@bp.get("/s/-/app-12351.png")
def app_qr():
    """The 北京工会12351 APP QR image an admin uploaded (404 until then)."""
    asset = Asset.named(APP_12351_QR)
    store = FileStore(_config().storage_dir)
    if asset is None or not store.exists(asset.sha256):
        abort(404)
    return send_file(store.path_for(asset.sha256), mimetype=asset.mime, max_age=IMAGE_CACHE_SECONDS)
