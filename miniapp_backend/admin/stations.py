"""Stations: list and schematic map, status and public flag, moves, public page, QR code and sign links."""
from urllib.parse import urlencode

from flask import abort, flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp, current_config
from miniapp_backend.admin.common import NOT_YOURS, form_int, int_arg, page_number, redis, require_admin
from miniapp_backend.downloads import send_named
from miniapp_backend.models import STATION_STATUS_LABELS, Org, Station
from miniapp_backend.services import (
    application_search, station_changes, station_directory, station_moves, stations as station_service)
from miniapp_backend.services.org_groups import system_unions
from miniapp_backend.services.permissions import administers
from workers import stations as station_jobs
from workers.queues import job_is_live

STATIONS_PAGE = 50
SIGN_PENDING = "“{name}”的标识牌正在生成，请稍后刷新本页再下载"
SIGN_FAILED = "“{name}”的标识牌上次未能生成：{reason}。已重新开始生成，请稍后刷新本页再下载"
BATCH_PENDING = "{org}的驿站标识牌正在打包，请稍后刷新本页再下载"
BATCH_FAILED = "{org}的驿站标识牌上次未能打包：{reason}。已重新开始打包，请稍后刷新本页再下载"


def _filters():
    """StationFilters from the query string."""
    return station_directory.StationFilters(
        status=request.args.get("status", ""), public=request.args.get("public", ""),
        text=request.args.get("q", "").strip()[:50], system_id=int_arg("system"))


def _batches():
    """[(org, station count, "ready" | "running" | "")] for each subtree this admin administers."""
    config, found = current_config(), []
    for org in g.scope.admin_orgs:
        members = station_jobs.batch_stations(org)
        key = station_jobs.batch_key(config, members)
        if station_jobs.batch_path(config, org.id, key).exists():
            state = "ready"
        else:
            state = "running" if job_is_live(redis(), station_jobs.batch_job_id(org.id, key)) else ""
        found.append((org, len(members), state))
    return found


@bp.route("/stations")
def stations():
    """Filtered stations with a schematic map of the filtered set."""
    require_admin()
    rows = station_directory.query(g.scope.org_condition(Org), _filters())
    shown, total, pages, page = application_search.page_of(rows, page_number(), STATIONS_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    config, sha = current_config(), station_jobs.app_qr_sha()
    signed = {s.id for s in shown if station_jobs.sign_path(config, s, sha).exists()}
    web_link_only = station_jobs.fallback_notes(redis(), config, [s for s in shown if s.id in signed])
    return render_template("admin/stations.html", rows=shown, total=total, pages=pages, page=page,
                           points=station_directory.map_points(rows), statuses=STATION_STATUS_LABELS,
                           systems=system_unions(g.scope.org_condition(Org)).values(),
                           width=station_directory.MAP_WIDTH, height=station_directory.MAP_HEIGHT,
                           base_url=config.public_base_url, hours=station_service.hours_text,
                           signed=signed, web_link_only=web_link_only,
                           new_sites=station_moves.new_site_choices(shown),
                           moved_to=station_moves.recorded_sites(shown),
                           batches=_batches(),
                           args=lambda n: urlencode({**args, "page": n}), query_string=urlencode(args))


def _administered_station(station_id):
    """The station if this admin administers its org; 404 otherwise."""
    station = Station.get_or_none(Station.id == station_id)
    if station is None or not administers(g.person, station.org):
        abort(404, description=NOT_YOURS)
    return station


@bp.route("/stations/<id:station_id>", methods=["POST"])
def station_update(station_id):
    """Change a station's status or public flag (audited)."""
    station = _administered_station(station_id)
    changes = {}
    if request.form.get("status"):
        changes["status"] = request.form["status"]
    if request.form.get("public") in ("0", "1"):
        changes["public"] = request.form["public"] == "1"
    station_changes.change_station(station, g.person, **changes)
    return _changed(station, f"已更新“{station.name}”")


@bp.route("/stations/<id:station_id>/move", methods=["POST"])
def station_move(station_id):
    """Record that a station moved to another open station of its org (workers are sent there)."""
    station = _administered_station(station_id)
    new_site = Station.get_or_none(Station.id == form_int("moved_to"))
    moved = station_moves.record_move(station, new_site, g.person)
    return _changed(station, f"已登记“{station.name}”迁至“{new_site.name}”：扫旧址二维码、打开旧址页面的职工会被引导到新址",
                    refresh=moved)


@bp.route("/stations/<id:station_id>/move/undo", methods=["POST"])
def station_move_undo(station_id):
    """Undo a recorded move: the station is back in the status it had before."""
    station = _administered_station(station_id)
    station_moves.undo_move(station, g.person)
    return _changed(station, f"已撤销“{station.name}”的迁址，驿站恢复为“{STATION_STATUS_LABELS[station.status]}”")


def _changed(station, message, refresh=True):
    """After an admin's change: the station's card, index and signs follow it (`refresh`), the
    admin is told `message`, back to the page they came from."""
    if refresh:
        station_jobs.station_changed(redis(), current_config(), station)
    flash(message, "info")
    return redirect(request.referrer or url_for("admin.stations"))


@bp.route("/stations/<id:station_id>/sign.pdf")
def station_sign(station_id):
    """The station's current A4 sign; while its job runs, back to the list with a note."""
    station = _administered_station(station_id)
    path = station_jobs.sign_path(current_config(), station)
    if path.exists():
        return send_named(path, station_jobs.sign_download_name(station), f"station-{station.id}-sign.pdf")
    failure = station_jobs.sign_failure(redis(), current_config(), station)
    station_jobs.enqueue_station_assets(redis(), current_config(), station)
    flash(SIGN_FAILED.format(name=station.name, reason=failure) if failure
          else SIGN_PENDING.format(name=station.name), "info")
    return redirect(url_for("admin.stations"))


@bp.route("/stations/signs/<id:org_id>.zip")
def station_signs(org_id):
    """The zip of the signs of every station of an administered subtree; made by a job on first ask."""
    require_admin()
    org = Org.get_or_none(Org.id == org_id)
    if org is None or not administers(g.person, org):
        abort(404, description=NOT_YOURS)
    config = current_config()
    members = station_jobs.batch_stations(org)
    if not members:
        flash(f"{org.full_name}没有开放或建设中的驿站，没有标识牌可下载（已关闭、已迁址的驿站不在其中）", "info")
        return redirect(url_for("admin.stations"))
    key = station_jobs.batch_key(config, members)
    path = station_jobs.batch_path(config, org.id, key)
    if path.exists():
        return send_named(path, station_jobs.batch_download_name(org), f"org-{org.id}-station-signs.zip")
    failure = station_jobs.job_failure(redis(), station_jobs.batch_job_id(org.id, key))
    station_jobs.enqueue_batch_signs(redis(), org, key)
    flash(BATCH_FAILED.format(org=org.full_name, reason=failure) if failure
          else BATCH_PENDING.format(org=org.full_name), "info")
    return redirect(url_for("admin.stations"))
