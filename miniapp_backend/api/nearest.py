"""Filtered nearest-station search over services.nearby, cheap at any station density.

Sorting every station within 20 km of a city centre costs Redis far more than the ten nearest
need, so the search starts small and widens: the nearest N inside a small circle are the nearest
N inside any larger one. Filters (service, kind, open now) are applied to the cards the index
returns, fetching more candidates while they drop too many.
"""
from miniapp_backend.services import nearby

FIRST_RADIUS_KM = 1.0
WIDEN = 4  # each widening multiplies the radius (or the candidates fetched) by this
MAX_CANDIDATES = 1000  # a filtered search looks at no more than this many nearest stations


def nearest(redis, lat, lng, radius_km, limit, keep=lambda card: True):
    """Up to `limit` listed stations whose card passes `keep` within `radius_km`, nearest first."""
    radius, want = min(FIRST_RADIUS_KM, radius_km), limit
    while True:
        found = nearby.nearest(redis, lat, lng, count=want, radius_km=radius)
        kept = [hit for hit in found if keep(hit.card)]
        if len(kept) >= limit:
            break
        if len(found) >= want:
            # The circle holds more stations than fetched; the filters dropped some of them.
            if want >= MAX_CANDIDATES:
                break
            want = min(want * WIDEN, MAX_CANDIDATES)
        elif radius < radius_km:
            radius = min(radius * WIDEN, radius_km)
        else:
            break
    return kept[:limit]
