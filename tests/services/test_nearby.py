"""The nearby index: cards beside positions, answers without the database, rebuilt when lost or
of an older layout, repaired when a position has lost its card."""
import json

import pytest

from miniapp_backend.models import Station, StationStatus
from miniapp_backend.services import nearby, stations
from tests.factories import station_for
from tests.nearby_index import assert_index_matches_database


@pytest.mark.parametrize("metres, text", [(0, "约0米"), (999, "约999米"), (1000, "约1.0公里"), (13811, "约13.8公里")])
def test_distances_are_metres_below_a_kilometre_and_kilometres_from_one_on(metres, text):
    assert nearby.distance_text(metres) == text

LIANGXIANG = (39.7355, 116.1397)


@pytest.fixture
def town(world):
    """Three listed stations around 良乡 and two that are not."""
    made = {
        "here": station_for(world.unit, name="门口驿站", status=StationStatus.ACTIVE, phone="010-69310000",
                            hours={"always": True}, place_type="社区"),
        "near": station_for(world.unit, name="一公里驿站", lat=LIANGXIANG[0] + 0.009, status=StationStatus.ACTIVE,
                            kind="public_home", services=["如厕"], hours={"mon": [["08:00", "18:00"]]}),
        "far": station_for(world.other_unit, name="五公里驿站", lat=LIANGXIANG[0] + 0.045,
                           status=StationStatus.ACTIVE),
        "hidden": station_for(world.unit, name="内部驿站", lat=LIANGXIANG[0] + 0.001, public=False,
                              status=StationStatus.ACTIVE),
        "planned": station_for(world.unit, name="建设中驿站", lat=LIANGXIANG[0] + 0.002),
    }
    return {key: Station.get_by_id(station.id) for key, station in made.items()}


def names(hits):
    """Station names in order."""
    return [hit.card.name for hit in hits]


def test_a_search_answers_cards_and_distances_from_redis_alone(town, redis_client, db, monkeypatch):
    nearby.rebuild(redis_client)
    monkeypatch.setattr(db, "autoconnect", False)
    db.close()  # any query now fails: the answer must come from Redis
    found = nearby.nearest(redis_client, *LIANGXIANG, count=5, radius_km=10)
    assert names(found) == ["门口驿站", "一公里驿站", "五公里驿站"]
    assert [hit.card for hit in found] == [nearby.card_of(town[k]) for k in ("here", "near", "far")]
    assert found[0].metres == 0 and 990 <= found[1].metres <= 1010
    assert found[0].card.phone == "010-69310000" and found[1].card.kind == "public_home"


def test_the_index_is_built_on_first_use_and_again_after_a_flush(town, redis_client):
    assert names(nearby.nearest(redis_client, *LIANGXIANG)) == ["门口驿站", "一公里驿站", "五公里驿站"]
    assert_index_matches_database(redis_client)
    redis_client.flushdb()
    assert names(nearby.nearest(redis_client, *LIANGXIANG, count=1)) == ["门口驿站"]
    assert_index_matches_database(redis_client)


def test_an_index_of_an_older_card_layout_is_rebuilt(town, redis_client):
    nearby.rebuild(redis_client)
    redis_client.set(nearby.BUILT_KEY, nearby.CARD_LAYOUT - 1)
    redis_client.hset(nearby.CARDS_KEY, town["here"].id, json.dumps(["an", "older", "layout"]))
    assert names(nearby.nearest(redis_client, *LIANGXIANG, count=1)) == ["门口驿站"]
    assert_index_matches_database(redis_client)


def test_a_change_on_a_lost_index_rebuilds_it_with_the_change(town, redis_client):
    redis_client.flushdb()
    stations.update_station(town["planned"], status=StationStatus.ACTIVE)
    nearby.station_changed(redis_client, town["planned"])
    assert_index_matches_database(redis_client)


def test_a_position_without_its_card_is_answered_and_repaired(town, redis_client):
    nearby.rebuild(redis_client)
    redis_client.hdel(nearby.CARDS_KEY, town["near"].id)  # a write cut short
    found = nearby.nearest(redis_client, *LIANGXIANG, count=2)
    assert [hit.card for hit in found] == [nearby.card_of(town["here"]), nearby.card_of(town["near"])]
    assert_index_matches_database(redis_client)


def test_a_position_without_its_card_of_a_station_since_closed_leaves_the_index(town, redis_client):
    nearby.rebuild(redis_client)
    stations.update_station(town["near"], status=StationStatus.CLOSED)  # an edge that forgot the index…
    redis_client.hdel(nearby.CARDS_KEY, town["near"].id)  # …and lost the card too
    assert names(nearby.nearest(redis_client, *LIANGXIANG)) == ["门口驿站", "五公里驿站"]
    assert_index_matches_database(redis_client)


def test_every_change_moves_position_and_card_together(town, redis_client):
    station = town["here"]
    steps = [dict(name="门口暖心驿站", hours={"sat": [["09:00", "10:00"]]}, services=["饮水", "充电"]),
             dict(lat=39.80, lng=116.20), dict(public=False), dict(public=True), dict(status=StationStatus.CLOSED),
             dict(status=StationStatus.ACTIVE), dict(phone="13800138000", place_type="园区")]
    for changes in steps:
        stations.update_station(station, **changes)
        nearby.station_changed(redis_client, station)
        assert_index_matches_database(redis_client)
    assert nearby.nearest(redis_client, 39.80, 116.20, count=1)[0].card == nearby.card_of(station)


def test_excluded_stations_are_skipped_and_the_count_kept(town, redis_client):
    found = nearby.nearest(redis_client, *LIANGXIANG, count=2, exclude={town["here"].id})
    assert names(found) == ["一公里驿站", "五公里驿站"]
