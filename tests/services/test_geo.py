"""WGS84 → GCJ-02 against the reference points every open implementation is tested with."""
import pytest

from miniapp_backend.services.geo import Datum, out_of_china, to_gcj02, wgs84_to_gcj02

# (WGS84 lat, lng) → (GCJ-02 lat, lng), from the eviltransform test suites.
REFERENCE_POINTS = [
    ((31.1774276, 121.5272106), (31.17530398364597, 121.531541859215)),  # Shanghai
    ((22.543847, 113.912316), (22.540796131694766, 113.9171764808363)),  # Shenzhen
    ((39.911954, 116.377817), (39.91334545536069, 116.38404722455657)),  # Beijing
]


@pytest.mark.parametrize("wgs, gcj", REFERENCE_POINTS)
def test_reference_points(wgs, gcj):
    assert wgs84_to_gcj02(*wgs) == pytest.approx(gcj, abs=1e-9)


def test_outside_china_nothing_moves():
    assert out_of_china(48.8584, 2.2945)
    assert wgs84_to_gcj02(48.8584, 2.2945) == (48.8584, 2.2945)


def test_the_offset_in_beijing_is_a_few_hundred_metres():
    lat, lng = wgs84_to_gcj02(39.7355, 116.1397)
    assert 0.001 < lat - 39.7355 < 0.002 and 0.005 < lng - 116.1397 < 0.007


def test_to_gcj02_by_datum():
    assert to_gcj02(39.9, 116.4) == (39.9, 116.4)
    assert to_gcj02(39.9, 116.4, Datum.WGS84) == wgs84_to_gcj02(39.9, 116.4)
    assert to_gcj02(39.9, 116.4, "wgs84") == wgs84_to_gcj02(39.9, 116.4)
