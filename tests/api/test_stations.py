"""Stations: nearest first from the Redis index, filters, WGS84 input, a chair's own stations."""
import datetime as dt
import time
from unittest import mock

import pytest
from itsdangerous import TimestampSigner

from miniapp_backend.api import sessions
from miniapp_backend.api.context import NOW_SETTING
from miniapp_backend.models import AuditLog, Station, StationStatus
from miniapp_backend.services import nearby, station_moves, stations
from miniapp_backend.services.geo import wgs84_to_gcj02
from tests.api.conftest import NOW
from tests.factories import station_for
from tests.nearby_index import assert_index_matches_database
from workers.queues import queue

LIANGXIANG = (39.7355, 116.1397)
WEEKDAYS_9_TO_5 = {d: [["09:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def active(org, name, lat, lng, **extra):
    """An approved (active) public station at (lat, lng)."""
    return station_for(org, name=name, lat=lat, lng=lng, status=StationStatus.ACTIVE, **extra)


@pytest.fixture
def town(world):
    """Stations around 良乡 at known distances, some not listed."""
    return {
        "here": active(world.unit, "门口驿站", *LIANGXIANG, services=["饮水", "热饭"], hours={"always": True}),
        "near": active(world.unit, "一公里驿站", LIANGXIANG[0] + 0.009, LIANGXIANG[1], services=["饮水"],
                       hours=WEEKDAYS_9_TO_5, kind="public_home"),
        "far": active(world.other_unit, "五公里驿站", LIANGXIANG[0] + 0.045, LIANGXIANG[1], services=["如厕"],
                      hours={"sat": [["09:00", "10:00"]]}),
        "hidden": active(world.unit, "内部驿站", LIANGXIANG[0] + 0.001, LIANGXIANG[1], public=False),
        "planned": station_for(world.unit, name="建设中驿站", lat=LIANGXIANG[0] + 0.002, lng=LIANGXIANG[1]),
    }


def nearby_names(api, **query):
    """Names of the stations the nearby search answers, in order."""
    params = {"lat": LIANGXIANG[0], "lng": LIANGXIANG[1], **query}
    response = api.get("/stations/nearby", query_string=params)
    assert response.status_code == 200, response.get_json()
    return [s["name"] for s in response.get_json()["stations"]]


def test_nearest_first_public_and_active_only(api, town):
    body = api.get("/stations/nearby", query_string={"lat": LIANGXIANG[0], "lng": LIANGXIANG[1],
                                                      "radius": 10000}).get_json()
    assert [s["name"] for s in body["stations"]] == ["门口驿站", "一公里驿站", "五公里驿站"]
    first, second = body["stations"][:2]
    assert first["distance_m"] == 0 and 990 <= second["distance_m"] <= 1010
    assert first["services"] == [{"key": "饮水", "label": "饮水"}, {"key": "热饭", "label": "热饭"}]
    assert first["hours_text"] == "24小时开放" and first["open_now"] is True
    assert second["open_now"] is True  # 10:00 on a Thursday
    assert first["public"] is None and first["org"] is None  # anonymous: public facts only
    assert body["coord"] == "gcj02"


def test_a_station_without_hours_is_not_said_to_be_closed(api, world):
    active(world.unit, "新建驿站", *LIANGXIANG)
    body = api.get("/stations/nearby", query_string={"lat": LIANGXIANG[0], "lng": LIANGXIANG[1]}).get_json()
    [entry] = body["stations"]
    assert entry["open_now"] is None and entry["hours_text"] == "开放时间未登记，可到场咨询"  # no phone to call


def test_a_nearby_entry_is_the_station_as_its_detail_shows_it(api, world, town):
    stations.update_station(town["near"], phone="010-69310000", place_type="社区")
    nearby.station_changed(api.app.extensions["redis"], town["near"])
    found = api.get("/stations/nearby", query_string={"lat": LIANGXIANG[0], "lng": LIANGXIANG[1],
                                                       "radius": 10000}).get_json()["stations"]
    assert len(found) == 3
    for entry in found:
        del entry["distance_m"]
        assert entry == api.get(f"/stations/{entry['id']}").get_json()


def test_radius_and_filters(api, town):
    assert nearby_names(api) == ["门口驿站", "一公里驿站"]
    assert nearby_names(api, radius=10000, service="如厕") == ["五公里驿站"]
    assert nearby_names(api, radius=10000, kind="public_home") == ["一公里驿站"]
    assert nearby_names(api, radius=10000, open_now="true") == ["门口驿站", "一公里驿站"]
    assert nearby_names(api, radius=10000, limit=1) == ["门口驿站"]


def test_wgs84_from_wx_getlocation_is_converted(api, town):
    # A phone standing at 门口驿站 reports its WGS84 position; GCJ-02 is about 600 m east of it.
    wgs_lat, wgs_lng = LIANGXIANG[0] - 0.0013, LIANGXIANG[1] - 0.0061
    gcj = wgs84_to_gcj02(wgs_lat, wgs_lng)
    query = {"lat": wgs_lat, "lng": wgs_lng, "coord": "wgs84"}
    body = api.get("/stations/nearby", query_string=query).get_json()
    assert body["origin"] == {"lat": gcj[0], "lng": gcj[1]}
    assert body["stations"][0]["name"] == "门口驿站" and body["stations"][0]["distance_m"] < 60
    unconverted = api.get("/stations/nearby", query_string={"lat": wgs_lat, "lng": wgs_lng}).get_json()
    assert unconverted["stations"][0]["distance_m"] > 400


def test_bad_queries_are_400_per_field(api, town):
    response = api.get("/stations/nearby", query_string={"lat": "north", "lng": 500, "coord": "bd09"})
    fields = response.get_json()["error"]["fields"]
    assert response.status_code == 400 and set(fields) == {"lat", "lng", "coord"}
    assert fields["lat"] == "纬度应为数字" and fields["lng"] == "经度不能大于180"


def test_the_index_is_rebuilt_when_redis_lost_it(api, town, redis_client):
    assert nearby_names(api)
    redis_client.delete(nearby.GEO_KEY, nearby.BUILT_KEY)
    assert nearby_names(api) == ["门口驿站", "一公里驿站"]


def test_station_detail_public_or_for_its_org(api, world, town):
    public = api.get(f"/stations/{town['here'].id}").get_json()
    assert public["name"] == "门口驿站" and public["public"] is None and public["can_edit"] is False
    mine = api.get(f"/stations/{town['hidden'].id}", world.chair).get_json()
    assert mine["public"] is False and mine["org"]["id"] == world.unit.id and mine["can_edit"] is True
    assert api.get(f"/stations/{town['hidden'].id}", world.staff).get_json()["can_edit"] is False
    for outsider in (None, world.other_chair):
        assert api.get(f"/stations/{town['hidden'].id}", outsider).status_code == 404
        assert api.get(f"/stations/{town['planned'].id}", outsider).status_code == 404
    names = [s["name"] for s in api.get("/stations/mine", world.staff).get_json()["stations"]]
    assert names == ["门口驿站", "一公里驿站", "内部驿站", "建设中驿站"]


def expired_token(api, person):
    """A session token of `person` issued longer ago than a token lives."""
    issued_long_ago = int(time.time()) - sessions.TOKEN_LIFETIME - 10
    with mock.patch.object(TimestampSigner, "get_timestamp", lambda self: issued_long_ago):
        return api.token(person)


def test_public_station_calls_ignore_a_stale_token(api, world, town):
    """A worker whose old session expired still finds stations; the token is no password here."""
    origin = {"lat": LIANGXIANG[0], "lng": LIANGXIANG[1]}
    for token in (expired_token(api, world.chair), "not-a-token"):
        stale = {"Authorization": f"Bearer {token}"}
        found = api.get("/stations/nearby", headers=stale, query_string=origin)
        assert found.status_code == 200 and [s["name"] for s in found.get_json()["stations"]][0] == "门口驿站"
        assert api.get("/stations/services", headers=stale).status_code == 200
        shown = api.get(f"/stations/{town['here'].id}", headers=stale)
        assert shown.status_code == 200 and shown.get_json()["can_edit"] is False  # served as anonymous
    # The chair's own unlisted station is theirs to see once signed in again: 401, not 404.
    hidden = api.get(f"/stations/{town['hidden'].id}",
                     headers={"Authorization": f"Bearer {expired_token(api, world.chair)}"})
    assert hidden.status_code == 401 and hidden.get_json()["error"]["code"] == "token_expired"
    assert api.get("/stations/mine", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_a_chair_creates_a_station_from_choose_location(api, world):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.73, "lng": 116.14,
            "services": ["饮水", "小憩"], "hours": {"mon": [["08:00", "18:00"]]}, "public": True}
    created = api.post("/stations", world.chair, json=body)
    assert created.status_code == 201
    view = created.get_json()
    assert view["status"] == "planned" and view["status_label"] == "建设中" and view["can_edit"]
    assert view["hours_text"] == "周一 08:00-18:00"
    assert api.post("/stations", world.staff, json=body).status_code == 403
    assert api.post("/stations", world.chair, json={**body, "org_id": world.other_unit.id}).status_code == 404
    assert api.post("/stations", world.chair, json={**body, "status": "active"}).status_code == 400
    shanghai = api.post("/stations", world.chair, json={**body, "lat": 31.2, "lng": 121.5})
    assert shanghai.status_code == 422 and set(shanghai.get_json()["error"]["fields"]) == {"lat"}
    wrong_hours = api.post("/stations", world.chair, json={**body, "hours": {"mon": [["18:00", "08:00"]]}})
    assert wrong_hours.status_code == 422 and "周一" in wrong_hours.get_json()["error"]["message"]


def test_a_station_open_until_midnight_is_written_with_24_00(api, world):
    body = {"name": "夜班驿站", "address": "房山区良乡镇拱辰大街9号", "lat": LIANGXIANG[0], "lng": LIANGXIANG[1],
            "hours": {"thu": [["18:00", "24:00"]], "sat": [["00:00", "24:00"]]}, "public": True}
    created = api.post("/stations", world.chair, json=body)
    assert created.status_code == 201 and created.get_json()["hours_text"] == "周四 18:00-24:00；周六 全天"
    starting_at_24 = api.post("/stations", world.chair, json={**body, "hours": {"thu": [["24:00", "24:00"]]}})
    assert starting_at_24.status_code == 422
    station = stations.update_station(Station.get_by_id(created.get_json()["id"]), status=StationStatus.ACTIVE)
    nearby.station_changed(api.app.extensions["redis"], station)
    api.app.config[NOW_SETTING] = dt.datetime.combine(NOW.date(), dt.time(15, 30))  # 23:30, a Thursday in Beijing
    query = {"lat": LIANGXIANG[0], "lng": LIANGXIANG[1], "open_now": "true"}
    assert [s["name"] for s in api.get("/stations/nearby", query_string=query).get_json()["stations"]] == ["夜班驿站"]


def test_creating_or_editing_a_station_queues_its_sign(api, world, redis_client):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.73, "lng": 116.14}
    station_id = api.post("/stations", world.chair, json=body).get_json()["id"]
    api.patch(f"/stations/{station_id}", world.chair, json={"name": "拱辰大街驿站"})
    jobs = queue(redis_client).jobs
    assert [(j.func_name, j.args) for j in jobs] == [("workers.stations.compile_station_assets", (station_id,))] * 2
    assert jobs[0].id != jobs[1].id  # one per content of the sign


def test_station_phone_and_hours_are_checked_like_form_fields(api, world):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.73, "lng": 116.14}
    bad_phone = api.post("/stations", world.chair, json={**body, "phone": "abc"})
    assert bad_phone.status_code == 422
    assert bad_phone.get_json()["error"]["fields"]["phone"].startswith("联系电话格式不对")
    overlapping = {"tue": [["08:00", "12:00"], ["11:00", "18:00"]]}
    refused = api.post("/stations", world.chair, json={**body, "hours": overlapping})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {"hours": "周二的开放时段有重叠，请合并后再保存"}
    split = {"tue": [["14:00", "18:00"], ["08:00", "12:00"]]}
    created = api.post("/stations", world.chair, json={**body, "phone": "010 6931 2345", "hours": split})
    assert created.status_code == 201 and created.get_json()["phone"] == "010-69312345"
    cleared = api.patch(f"/stations/{created.get_json()['id']}", world.chair, json={"phone": ""})
    assert cleared.status_code == 200 and cleared.get_json()["phone"] == ""


def test_a_station_outside_fangshan_is_refused_by_name_and_an_edit_changes_nothing(api, world):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.73, "lng": 116.14}
    tiananmen = {"lat": 39.9087, "lng": 116.3975}  # in Beijing, not in 房山区
    refused = api.post("/stations", world.chair, json={**body, **tiananmen})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"]["lng"].startswith("这个位置不在房山区范围内（收到纬度39.9087，经度116.3975）")
    created = api.post("/stations", world.chair, json=body).get_json()
    edit = api.patch(f"/stations/{created['id']}", world.chair, json={"name": "拱辰大街驿站", **tiananmen})
    assert edit.status_code == 422 and "房山区" in edit.get_json()["error"]["message"]
    kept = api.get(f"/stations/{created['id']}", world.chair).get_json()
    assert (kept["name"], kept["lat"], kept["lng"]) == ("拱辰驿站", 39.73, 116.14)


def test_wgs84_station_position_is_stored_as_gcj02(api, world):
    body = {"name": "坐标驿站", "address": "房山区良乡镇拱辰大街9号", "lat": 39.73, "lng": 116.14,
            "coord": "wgs84"}
    view = api.post("/stations", world.chair, json=body).get_json()
    assert (view["lat"], view["lng"]) == pytest.approx(wgs84_to_gcj02(39.73, 116.14))


def test_edits_keep_the_nearby_index_in_step(api, world, town):
    station = town["here"]
    hidden = api.patch(f"/stations/{station.id}", world.chair, json={"public": False})
    assert hidden.status_code == 200 and hidden.get_json()["public"] is False
    assert "门口驿站" not in nearby_names(api)
    api.patch(f"/stations/{station.id}", world.chair, json={"public": True, "lat": 39.80, "lng": 116.20})
    assert "门口驿站" not in nearby_names(api)
    assert nearby_names(api, lat=39.80, lng=116.20, radius=500) == ["门口驿站"]
    stations.update_station(Station.get_by_id(town["planned"].id), status=StationStatus.ACTIVE)
    # An approval that forgot the index is still answered correctly once the index is told.
    nearby.station_changed(api.app.extensions["redis"], Station.get_by_id(town["planned"].id))
    assert "建设中驿站" in nearby_names(api)


def test_cards_follow_create_edit_open_hide_and_show(api, world, town, redis_client):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.7356, "lng": 116.1398,
            "services": ["饮水"], "hours": {"always": True}, "public": True}
    station_id = api.post("/stations", world.chair, json=body).get_json()["id"]
    assert_index_matches_database(redis_client)  # built on the create; a planned station has no card
    # Approval opens it (the admin edge: a status change, then the index is told).
    stations.update_station(Station.get_by_id(station_id), status=StationStatus.ACTIVE)
    nearby.station_changed(redis_client, Station.get_by_id(station_id))
    assert "拱辰驿站" in nearby_names(api)
    edits = [{"name": "拱辰大街驿站", "hours": WEEKDAYS_9_TO_5, "services": ["饮水", "如厕"],
              "phone": "13800138000", "place_type": "社区"},
             {"lat": 39.80, "lng": 116.20}, {"public": False}, {"public": True}]
    for edit in edits:
        assert api.patch(f"/stations/{station_id}", world.chair, json=edit).status_code == 200
        assert_index_matches_database(redis_client)
    moved = {"lat": 39.80, "lng": 116.20, "radius": 500}
    [entry] = api.get("/stations/nearby", query_string=moved).get_json()["stations"]
    assert (entry["name"], entry["phone"], entry["place_type"]) == ("拱辰大街驿站", "13800138000", "社区")
    assert entry["hours_text"] == "周一至周五 09:00-17:00"
    assert [s["key"] for s in entry["services"]] == ["饮水", "如厕"]
    assert "拱辰大街驿站" not in nearby_names(api)  # moved away from 良乡


def test_edit_permissions(api, world, town):
    far = town["far"]  # the other org's public station
    assert api.patch(f"/stations/{far.id}", world.chair, json={"name": "改名驿站"}).status_code == 403
    assert api.patch(f"/stations/{town['hidden'].id}", world.other_chair,
                     json={"name": "改名驿站"}).status_code == 404
    assert api.patch(f"/stations/{town['here'].id}", world.staff, json={"name": "改名驿站"}).status_code == 403
    lone = api.patch(f"/stations/{town['here'].id}", world.chair, json={"lat": 39.8})
    assert lone.status_code == 422 and lone.get_json()["error"]["fields"] == {"lng": "纬度和经度要一起修改"}
    status = api.patch(f"/stations/{town['here'].id}", world.chair, json={"status": "closed"})
    assert status.status_code == 400 and status.get_json()["error"]["fields"] == {"status": "不支持的字段"}


def test_service_vocabulary(api):
    services = api.get("/stations/services").get_json()["services"]
    assert {"key": "充电", "label": "手机充电"} in services and len(services) == len(stations.vocabulary())


def test_open_now_uses_the_pinned_clock(api, world, town, api_app):
    api_app.config["API_NOW"] = NOW.replace(hour=14) + dt.timedelta(days=2)  # Saturday 22:00
    assert nearby_names(api, radius=10000, open_now="true") == ["门口驿站"]


def test_a_nul_anywhere_in_a_request_is_refused_before_anything_is_written(api, world, town):
    # PostgreSQL cannot store U+0000: a station renamed with one ended in a 500 there.
    here = town["here"]
    for path, kwargs in ((f"/stations/{here.id}", {"json": {"name": "驿\x00站"}}),
                         (f"/stations/{here.id}", {"json": {"hours": {"mon\x00": []}}}),
                         (f"/stations/{here.id}?x=\x00", {"json": {"name": "新名"}})):
        refused = api.patch(path, world.chair, **kwargs)
        assert refused.status_code == 400 and "空字符" in refused.get_json()["error"]["message"]
    assert Station.get_by_id(here.id).name == "门口驿站"
    nested = api.get("/stations/nearby", query_string={"lat": LIANGXIANG[0], "lng": LIANGXIANG[1], "q": "\x00"})
    assert nested.status_code == 400


def test_a_pasted_name_and_address_are_trimmed_and_line_breaks_refused(api, world, town):
    here = town["here"]
    renamed = api.patch(f"/stations/{here.id}", world.chair, json={"name": " 拱辰驿站\n", "address": "　房山区拱辰大街2号 "})
    assert renamed.status_code == 200
    assert (renamed.get_json()["name"], renamed.get_json()["address"]) == ("拱辰驿站", "房山区拱辰大街2号")
    # The name is printed on the sign and the station cards in one line.
    broken = api.patch(f"/stations/{here.id}", world.chair, json={"name": "拱辰\n驿站"})
    assert broken.status_code == 422
    assert broken.get_json()["error"]["fields"] == {"name": "驿站名称不能含换行等控制字符，请写在一行里"}
    assert Station.get_by_id(here.id).name == "拱辰驿站"


def test_the_mini_program_code_on_a_sign_opens_its_station(api, world, town):
    # The sign's mini-program code opens pages/station/index with scene st.<code>: the page
    # must find the station by that scene, as chat and the /s/<code> page do.
    here = town["here"]
    found = api.get(f"/stations/scene/{stations.scene_of(here)}")
    assert found.status_code == 200, found.get_json()
    assert found.get_json() == {**api.get(f"/stations/{here.id}").get_json(), "chair": {}}
    # An internal station's sign is scanned inside its workplace: its page shows it, public facts only.
    hidden = api.get(f"/stations/scene/{stations.scene_of(town['hidden'])}").get_json()
    assert hidden["name"] == "内部驿站" and hidden["org"] is None and hidden["public"] is None
    for unknown in ("st.nosuchcode", "bt.abc", "nonsense"):
        missing = api.get(f"/stations/scene/{unknown}")
        assert missing.status_code == 404
        assert missing.get_json()["error"]["message"] == "没有这个驿站码，请确认扫的是驿站牌上的小程序码"


def test_a_moved_station_sends_workers_to_its_new_site(api, world, town):
    old = active(world.unit, "旧址驿站", LIANGXIANG[0] + 0.003, LIANGXIANG[1])
    station_moves.record_move(old, town["here"], world.district_admin)
    for path in (f"/stations/{old.id}", f"/stations/scene/{stations.scene_of(old)}"):
        response = api.get(path)
        assert response.status_code == 200, (path, response.get_json())
        body = response.get_json()
        assert body["status"] == "moved" and body["status_label"] == "已迁址"
        assert body["moved_to"] == {"id": town["here"].id, "code": town["here"].code, "name": "门口驿站",
                                    "address": town["here"].address, "lat": LIANGXIANG[0], "lng": LIANGXIANG[1]}
    assert api.get(f"/stations/{town['here'].id}").get_json()["moved_to"] is None
    # A new site closed since is no place to send a worker: the old one is gone from view again.
    stations.update_station(town["here"], status=StationStatus.CLOSED)
    assert api.get(f"/stations/{old.id}").status_code == 404
    assert api.get(f"/stations/scene/{stations.scene_of(old)}").get_json()["moved_to"] is None


def station_audit(station_id):
    """(action, actor id, detail) of the station's audit rows, oldest first."""
    rows = AuditLog.select().where(AuditLog.object_type == "station", AuditLog.object_id == station_id)
    return [(a.action, a.actor_id, a.detail) for a in rows.order_by(AuditLog.id)]


def test_a_chairs_changes_are_audited_with_who_and_from_what_to_what(api, world, town):
    here = town["here"]
    api.patch(f"/stations/{here.id}", world.chair, json={"name": "拱辰驿站", "phone": "010 6931 2345"})
    api.patch(f"/stations/{here.id}", world.chair, json={"name": "拱辰驿站"})  # changes nothing
    api.patch(f"/stations/{here.id}", world.chair, json={"lat": 39.80, "lng": 116.20, "hours": WEEKDAYS_9_TO_5})
    api.patch(f"/stations/{here.id}", world.chair, json={"name": "北京驿站", "lat": 39.9087, "lng": 116.3975})
    assert station_audit(here.id) == [
        ("station.change", world.chair.id, {"name": {"from": "门口驿站", "to": "拱辰驿站"},
                                            "phone": {"from": "", "to": "010-69312345"}}),
        ("station.change", world.chair.id, {"lat": {"from": LIANGXIANG[0], "to": 39.80},
                                            "lng": {"from": LIANGXIANG[1], "to": 116.20},
                                            "hours": {"from": stations.clean_hours({"always": True}),
                                                      "to": stations.clean_hours(WEEKDAYS_9_TO_5)}})]


def test_a_station_registered_in_the_mini_program_is_audited_with_who_and_what(api, world):
    body = {"name": "拱辰驿站", "address": "房山区良乡镇拱辰大街8号", "lat": 39.73, "lng": 116.14}
    station_id = api.post("/stations", world.chair, json=body).get_json()["id"]
    [(action, actor, detail)] = station_audit(station_id)
    assert (action, actor) == ("station.create", world.chair.id)
    assert {key: detail[key] for key in body} == body and detail["status"] == "planned"


def test_a_signs_mini_program_code_opens_its_station_whatever_its_status(api, world, town):
    """The sign's mini-program code opens pages/station/index with the station's scene (st.<code>)."""
    def scanned(station_or_scene):
        scene = station_or_scene if isinstance(station_or_scene, str) else stations.scene_of(station_or_scene)
        return api.get(f"/stations/scene/{scene}")
    shown = scanned(town["here"])
    assert shown.status_code == 200
    assert (shown.get_json()["name"], shown.get_json()["open_now"], shown.get_json()["moved_to"]) == ("门口驿站", True, None)
    assert shown.get_json()["public"] is None  # public facts only, as for any worker
    assert shown.get_json()["chair"] == {}
    internal = scanned(town["hidden"]).get_json()  # the code is the way to an internal one
    assert internal["name"] == "内部驿站" and internal["chair"] == {"name": "王建国", "phone": "010-69312345"}
    planned = scanned(town["planned"]).get_json()
    assert (planned["status_label"], planned["open_now"]) == ("建设中", None)
    old = station_for(world.unit, name="旧址驿站", lat=LIANGXIANG[0], lng=LIANGXIANG[1],
                      status=StationStatus.MOVED)
    Station.update(moved_to=town["here"]).where(Station.id == old.id).execute()
    moved = scanned(Station.get_by_id(old.id)).get_json()
    assert moved["status_label"] == "已迁址" and moved["moved_to"]["name"] == "门口驿站"
    for unknown in ("st.nosuchcode", "bt.ballot1", "qrscene_"):
        assert scanned(unknown).status_code == 404
