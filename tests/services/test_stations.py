"""Stations: validation, codes and scenes, opening hours in Asia/Shanghai."""
import datetime as dt

import pytest

from miniapp_backend.db import database
from miniapp_backend.models import Application, CodeKind, Station, StationStatus, StationWechatCode
from miniapp_backend.services import scenes, station_changes, stations
from miniapp_backend.services.errors import PermissionDenied, ValidationFailed
from tests.factories import station_for

WEEKDAYS_9_TO_5 = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def test_station_scene_round_trips_and_fits_both_qr_kinds(world):
    station = station_for(world.unit)
    scene = stations.scene_of(station)
    assert len(scene) <= 32 and scene.startswith("st.")
    assert stations.by_scene(scene).id == station.id
    assert stations.by_scene("qrscene_" + scene).id == station.id
    assert stations.by_scene("st.nonexistent") is None
    assert scenes.decode("xx.abc") is None and scenes.decode("st.a-b") is None


def test_a_station_is_found_by_its_sign_code_url_through_an_index(world):
    station = station_for(world.unit)
    url = "http://weixin.qq.com/q/02abcDEF"
    StationWechatCode.create(station=station, kind=CodeKind.OFFICIAL, scene=stations.scene_of(station), url=url)
    assert stations.by_code_url(url).id == station.id
    assert stations.by_code_url("http://weixin.qq.com/q/other") is None
    # The 扫码 menu looks codes up by url: without an index each scan reads every station's code.
    indexed = [index.columns for index in database.get_indexes(StationWechatCode._meta.table_name)]
    assert any(columns[0] == "url" for columns in indexed)


def test_a_chain_of_moves_ends_at_its_open_site_and_a_cycle_at_none(world):
    last = station_for(world.unit, name="最终新址驿站", status=StationStatus.ACTIVE)
    chain = [station_for(world.unit, name=f"旧址{n}驿站", status=StationStatus.MOVED) for n in range(3)]
    for station, site in zip(chain, chain[1:] + [last]):
        Station.update(moved_to=site).where(Station.id == station.id).execute()
    chain = [Station.get_by_id(station.id) for station in chain]
    assert stations.open_new_site(chain[0]).id == last.id
    assert [site.id for site in stations.sites_moved_to(chain[0])] == [chain[1].id, chain[2].id, last.id]
    # A cycle kept from older data (the move service refuses one) ends the walk with nowhere to go.
    Station.update(moved_to=chain[0]).where(Station.id == chain[2].id).execute()
    assert stations.open_new_site(Station.get_by_id(chain[0].id)) is None
    stations.update_station(last, status=StationStatus.CLOSED)
    Station.update(moved_to=last).where(Station.id == chain[2].id).execute()
    assert stations.open_new_site(Station.get_by_id(chain[0].id)) is None


def test_bad_values_are_refused_by_field(world):
    with pytest.raises(ValidationFailed) as err:
        station_for(world.unit, lat=31.2, lng=121.5)
    assert err.value.details["key"] == "lat"
    with pytest.raises(ValidationFailed, match="未知的服务"):
        station_for(world.unit, services=["按摩"])
    with pytest.raises(ValidationFailed, match="周一"):
        station_for(world.unit, hours={"mon": [["18:00", "09:00"]]})


@pytest.mark.parametrize("hours, text", [
    ({"mon": [["08:00", "18:00"]]}, "周一 08:00-18:00"),
    ({d: [["09:00", "17:00"]] for d in ("sat", "sun")}, "周六、周日 09:00-17:00"),
    ({**{d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}, "sat": [["09:00", "12:00"]]},
     "周一至周五 08:00-18:00；周六 09:00-12:00"),
    ({d: [["07:00", "09:00"], ["17:00", "20:00"]] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
     "每天 07:00-09:00、17:00-20:00"),
    ({"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]], "thu": [["08:00", "18:00"]]},
     "周一、周二 08:00-18:00；周四 08:00-18:00"),  # a gap ends a run
])
def test_hours_read_as_a_chair_writes_them(world, hours, text):
    """Following days with the same spans are one run: a sign or a chat card does not print
    “周一 09:00-17:00；周二 09:00-17:00；…” five times over."""
    assert stations.hours_text(station_for(world.unit, hours=hours)) == text


def test_hours_may_end_at_midnight_and_fill_the_whole_day(world):
    """24:00 closes a day (a station open until midnight need not say 23:59); 00:00-24:00 is 全天."""
    evenings = {**{d: [["18:00", "24:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}, "sat": [["00:00", "24:00"]]}
    station = station_for(world.unit, hours=evenings, status="active")
    assert stations.hours_text(station) == "周一至周五 18:00-24:00；周六 全天"
    # 2018-05-07 is a Monday; Beijing is UTC+8.
    assert stations.is_open(station, dt.datetime(2018, 5, 7, 15, 59))  # 23:59 local
    assert not stations.is_open(station, dt.datetime(2018, 5, 7, 16, 0))  # 00:00 on Tuesday
    assert stations.is_open(station, dt.datetime(2018, 5, 4, 16, 0))  # 00:00 on Saturday
    assert stations.is_open(station, dt.datetime(2018, 5, 5, 15, 59))  # 23:59 on Saturday
    every_day = station_for(world.unit, hours={d: [["00:00", "24:00"]] for d in stations.WEEKDAYS})
    assert stations.hours_text(every_day) == "24小时开放"
    with pytest.raises(ValidationFailed, match="周一开放到午夜的，结束时间请写成24:00"):
        station_for(world.unit, hours={"mon": [["18:00", "00:00"]]})
    for wrong in (["24:00", "24:00"], ["08:00", "24:30"], ["24:00", "08:00"]):
        with pytest.raises(ValidationFailed, match="周二"):
            station_for(world.unit, hours={"tue": [wrong]})


def test_open_now_uses_local_time(world):
    station = station_for(world.unit, hours=WEEKDAYS_9_TO_5, status="active")
    # 2018-05-07 is a Monday: 01:30 UTC = 09:30 in Beijing.
    assert stations.is_open(station, dt.datetime(2018, 5, 7, 1, 30))
    assert not stations.is_open(station, dt.datetime(2018, 5, 6, 23, 30))  # 07:30 local
    assert not stations.is_open(station, dt.datetime(2018, 5, 5, 3, 0))  # Saturday
    assert stations.hours_text(station) == "周一至周五 09:00-17:00"
    always = station_for(world.unit, name="全天驿站", hours={"always": True}, status="active")
    assert stations.is_open(always, dt.datetime(2018, 5, 5, 20, 0)) and stations.hours_text(always) == "24小时开放"
    stations.update_station(always, status="closed")
    assert not stations.is_open(always)


def test_a_station_is_changed_by_its_chair_or_an_admin_above_and_its_status_by_the_admin_only(world):
    station = station_for(world.unit)
    for person, changes in ((world.staff, {"name": "改名驿站"}), (world.other_chair, {"name": "改名驿站"}),
                            (world.chair, {"status": StationStatus.ACTIVE})):
        with pytest.raises(PermissionDenied):
            station_changes.change_station(Station.get_by_id(station.id), person, **changes)
    assert Station.get_by_id(station.id).name == station.name
    assert station_changes.change_station(Station.get_by_id(station.id), world.chair, name="改名驿站")
    assert station_changes.change_station(Station.get_by_id(station.id), world.system_admin, status=StationStatus.ACTIVE)
    assert not station_changes.change_station(Station.get_by_id(station.id), world.chair, name="改名驿站")


def test_an_import_changes_only_stations_its_admin_administers_and_the_system_any(world):
    """record_change is the import's path (its admin or, for `flask import`, no one): an admin of
    another tree changes nothing."""
    station = station_for(world.unit)
    with pytest.raises(PermissionDenied):
        station_changes.record_change(Station.get_by_id(station.id), world.other_system_admin, name="改名驿站")
    assert Station.get_by_id(station.id).name == station.name
    assert station_changes.record_change(Station.get_by_id(station.id), world.district_admin, name="改名驿站")
    assert station_changes.record_change(Station.get_by_id(station.id), None, name="再改名驿站")


def test_an_approval_opens_the_station_as_its_reviewer_decided(world):
    """The review chain has checked the approver; opening the station needs no admin role of theirs."""
    station = station_for(world.unit, status=StationStatus.PLANNED)
    application = Application(org=world.unit, station=station)
    assert station_changes.follow_approval(application, world.chair) is not None
    assert Station.get_by_id(station.id).status == StationStatus.ACTIVE
