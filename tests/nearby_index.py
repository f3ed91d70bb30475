"""What the nearby index must hold: exactly the database's listed stations, each with its
position and a card equal to the station's public facts as stored now."""
import json

import pytest

from miniapp_backend.models import Station
from miniapp_backend.services import nearby


def assert_index_matches_database(redis):
    """The GEO set and the cards name the same stations as the database lists, with the same facts."""
    listed = {s.id: s for s in Station.select() if nearby.listed(s)}
    cards = {int(i): nearby.StationCard(int(i), *json.loads(raw))
             for i, raw in redis.hgetall(nearby.CARDS_KEY).items()}
    members = [int(m) for m in redis.zrange(nearby.GEO_KEY, 0, -1)]
    assert set(members) == set(cards) == set(listed)
    assert cards == {i: nearby.card_of(s) for i, s in listed.items()}
    for station_id, (lng, lat) in zip(members, redis.geopos(nearby.GEO_KEY, *members) if members else []):
        station = listed[station_id]
        # GEO keeps a 52-bit geohash: a position comes back within centimetres.
        assert (lat, lng) == (pytest.approx(station.lat, abs=1e-5), pytest.approx(station.lng, abs=1e-5))
