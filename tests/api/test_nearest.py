"""The widening nearest search answers exactly what one GEOSEARCH over the whole radius would;
filters fetch more candidates until enough pass."""
import random

import pytest

from miniapp_backend.api import nearest
from miniapp_backend.models import StationStatus
from miniapp_backend.services import nearby
from tests.factories import station_for

CENTRE = (39.72, 116.10)  # 房山区, where stations may be


@pytest.fixture
def scattered(world):
    """60 listed stations: a dense cluster near the centre and a sparse ring up to ~20 km out."""
    rng = random.Random(7)
    made = []
    for n in range(60):
        spread = 0.004 if n < 40 else 0.15
        made.append(station_for(world.unit, name=f"驿站{n}", status=StationStatus.ACTIVE,
                                lat=CENTRE[0] + rng.uniform(-spread, spread),
                                lng=CENTRE[1] + rng.uniform(-spread, spread),
                                services=["如厕"] if n % 15 == 14 else ["饮水"]))
    return made


def ids(hits):
    """Station ids in order."""
    return [hit.card.id for hit in hits]


def whole_radius(redis, lat, lng, limit, radius_km=20):
    """Station ids of one bare GEOSEARCH over the whole radius, nearest first."""
    nearby.ensure_index(redis)
    hits = redis.geosearch(nearby.GEO_KEY, longitude=lng, latitude=lat, radius=radius_km, unit="km",
                           sort="ASC", count=limit)
    return [int(member) for member in hits]


@pytest.mark.parametrize("lat, lng", [CENTRE, (39.80, 116.22), (39.52, 115.90)])
@pytest.mark.parametrize("limit", [1, 5, 50])
def test_same_answer_as_one_search_over_the_whole_radius(redis_client, scattered, lat, lng, limit):
    whole = whole_radius(redis_client, lat, lng, limit)
    assert ids(nearby.nearest(redis_client, lat, lng, count=limit, radius_km=20)) == whole
    assert ids(nearest.nearest(redis_client, lat, lng, 20, limit)) == whole


def test_filters_fetch_more_candidates_until_enough_pass(redis_client, scattered):
    rare = [s.id for s in scattered if s.services == ["如厕"]]
    found = nearest.nearest(redis_client, *CENTRE, 20, 4, keep=lambda s: "如厕" in s.services)
    assert sorted(ids(found)) == sorted(rare)
    distances = [hit.metres for hit in found]
    assert distances == sorted(distances)


def test_the_candidate_bound_caps_a_filter_nothing_passes(redis_client, scattered, monkeypatch):
    monkeypatch.setattr(nearest, "MAX_CANDIDATES", 8)
    calls = []
    real = nearby.nearest

    def counting(*args, **kwargs):
        """The real search, noting how many candidates were asked for."""
        calls.append(kwargs["count"])
        return real(*args, **kwargs)
    monkeypatch.setattr(nearby, "nearest", counting)
    assert nearest.nearest(redis_client, *CENTRE, 20, 2, keep=lambda s: False) == []
    assert max(calls) == 8


def test_radius_is_respected(redis_client, scattered):
    found = nearest.nearest(redis_client, *CENTRE, 0.2, 50)
    assert found and all(hit.metres <= 200 for hit in found)
