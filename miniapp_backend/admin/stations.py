"""Stations: list and schematic map, status and public flag, public page and feedback links."""
from urllib.parse import urlencode

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp, current_config
from miniapp_backend.admin.common import NOT_YOURS, page_number, require_admin
from miniapp_backend.models import STATION_STATUS_LABELS, Org, Station
from miniapp_backend.services import application_search, nearby, station_directory, stations as station_service
from miniapp_backend.services.org_groups import system_unions
from miniapp_backend.services.permissions import administers

STATIONS_PAGE = 50


def _filters():
    """StationFilters from the query string."""
    return station_directory.StationFilters(
        status=request.args.get("status", ""), public=request.args.get("public", ""),
        text=request.args.get("q", "").strip()[:50], system_id=request.args.get("system", type=int))


@bp.route("/stations")
def stations():
    """Filtered stations with a schematic map of the filtered set."""
    require_admin()
    rows = station_directory.query(g.scope.org_condition(Org), _filters())
    page, total, pages = application_search.page_of(rows, page_number(), STATIONS_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/stations.html", rows=page, total=total, pages=pages, page=page_number(),
                           points=station_directory.map_points(rows), statuses=STATION_STATUS_LABELS,
                           systems=system_unions(g.scope.org_condition(Org)).values(),
                           width=station_directory.MAP_WIDTH, height=station_directory.MAP_HEIGHT,
                           base_url=current_config().public_base_url, hours=station_service.hours_text,
                           args=lambda n: urlencode({**args, "page": n}), query_string=urlencode(args))


@bp.route("/stations/<int:station_id>", methods=["POST"])
def station_update(station_id):
    """Change a station's status or public flag."""
    station = Station.get_or_none(Station.id == station_id)
    if station is None or not administers(g.person, station.org):
        abort(404, description=NOT_YOURS)
    changes = {}
    if request.form.get("status"):
        changes["status"] = request.form["status"]
    if request.form.get("public") in ("0", "1"):
        changes["public"] = request.form["public"] == "1"
    station_service.update_station(station, **changes)
    nearby.station_changed(current_app.extensions["redis"], station)
    flash(f"已更新“{station.name}”", "info")
    return redirect(request.referrer or url_for("admin.stations"))
