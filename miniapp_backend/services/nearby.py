"""Nearest stations for workers, from a Redis index of the public, open stations that carries
what a listing shows, so a search reads no database.

The database is the truth; the index is a copy: a GEO set of positions and, next to it, a hash of
each listed station's card (its public facts), always written and removed together. Edges that
change a station call `station_changed`; when the index is missing (a new or wiped Redis) or
holds cards of another layout (after a deploy), it is rebuilt from the database before use, so
a search always answers. Coordinates are GCJ-02 on both sides: Redis's WGS84 geometry then
measures distances between GCJ-02 points, off by far less than a street.
"""
import json
from dataclasses import dataclass, fields

from miniapp_backend.models import Station, StationStatus
from miniapp_backend.redis_scripts import LuaScript

GEO_KEY = "stations:geo"
CARDS_KEY = "stations:cards"
# Set with the index, to the card layout it holds: an empty index is a valid state Redis would
# not keep as a key, and a deploy that changes StationCard finds the old layout and rebuilds.
BUILT_KEY = "stations:geo:built"
CARD_LAYOUT = 2  # bump whenever StationCard's fields change
DEFAULT_COUNT = 3
DEFAULT_RADIUS_KM = 20
REBUILD_BATCH = 1000  # stations per GEOADD/HSET command in a rebuild
# Sorting every station within 20 km of a city centre costs Redis far more than the few nearest
# need, so a search starts small and widens: the nearest N inside a small circle are the nearest
# N inside any larger one.
FIRST_RADIUS_KM = 1.0
WIDEN = 4  # each widening multiplies the radius by this
# A search in one round trip: the built check, the widening GEOSEARCH, then the hits with their
# distances and cards as one JSON document [[id, km, card or null], ...] (cards are JSON already,
# and one string is far cheaper for the client to read than three replies a hit); nil when the
# index is missing or of another layout.
_SEARCH = LuaScript(b"""
if redis.call('GET', KEYS[3]) ~= ARGV[5] then return false end
local count, radius, largest = tonumber(ARGV[4]), tonumber(ARGV[6]), tonumber(ARGV[3])
local hits
repeat
  hits = redis.call('GEOSEARCH', KEYS[1], 'FROMLONLAT', ARGV[1], ARGV[2], 'BYRADIUS', radius, 'km',
                    'ASC', 'COUNT', count, 'WITHDIST')
  local done = #hits >= count or radius >= largest
  radius = math.min(radius * tonumber(ARGV[7]), largest)
until done
if #hits == 0 then return '[]' end
local ids = {}
for i, hit in ipairs(hits) do ids[i] = hit[1] end
local cards = redis.call('HMGET', KEYS[2], unpack(ids))
local found = {}
for i, hit in ipairs(hits) do found[i] = '[' .. hit[1] .. ',' .. hit[2] .. ',' .. (cards[i] or 'null') .. ']' end
return '[' .. table.concat(found, ',') .. ']'
""")


@dataclass(frozen=True)
class StationCard:
    """A listed station's public facts, under a Station's attribute names so that presenters
    take either. Stored as a JSON array of the fields after `id`, in this order."""

    id: int
    code: str
    name: str
    address: str
    lat: float
    lng: float
    kind: str
    place_type: str
    services: list
    hours: dict
    phone: str

    status = StationStatus.ACTIVE  # only listed stations have cards
    public = True  # … and only public ones are listed


CARD_FIELDS = tuple(f.name for f in fields(StationCard))[1:]


@dataclass(frozen=True)
class Nearby:
    """A station's card and how far it is, in metres."""

    card: StationCard
    metres: int


def distance_text(metres):
    """How far, as every channel prints it: “约850米” below a kilometre, “约13.8公里” from one on."""
    return f"约{metres}米" if metres < 1000 else f"约{metres / 1000:.1f}公里"


def listed(station):
    """Only public, open stations are shown to workers."""
    return station.public and station.status == StationStatus.ACTIVE


def card_of(station):
    """The card of a listed station."""
    return StationCard(station.id, *(getattr(station, name) for name in CARD_FIELDS))


def _encoded(station):
    """The card as compact JSON: no keys, no spaces, Chinese as UTF-8 (half the bytes of \\u escapes)."""
    values = [getattr(station, name) for name in CARD_FIELDS]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def _add(pipe, stations):
    """Queue the positions and cards of listed stations."""
    pipe.geoadd(GEO_KEY, [value for s in stations for value in (s.lng, s.lat, s.id)])
    pipe.hset(CARDS_KEY, mapping={s.id: _encoded(s) for s in stations})


def _remove(pipe, station_ids):
    """Queue the removal of stations' positions and cards."""
    pipe.zrem(GEO_KEY, *station_ids)
    pipe.hdel(CARDS_KEY, *station_ids)


def rebuild(redis):
    """Replace the index with every listed station of the database, in one transaction."""
    columns = [Station.id] + [getattr(Station, name) for name in CARD_FIELDS]
    # Only the card's columns, as light rows: a rebuild reads every listed station.
    stations = (Station.select(*columns).where(Station.public == True,  # noqa: E712 (peewee expression)
                                               Station.status == StationStatus.ACTIVE)
                .order_by(Station.id).namedtuples().iterator())
    pipe = redis.pipeline(transaction=True)
    pipe.delete(GEO_KEY, CARDS_KEY)
    batch = []
    for station in stations:
        batch.append(station)
        if len(batch) == REBUILD_BATCH:
            _add(pipe, batch)
            batch = []
    if batch:
        _add(pipe, batch)
    pipe.set(BUILT_KEY, CARD_LAYOUT)
    pipe.execute()


def _is_built(flag):
    """Whether BUILT_KEY's value says the index is there with today's card layout."""
    return flag is not None and int(flag) == CARD_LAYOUT


def ensure_index(redis):
    """Rebuild the index when Redis has lost it or holds another card layout."""
    if not _is_built(redis.get(BUILT_KEY)):
        rebuild(redis)


def station_changed(redis, station):
    """Keep the index in step with one station after it was created or edited."""
    ensure_index(redis)
    pipe = redis.pipeline(transaction=True)
    if listed(station):
        _add(pipe, [station])
    else:
        _remove(pipe, [station.id])
    pipe.execute()


def _search(redis, lat, lng, count, radius_km):
    """[[station id, km, card values or None]], nearest first; rebuilds a lost index first."""
    keys = (GEO_KEY, CARDS_KEY, BUILT_KEY)
    args = (lng, lat, radius_km, count, CARD_LAYOUT, min(FIRST_RADIUS_KM, radius_km), WIDEN)
    found = _SEARCH(keys, args, client=redis)
    if found is None:
        rebuild(redis)
        found = _SEARCH(keys, args, client=redis)
    return json.loads(found)


def _repaired(redis, station_ids):
    """Cards of GEO members whose card is missing (a write cut short), rewritten from the
    database; a member no longer listed leaves the index instead."""
    found = {s.id: s for s in Station.select().where(Station.id.in_(station_ids))}
    kept = [found[i] for i in station_ids if i in found and listed(found[i])]
    gone = set(station_ids) - {s.id for s in kept}
    pipe = redis.pipeline(transaction=True)
    if kept:
        _add(pipe, kept)
    if gone:
        _remove(pipe, gone)
    pipe.execute()
    return {s.id: card_of(s) for s in kept}


def nearest(redis, lat, lng, count=DEFAULT_COUNT, radius_km=DEFAULT_RADIUS_KM, exclude=()):
    """Up to `count` listed stations within `radius_km` of (lat, lng), nearest first."""
    hits = [hit for hit in _search(redis, lat, lng, count + len(exclude), radius_km) if hit[0] not in exclude]
    cards = {i: StationCard(i, *values) for i, _, values in hits if values is not None}
    if len(cards) < len(hits):
        cards.update(_repaired(redis, [i for i, _, _ in hits if i not in cards]))
    ordered = [Nearby(cards[i], round(km * 1000)) for i, km, _ in hits if i in cards]
    return ordered[:count]
