"""Every change of a station's facts, audited as its moves are (station_moves): who registered a
station with what, and who changed what, from what to what. Every edge that creates or edits a
station goes through here: a person (chat, mini-program, admin web), the XLSX import (its admin, or
no actor when `flask import` runs it: the system) and an approval opening a station (its approver)."""
from miniapp_backend.db import database
from miniapp_backend.models import AuditLog, StationStatus
from miniapp_backend.services import stations
from miniapp_backend.services.permissions import administers, can_submit, require

CREATE, CHANGE = "station.create", "station.change"
# Audit detail key → Station attribute: every editable fact. A station set to anything but 已迁址
# loses its new site, so that is recorded too (undoing a move reads the station's audit rows).
AUDITED = {**{key: key for key in stations.EDITABLE_FIELDS}, "moved_to": "moved_to_id"}
# Its status (like a move) is the admins' decision; the other facts are the chair's as well.
ADMINS_ONLY = ("status",)
NOT_ADMINISTERED = "只有上级工会管理员可以修改驿站的状态"
NOT_EDITABLE = "只有本单位工会主席或上级工会管理员可以修改驿站信息"
NOT_IMPORTABLE = "只能导入修改本级及下级单位的驿站：这个驿站的单位不在您管理的范围内"


def _facts(station):
    """{audit key: value} of what `station` holds now."""
    return {key: getattr(station, attribute) for key, attribute in AUDITED.items()}


def register_station(org, person, **values):
    """A new station of `org` registered by `person` (the edge has checked that they may; None: the
    system, e.g. an import no person runs), with an audit row of the facts it starts with."""
    with database.atomic():
        station = stations.create_station(org, **values)
        facts = {key: value for key, value in _facts(station).items() if key != "moved_to"}
        AuditLog.create(actor=person, action=CREATE, object_type="station", object_id=station.id, detail=facts)
    return station


def change_station(station, person, **changes):
    """Apply `changes` (any of stations.EDITABLE_FIELDS) to `station` with an audit row of each value
    changed, {"status": {"from": "planned", "to": "active"}, …}; return whether anything changed (a
    form sent twice records nothing the second time)."""
    if any(key in changes for key in ADMINS_ONLY):
        require(administers(person, station.org), NOT_ADMINISTERED)
    require(administers(person, station.org) or can_submit(person, station.org), NOT_EDITABLE)
    return _apply(station, person, **changes)


def record_change(station, actor, **changes):
    """Apply and audit an import's `changes`: `actor` is its admin, who may change only the stations
    they administer, or None (the system: `flask import`); as change_station."""
    require(actor is None or administers(actor, station.org), NOT_IMPORTABLE)
    return _apply(station, actor, **changes)


def _apply(station, actor, **changes):
    """Apply and audit `changes` the caller has checked `actor` may make."""
    before = _facts(station)
    with database.atomic():
        stations.update_station(station, **changes)
        changed = {key: {"from": before[key], "to": value}
                   for key, value in _facts(station).items() if value != before[key]}
        if changed:
            AuditLog.create(actor=actor, action=CHANGE, object_type="station", object_id=station.id,
                            detail=changed)
    return bool(changed)


def follow_approval(application, approver):
    """An approved (验收合格) 暖心驿站 application opens its station if it was still being built,
    audited as `approver`'s change. Returns the station when its status changed (its edges then
    refresh the nearby index)."""
    station = application.station
    if station is None or station.status != StationStatus.PLANNED:
        return None
    # The review chain checked that `approver` decides this application's last step.
    _apply(station, approver, status=StationStatus.ACTIVE)
    return station
