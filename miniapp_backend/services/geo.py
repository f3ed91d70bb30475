"""WGS84 → GCJ-02, the datum Chinese maps, wx.chooseLocation and our stations use.

wx.getLocation answers WGS84 unless asked for GCJ-02; this is the standard public transform
(the one every open implementation shares). Outside China GCJ-02 equals WGS84.
"""
import math
from enum import StrEnum

SEMI_MAJOR = 6378245.0  # the Krasovsky 1940 ellipsoid the transform is defined on
ECCENTRICITY_SQ = 0.00669342162296594323
# China's rough bounding box: outside it no offset is applied.
CHINA_LAT, CHINA_LNG = (0.8293, 55.8271), (72.004, 137.8347)


class Datum(StrEnum):
    """How a coordinate pair is meant."""

    GCJ02 = "gcj02"
    WGS84 = "wgs84"


def out_of_china(lat, lng):
    """True outside the box the offset applies to."""
    return not (CHINA_LAT[0] <= lat <= CHINA_LAT[1] and CHINA_LNG[0] <= lng <= CHINA_LNG[1])


def _shift_lat(x, y):
    """The latitude offset polynomial (x, y relative to 105°E, 35°N)."""
    shift = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    shift += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    shift += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return shift


def _shift_lng(x, y):
    """The longitude offset polynomial (x, y relative to 105°E, 35°N)."""
    shift = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    shift += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    shift += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    shift += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return shift


def wgs84_to_gcj02(lat, lng):
    """(lat, lng) in GCJ-02 for a WGS84 point."""
    if out_of_china(lat, lng):
        return lat, lng
    d_lat = _shift_lat(lng - 105.0, lat - 35.0)
    d_lng = _shift_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - ECCENTRICITY_SQ * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((SEMI_MAJOR * (1 - ECCENTRICITY_SQ)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (SEMI_MAJOR / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lat + d_lat, lng + d_lng


def to_gcj02(lat, lng, datum=Datum.GCJ02):
    """A point given in `datum`, in GCJ-02."""
    return wgs84_to_gcj02(lat, lng) if Datum(datum) == Datum.WGS84 else (lat, lng)
