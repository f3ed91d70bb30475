"""An admin changing a station's status or public flag, audited as its moves are (station_moves):
who changed what, from what to what."""
from miniapp_backend.db import database
from miniapp_backend.models import AuditLog
from miniapp_backend.services import stations
from miniapp_backend.services.permissions import administers, require

CHANGE = "station.change"
# Audit detail key → Station attribute. A station set to anything but 已迁址 loses its new site,
# so that is recorded too (undoing a move reads the station's audit rows).
AUDITED = {"status": "status", "public": "public", "moved_to": "moved_to_id"}
NOT_ADMINISTERED = "只有上级工会管理员可以修改驿站的状态和对外开放"


def change_station(station, person, **changes):
    """Apply `changes` (status, public) to `station` with an audit row of each value changed,
    {"status": {"from": "planned", "to": "active"}, …}; return whether anything changed (a form
    sent twice records nothing the second time)."""
    require(administers(person, station.org), NOT_ADMINISTERED)
    before = {key: getattr(station, attribute) for key, attribute in AUDITED.items()}
    with database.atomic():
        stations.update_station(station, **changes)
        changed = {key: {"from": before[key], "to": getattr(station, attribute)}
                   for key, attribute in AUDITED.items() if getattr(station, attribute) != before[key]}
        if changed:
            AuditLog.create(actor=person, action=CHANGE, object_type="station", object_id=station.id,
                            detail=changed)
    return bool(changed)
