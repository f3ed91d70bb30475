"""Filtered nearest-station search over services.nearby.

Filters (service, kind, open now) are applied to the cards the index returns, fetching more
candidates while they drop too many.
"""
from miniapp_backend.services import nearby

WIDEN = 4  # each widening multiplies the candidates fetched by this
MAX_CANDIDATES = 1000  # a filtered search looks at no more than this many nearest stations


def nearest(redis, lat, lng, radius_km, limit, keep=lambda card: True):
    """Up to `limit` listed stations whose card passes `keep` within `radius_km`, nearest first."""
    want = limit
    while True:
        found = nearby.nearest(redis, lat, lng, count=want, radius_km=radius_km)
        kept = [hit for hit in found if keep(hit.card)]
        # Enough passed, or the circle holds no more stations, or the candidate bound is reached.
        if len(kept) >= limit or len(found) < want or want >= MAX_CANDIDATES:
            return kept[:limit]
        want = min(want * WIDEN, MAX_CANDIDATES)
