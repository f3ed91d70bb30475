"""Station feedback summarised per station and per org, for the chair and the admins above."""
import datetime as dt

import pytest

from miniapp_backend.models.station_pages import StationFeedback
from miniapp_backend.services import feedback
from miniapp_backend.services.errors import PermissionDenied
from tests.factories import station_for

START = dt.datetime(2018, 6, 1, 2, 0)


def note(station, minutes, topic, text, handled=False):
    """One feedback row `minutes` after START."""
    at = START + dt.timedelta(minutes=minutes)
    return StationFeedback.create(station=station, topic=topic, text=text, contact="13800000000",
                                  ip_hash="h", created_at=at, handled_at=at if handled else None)


@pytest.fixture
def stations(world):
    """A station of world.unit with seven notes, one of its 分会 with one, one of another unit."""
    busy = station_for(world.unit)
    quiet = station_for(world.branch, name="一车间暖心驿站")
    elsewhere = station_for(world.other_unit, name="燕山暖心驿站")
    for minute, topic in enumerate(["设施", "设施", "服务", "设施", "开放时间", "服务", "设施"]):
        note(busy, minute, topic, f"第{minute + 1}条", handled=minute < 3)
    note(quiet, 0, "表扬", "热水很方便", handled=True)
    note(elsewhere, 0, "设施", "椅子坏了")
    return busy, quiet, elsewhere


def test_one_station_counts_topics_and_shows_the_latest(stations):
    busy = stations[0]
    summary = feedback.feedback_summary(busy, recent=3)
    assert (summary.total, summary.unhandled) == (7, 4)
    assert summary.by_topic == {"设施": 4, "服务": 2, "开放时间": 1}
    assert [n.text for n in summary.recent] == ["第7条", "第6条", "第5条"]
    assert summary.last_at == START + dt.timedelta(minutes=6)
    assert not hasattr(summary.recent[0], "contact")  # contacts stay in the handling view
    since = feedback.feedback_summary(busy, since=START + dt.timedelta(minutes=5))
    assert since.total == 2 and since.by_topic == {"服务": 1, "设施": 1}


def test_an_org_sees_its_own_stations_and_those_below(world, stations):
    busy, quiet, _ = stations
    summaries = feedback.org_feedback(world.chair, world.unit)
    assert [s.station.id for s in summaries] == [busy.id, quiet.id]  # most unhandled first
    assert feedback.totals(summaries) == {"total": 8, "unhandled": 4,
                                          "by_topic": {"设施": 4, "服务": 2, "开放时间": 1, "表扬": 1}}
    district = feedback.org_feedback(world.district_admin, world.district)
    assert feedback.totals(district)["total"] == 9
    with pytest.raises(PermissionDenied):
        feedback.org_feedback(world.other_chair, world.unit)


def test_a_station_without_feedback_is_all_zeros(world):
    summary = feedback.feedback_summary(station_for(world.direct_unit, name="直属驿站"))
    assert (summary.total, summary.unhandled, summary.by_topic, summary.recent) == (0, 0, {}, [])
