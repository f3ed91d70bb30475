"""Benchmark: GET /api/v1/stations/nearby over 100,000 stations spread across Beijing.

    .venv/bin/python bench/nearby.py [--stations 100000] [--queries 2000] [--postgres URL]

Builds everything in a temporary folder: SQLite in WAL mode (or a temporary PostgreSQL
database), an embedded redis-server child, and 100,000 public, open stations: 60 % in the
urban core (城六区), 40 % over the whole municipality, as real stations cluster. For radius 3 km
and 20 km it times the same random query points twice, in one run: the API call through
Flask's test client (WSGI in-process, no network: routing, token-less rate limit, query
checks, the Redis search returning the hits' cards, JSON), and a bare Redis GEOSEARCH
(nearest 10, with distances) on the same index, alternating in blocks of 100 queries so that
both meet the same machine load. Prints Redis's memory for the index (positions and cards),
p50/p99 of both and their ratio, and the edge's floor (a request that searches nothing); exits
1 when the API's p99 is over the 5 ms target.
"""
import argparse
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import stop_process  # noqa: E402
from miniapp_backend import embedded_redis  # noqa: E402
from miniapp_backend.api.ratelimit import LIMITS_SETTING, Bucket  # noqa: E402
from miniapp_backend.app import create_app  # noqa: E402
from miniapp_backend.clock import utcnow  # noqa: E402
from miniapp_backend.config import Config  # noqa: E402
from miniapp_backend.db import database, init_database  # noqa: E402
from miniapp_backend.migrate import apply_migrations  # noqa: E402
from miniapp_backend.models import Org, OrgKind, Station, StationStatus  # noqa: E402
from miniapp_backend.services import nearby, stations  # noqa: E402

BEIJING = ((39.45, 41.05), (115.45, 117.45))  # lat, lng of the municipality, roughly
URBAN_CORE = ((39.75, 40.10), (116.10, 116.65))  # 城六区, roughly
URBAN_SHARE = 0.6
RADII_M = (3000, 20000)
LIMIT = 10
TARGET_P99_MS = 5.0
WARMUP, CHUNK, BLOCK = 200, 1000, 100
SEED = 20180510


def point(rng, box):
    """A uniformly random (lat, lng) in `box`."""
    (lat0, lat1), (lng0, lng1) = box
    return rng.uniform(lat0, lat1), rng.uniform(lng0, lng1)


def station_rows(count, org_id, rng):
    """`count` public, open stations: hours, services and places drawn at random."""
    services, now = list(stations.vocabulary()), utcnow()
    rows = []
    for n in range(count):
        lat, lng = point(rng, URBAN_CORE if rng.random() < URBAN_SHARE else BEIJING)
        hours = {"always": True} if n % 3 == 0 else {d: [["08:00", "20:00"]] for d in stations.WEEKDAYS}
        rows.append(dict(org=org_id, code=secrets.token_hex(5), name=f"职工暖心驿站{n}",
                         address=f"北京市某区某路{n}号", lat=lat, lng=lng, public=True,
                         status=StationStatus.ACTIVE, hours=hours, services=rng.sample(services, 4),
                         created_at=now, updated_at=now))
    return rows


def build(count, rng):
    """The org and the stations, then the Redis index from the database."""
    org = Org.create(kind=OrgKind.DISTRICT, full_name="北京市总工会（基准测试）", path="/1/")
    rows = station_rows(count, org.id, rng)
    with database.atomic():
        for start in range(0, len(rows), CHUNK):
            Station.insert_many(rows[start:start + CHUNK]).execute()


def percentiles(samples):
    """(p50, p99) in milliseconds."""
    cuts = statistics.quantiles(samples, n=100)
    return cuts[49] * 1000, cuts[98] * 1000


def api_call(client, lat, lng, radius):
    """One query through the whole API stack; it must answer 200."""
    url = f"/api/v1/stations/nearby?lat={lat}&lng={lng}&radius={radius}&limit={LIMIT}"
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"API answered {response.status_code}: {response.get_data(as_text=True)[:200]}")


def bare_search(redis, lat, lng, radius):
    """The same query as one bare GEOSEARCH (nearest LIMIT, with distances)."""
    redis.geosearch(nearby.GEO_KEY, longitude=lng, latitude=lat, radius=radius / 1000, unit="km",
                    sort="ASC", count=LIMIT, withdist=True)


def time_floor(client, count):
    """The edge alone: a request that only reads the service vocabulary (routing, rate limit,
    the app's per-request database connection, JSON), for comparison."""
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        client.get("/api/v1/stations/services")
        samples.append(time.perf_counter() - started)
    return samples


def time_both(client, redis, points, radius):
    """Seconds per query of each path, alternating in blocks so both meet the same machine load
    (query by query, the large bare searches would slow the API calls right after them)."""
    api, bare = [], []
    for start in range(0, len(points), BLOCK):
        block = points[start:start + BLOCK]
        for lat, lng in block:
            started = time.perf_counter()
            api_call(client, lat, lng, radius)
            api.append(time.perf_counter() - started)
        for lat, lng in block:
            started = time.perf_counter()
            bare_search(redis, lat, lng, radius)
            bare.append(time.perf_counter() - started)
    return api, bare


def print_memory(redis, count):
    """Redis's memory with the index built: all of it (used_memory) and the two keys' shares."""
    used = redis.info("memory")["used_memory"]
    geo, cards = (redis.memory_usage(key, samples=0) for key in (nearby.GEO_KEY, nearby.CARDS_KEY))
    print(f"Redis used_memory {used / 2**20:.1f} MiB: GEO set {geo / 2**20:.1f} MiB, cards {cards / 2**20:.1f} MiB "
          f"({(geo + cards) / count:.0f} bytes a station)")


def run(args, tmp):
    """Build, warm up, time; return True when the target is met."""
    rng = random.Random(SEED)
    redis_dir = tmp / "redis"
    server = subprocess.Popen(embedded_redis.server_command(redis_dir), stdout=subprocess.DEVNULL)
    try:
        embedded_redis.wait_until_up(redis_dir)
        database_url = args.postgres or f"sqlite:///{tmp / 'bench.db'}"
        config = Config.from_env({"APP_ENV": "test", "DATABASE_URL": database_url, "VAR_DIR": str(tmp),
                                  "SECRET_KEY": "bench", "REDIS_URL": f"unix://{redis_dir / 'redis.sock'}"})
        apply_migrations(init_database(database_url))
        started = time.perf_counter()
        build(args.stations, rng)
        app = create_app(config)
        app.config[LIMITS_SETTING] = {Bucket.PUBLIC: (10**9, 60)}
        redis = app.extensions["redis"]
        nearby.rebuild(redis)
        print(f"{args.stations:,} stations stored and indexed in {time.perf_counter() - started:.1f} s "
              f"({'PostgreSQL' if args.postgres else 'SQLite'}, embedded Redis on a unix socket)")
        print_memory(redis, args.stations)
        return measure(app.test_client(), redis, args.queries, rng)
    finally:
        stop_process(server)


def measure(client, redis, queries, rng):
    """Time both paths at each radius and print the figures."""
    met = True
    print("Flask test client (in-process WSGI, no network); API and bare GEOSEARCH alternate in blocks")
    for radius in RADII_M:
        points = [point(rng, URBAN_CORE if rng.random() < URBAN_SHARE else BEIJING) for _ in range(queries)]
        time_both(client, redis, points[:WARMUP], radius)
        api, bare = time_both(client, redis, points, radius)
        (api_p50, api_p99), (geo_p50, geo_p99) = percentiles(api), percentiles(bare)
        print(f"radius {radius / 1000:>4.0f} km  API p50 {api_p50:6.2f} ms  p99 {api_p99:6.2f} ms   "
              f"GEOSEARCH p50 {geo_p50:6.2f} ms  p99 {geo_p99:6.2f} ms   "
              f"ratio p50 {api_p50 / geo_p50:5.1f}x  p99 {api_p99 / geo_p99:5.1f}x")
        met = met and api_p99 < TARGET_P99_MS
    floor_p50, floor_p99 = percentiles(time_floor(client, queries))
    print(f"edge floor (GET /stations/services: no search) p50 {floor_p50:.2f} ms  p99 {floor_p99:.2f} ms")
    print(f"target API p99 < {TARGET_P99_MS} ms at both radii: {'met' if met else 'MISSED'}")
    return met


def main():
    """Parse arguments, run in a temporary folder, exit 1 when the target is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--postgres", default="", help="a database URL to use instead of SQLite")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bench-nearby-"))
    try:
        met = run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
