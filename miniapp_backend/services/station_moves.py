"""A station that moved: recording its new site (another open station of the same org), and undoing it.

Chat and the station page send a worker from a moved station to its open new site, following
a chain of moves (stations.open_new_site); this is where an admin records that move. Undoing puts
the station back in the status it had before it was marked moved, read from the move's audit row.
"""
from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models import STATION_STATUS_LABELS, AuditLog, Station, StationStatus
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.permissions import administers, require
from miniapp_backend.services.stations import sites_moved_to

MOVE, MOVE_UNDONE = "station.move", "station.move_undone"
NOT_ADMINISTERED = "只有上级工会管理员可以登记驿站迁址"


def new_site_choices(shown):
    """{station id: [open stations of its org it may move to]} for the stations `shown`, in one query."""
    org_ids = {station.org_id for station in shown}
    open_by_org = {}
    for site in (Station.select().where(Station.org.in_(org_ids), Station.status == StationStatus.ACTIVE)
                 .order_by(Station.name, Station.id)):
        open_by_org.setdefault(site.org_id, []).append(site)
    return {station.id: [site for site in open_by_org.get(station.org_id, []) if site.id != station.id]
            for station in shown}


def recorded_sites(shown):
    """{station id: its recorded new site} for the moved stations among `shown`, in one query."""
    site_ids = {station.moved_to_id for station in shown if station.moved_to_id}
    sites = {site.id: site for site in Station.select().where(Station.id.in_(site_ids))} if site_ids else {}
    return {station.id: sites[station.moved_to_id] for station in shown if station.moved_to_id in sites}


def _leads_back(new_site, station):
    """Whether following moves from `new_site` reaches `station` (the move would close a cycle)."""
    return any(site.id == station.id for site in sites_moved_to(new_site))


def _check_new_site(station, new_site):
    """Refuse a new site a worker could not be sent to from `station`."""
    if new_site is None:
        raise ValidationFailed("请选择迁入的新址驿站", key="moved_to")
    if new_site.id == station.id:
        raise ValidationFailed(f"“{station.name}”不能迁至它自己，请选择新址驿站", key="moved_to")
    if new_site.org_id != station.org_id:
        raise ValidationFailed(f"新址应是{station.org.full_name}的驿站", key="moved_to")
    if new_site.status != StationStatus.ACTIVE:
        label = STATION_STATUS_LABELS[StationStatus(new_site.status)]
        raise ValidationFailed(f"“{new_site.name}”目前{label}，不能作为新址：职工到了那里也用不上。"
                               "请先开放新址驿站，再登记迁址", key="moved_to")
    if _leads_back(new_site, station):
        raise ValidationFailed(f"“{new_site.name}”已登记迁往“{station.name}”，两者不能互为新址", key="moved_to")


def _last_move(station):
    """The audit row of the station's latest move, or None (moved before moves were recorded)."""
    return (AuditLog.select().where(AuditLog.object_type == "station", AuditLog.object_id == station.id,
                                    AuditLog.action == MOVE)
            .order_by(AuditLog.id.desc()).first())


def _status_before_move(station):
    """The status an undo returns `station` to: its own unless moved, else the one it had before its
    moves (a station marked moved without a recorded move was open before it moved)."""
    if station.status != StationStatus.MOVED:
        return station.status
    move = _last_move(station)
    return move.detail["previous_status"] if move else StationStatus.ACTIVE


def _hold(station):
    """`station` read again inside the caller's transaction, its row held (review.hold's way: the
    first statement writes), so a move or undo racing this one waits for it and then sees its
    outcome. The caller's object is refreshed in place: the caller goes on with the row as it is."""
    Station.update(id=Station.id).where(Station.id == station.id).execute()
    station.__data__.update(Station.get_by_id(station.id).__data__)
    station._dirty.clear()
    return station


def record_move(station, new_site, person):
    """Mark `station` moved to `new_site`; return whether anything changed (a form sent twice, or
    from two tabs at once, changes nothing the second time). Re-pointing a moved station keeps the
    status to return to on undo."""
    require(administers(person, station.org), NOT_ADMINISTERED)
    with database.atomic():
        station = _hold(station)
        _check_new_site(station, new_site)
        if station.status == StationStatus.MOVED and station.moved_to_id == new_site.id:
            return False
        AuditLog.create(actor=person, action=MOVE, object_type="station", object_id=station.id,
                        detail={"moved_to": new_site.id, "previous_status": _status_before_move(station),
                                "previous_moved_to": station.moved_to_id})
        station.status, station.moved_to, station.updated_at = StationStatus.MOVED, new_site, utcnow()
        station.save()
    return True


def undo_move(station, person):
    """The station is not moved after all: back to its status before the move, without a new site;
    an undo sent twice, or from two tabs at once, is refused the second time."""
    require(administers(person, station.org), NOT_ADMINISTERED)
    with database.atomic():
        station = _hold(station)
        if station.status != StationStatus.MOVED:
            raise InvalidState(f"“{station.name}”没有登记迁址（或迁址已撤销），请刷新页面")
        restored = _status_before_move(station)
        AuditLog.create(actor=person, action=MOVE_UNDONE, object_type="station", object_id=station.id,
                        detail={"moved_to": station.moved_to_id, "status": restored})
        station.status, station.moved_to, station.updated_at = restored, None, utcnow()
        station.save()
    return station
