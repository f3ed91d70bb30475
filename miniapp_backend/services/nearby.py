"""Nearest stations for workers, from a Redis GEO index of the public, open stations.

The database is the truth; the index is a copy. Edges that change a station call
`station_changed`, and when the index is missing (a new or wiped Redis) it is rebuilt from the
database before use, so a search always answers. Coordinates are GCJ-02 on both sides: Redis's
WGS84 geometry then measures distances between GCJ-02 points, off by far less than a street.
"""
from dataclasses import dataclass

from miniapp_backend.models import Station, StationStatus

GEO_KEY = "stations:geo"
# Set with the index: an empty index is a valid state Redis would not keep as a key.
BUILT_KEY = "stations:geo:built"
DEFAULT_COUNT = 3
DEFAULT_RADIUS_KM = 20


@dataclass(frozen=True)
class Nearby:
    """A station and how far it is, in metres."""

    station: Station
    metres: int


def listed(station):
    """Only public, open stations are shown to workers."""
    return station.public and station.status == StationStatus.ACTIVE


def rebuild(redis):
    """Replace the index with every listed station of the database."""
    stations = Station.select().where(Station.public == True,  # noqa: E712 (peewee expression)
                                      Station.status == StationStatus.ACTIVE)
    pipe = redis.pipeline(transaction=True)
    pipe.delete(GEO_KEY)
    for station in stations:
        pipe.geoadd(GEO_KEY, (station.lng, station.lat, station.id))
    pipe.set(BUILT_KEY, 1)
    pipe.execute()


def ensure_index(redis):
    """Rebuild the index when Redis has lost it."""
    if not redis.exists(BUILT_KEY):
        rebuild(redis)


def station_changed(redis, station):
    """Keep the index in step with one station after it was created or edited."""
    ensure_index(redis)
    if listed(station):
        redis.geoadd(GEO_KEY, (station.lng, station.lat, station.id))
    else:
        redis.zrem(GEO_KEY, station.id)


def nearest(redis, lat, lng, count=DEFAULT_COUNT, radius_km=DEFAULT_RADIUS_KM, exclude=()):
    """Up to `count` listed stations within `radius_km` of (lat, lng), nearest first."""
    ensure_index(redis)
    hits = redis.geosearch(GEO_KEY, longitude=lng, latitude=lat, radius=radius_km, unit="km",
                           sort="ASC", count=count + len(exclude), withdist=True)
    distances = {int(member): km for member, km in hits if int(member) not in exclude}
    found = {s.id: s for s in Station.select().where(Station.id.in_(list(distances)))}
    # The index may lag a change made without station_changed: check again against the database.
    ordered = [Nearby(found[i], round(km * 1000)) for i, km in distances.items()
               if i in found and listed(found[i])]
    return ordered[:count]
