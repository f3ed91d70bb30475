"""What a station page shows, computed from the domain (the template only lays it out)."""
from dataclasses import dataclass, field
from urllib.parse import quote

from miniapp_backend.models import STATION_STATUS_LABELS, Station, StationStatus
from miniapp_backend.services import nearby
from miniapp_backend.services import stations as station_service

NEARBY_COUNT = 3
NEARBY_RADIUS_KM = 30
# Amap's URI API opens a marker without a key, in the browser or the Amap app; it takes GCJ-02.
MAP_URL = "https://uri.amap.com/marker?position={lng},{lat}&name={name}&coordinate=gaode&callnative=1"


@dataclass(frozen=True)
class Nearby:
    """An open station nearby, for a closed station's page."""

    name: str
    address: str
    code: str
    metres: int
    open_now: bool

    @property
    def distance(self):
        """“约850米” or “约13.8公里”, as the chat prints it."""
        return nearby.distance_text(self.metres)


@dataclass
class StationPage:
    """Everything the page template needs."""

    station: Station
    status_label: str
    available: bool
    open_now: bool
    hours_known: bool
    hours: str
    services: list
    map_url: str
    chair: dict = field(default_factory=dict)
    moved_to: Station | None = None
    nearby: list = field(default_factory=list)


def map_url(station):
    """A map link that opens outside WeChat's restrictions."""
    return MAP_URL.format(lng=station.lng, lat=station.lat, name=quote(station.name))


def _nearby(redis, station, moved_to):
    """The nearest listed stations other than this one and the new site named above them."""
    shown = {station.id} | ({moved_to.id} if moved_to else set())
    found = nearby.nearest(redis, station.lat, station.lng, count=NEARBY_COUNT,
                           radius_km=NEARBY_RADIUS_KM, exclude=shown)
    return [Nearby(n.card.name, n.card.address, n.card.code, n.metres, station_service.is_open(n.card))
            for n in found]


def station_page(redis, station):
    """The page of one station; a closed or moved one lists where to go instead."""
    available = station.status == StationStatus.ACTIVE
    labels = station_service.vocabulary()
    moved_to = station_service.open_new_site(station)
    return StationPage(
        station=station, status_label=STATION_STATUS_LABELS[StationStatus(station.status)],
        available=available, open_now=station_service.is_open(station),
        hours_known=station_service.hours_known(station), hours=station_service.hours_text(station),
        services=[labels.get(s, s) for s in station.services], map_url=map_url(station),
        chair=station_service.chair_contact(station), moved_to=moved_to,
        nearby=[] if available else _nearby(redis, station, moved_to))
