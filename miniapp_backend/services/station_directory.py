"""Stations for admins: filtered lists and a schematic map of where they are."""
from dataclasses import dataclass

from miniapp_backend.models import Org, Station

MAP_POINTS = 3000  # enough to show density; more only slows the phone down
MAP_WIDTH, MAP_HEIGHT = 640, 560


@dataclass(frozen=True)
class StationFilters:
    """What an admin asked for; empty means "any"."""

    status: str = ""
    public: str = ""
    text: str = ""
    system_id: int | None = None


def query(org_condition, filters):
    """Stations of orgs within `org_condition`, filtered, by name."""
    rows = Station.select(Station, Org).join(Org).where(org_condition)
    if filters.status:
        rows = rows.where(Station.status == filters.status)
    if filters.public in ("1", "0"):
        rows = rows.where(Station.public == (filters.public == "1"))
    if filters.text:
        rows = rows.where(Station.name.contains(filters.text) | Station.address.contains(filters.text))
    if filters.system_id:
        system = Org.get_or_none(Org.id == filters.system_id)
        rows = rows.where(Org.path.startswith(system.path)) if system else rows.where(Org.id == 0)
    return rows.order_by(Station.name, Station.id)


def map_points(rows):
    """(x, y, status) in SVG units for up to MAP_POINTS stations, framed on what is shown."""
    coords = list(rows.select(Station.lat, Station.lng, Station.status).order_by(Station.id)
                  .limit(MAP_POINTS).tuples())
    if not coords:
        return []
    lats = [c[0] for c in coords]
    lngs = [c[1] for c in coords]
    lat_low, lat_high = min(lats), max(lats)
    lng_low, lng_high = min(lngs), max(lngs)
    lat_span, lng_span = (lat_high - lat_low) or 0.01, (lng_high - lng_low) or 0.01
    return [(round(10 + (lng - lng_low) / lng_span * (MAP_WIDTH - 20), 1),
             round(10 + (lat_high - lat) / lat_span * (MAP_HEIGHT - 20), 1), status)
            for lat, lng, status in coords]
