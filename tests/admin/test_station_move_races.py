"""A station's move recorded or undone from two tabs at once (or a double click): one change, one
audit row, the other sending told in Chinese."""
from concurrent.futures import ThreadPoolExecutor

from miniapp_backend.models import AuditLog, Station, StationStatus
from tests.admin.helpers import send_from, signed_in_tabs
from tests.factories import station_for

PAGE = "/admin/stations"
TABS = 4
ROUNDS = 4  # a race lost only now and then: several rounds


def _at_once(admin_app, action, form):
    """The pages TABS tabs see after sending `form` to `action` at the same moment."""
    tabs = signed_in_tabs(admin_app, "system", PAGE, TABS)
    with ThreadPoolExecutor(TABS) as pool:
        return list(pool.map(lambda pair: send_from(*pair, PAGE, form, action), tabs))


def _audited(station, action):
    """How many audit rows of `action` the station has."""
    return AuditLog.select().where(AuditLog.object_type == "station", AuditLog.object_id == station.id,
                                   AuditLog.action == action).count()


def test_two_tabs_moving_then_undoing_a_station_at_once_record_each_change_once(admin_app, admin_world):
    new = station_for(admin_world.unit, name="新址驿站", status=StationStatus.ACTIVE)
    for round_ in range(ROUNDS):
        old = station_for(admin_world.unit, name=f"旧址驿站{round_}", status=StationStatus.PLANNED, lat=39.74)
        pages = _at_once(admin_app, f"/admin/stations/{old.id}/move", {"moved_to": new.id})
        assert all(f"已登记“旧址驿站{round_}”迁至“新址驿站”" in text for text in pages), round_
        assert _audited(old, "station.move") == 1, round_
        pages = _at_once(admin_app, f"/admin/stations/{old.id}/move/undo", {})
        assert sum("的迁址，驿站恢复为“建设中”" in text for text in pages) == 1, round_
        assert sum("没有登记迁址（或迁址已撤销），请刷新页面" in text for text in pages) == TABS - 1, round_
        assert _audited(old, "station.move_undone") == 1, round_
        restored = Station.get_by_id(old.id)
        assert (restored.status, restored.moved_to_id) == (StationStatus.PLANNED, None), round_
