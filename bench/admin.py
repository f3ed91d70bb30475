"""Admin web benchmark: `python bench/admin.py` builds a district-scale dataset and times pages.

Prints, per page, the server time (p50/p95/max over repeated requests through the WSGI app) and
the number of SQL queries each request ran. Target: p95 under 300 ms, queries independent of
the data size (no N+1).
"""
import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.admin_dataset import SYSTEMS, build  # noqa: E402
from bench.common import stop_process  # noqa: E402
from miniapp_backend import embedded_redis  # noqa: E402
from miniapp_backend.app import create_app  # noqa: E402
from miniapp_backend.config import Config  # noqa: E402
from miniapp_backend.db import database, init_database  # noqa: E402
from miniapp_backend.migrate import apply_migrations  # noqa: E402
from miniapp_backend.models import Application, Org, Person, RoleKind  # noqa: E402
from miniapp_backend.services import admin_accounts, people  # noqa: E402

TARGET_MS = 300
PASSWORD = "bench-password-1"


class QueryCounter:
    """Counts every statement the database runs (wraps execute_sql)."""

    def __init__(self, db):
        """Wrap `db.execute_sql`."""
        self.count, self._real = 0, db.execute_sql
        db.execute_sql = self._counted

    def _counted(self, *args, **kwargs):
        """Count, then run the statement."""
        self.count += 1
        return self._real(*args, **kwargs)


def accounts():
    """A 区总工会 admin and a 系统工会 admin with sign-in accounts."""
    for username, org_id, role in (("district", 1, RoleKind.DISTRICT_ADMIN), ("system", 2, RoleKind.SYSTEM_ADMIN)):
        person = Person.create(name=username)
        people.grant_role(person, Org.get_by_id(org_id), role)
        admin_accounts.create_account(person, username, PASSWORD)


def signed_in(app, username):
    """A test client signed in as `username`."""
    client = app.test_client()
    page = client.get("/admin/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/admin/login", data={"username": username, "password": PASSWORD, "csrf_token": token})
    return client


def measure(client, counter, paths, repeat):
    """(times in ms, queries per request) over `repeat` rounds of `paths`, after one warm-up."""
    for path in paths:
        assert client.get(path).status_code == 200, path
    times, queries = [], []
    for _ in range(repeat):
        for path in paths:
            before = counter.count
            start = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - start) * 1000)
            queries.append(counter.count - before)
            assert response.status_code == 200, path
    return times, queries


def pages(detail_ids):
    """The pages measured: name → (user, paths)."""
    return {
        "dashboard (district)": ("district", ["/admin/"]),
        "dashboard (系统工会)": ("system", ["/admin/"]),
        "list: filtered (kind+status)": ("district", ["/admin/applications?kind=warm_station&status=submitted"]),
        "list: text + 系统工会, page 3": ("district", ["/admin/applications?q=示例&system=3&page=3&sort=org"]),
        "list (系统工会, all)": ("system", ["/admin/applications"]),
        "detail": ("district", [f"/admin/applications/{i}" for i in detail_ids]),
        "stations list + map": ("district", ["/admin/stations?status=active"]),
    }


def report(results):
    """Print the table and return whether every page met the target."""
    print(f"{'page':34} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>10}")
    ok = True
    for name, (times, queries) in results.items():
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        spread = f"{min(queries)}" if min(queries) == max(queries) else f"{min(queries)}–{max(queries)}"
        print(f"{name:34} {statistics.median(times):8.1f} {p95:8.1f} {max(times):8.1f} {spread:>10}")
        ok &= p95 < TARGET_MS
    return ok


def main():
    """Build, sign in, measure, print; exit 1 when a page misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a fresh SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=20, help="rounds per page (detail: 10 applications each)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="zgzj-bench-admin-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    redis_proc = embedded_redis.start_child(folder / "redis")
    try:
        db = init_database(url)
        apply_migrations(db)
        started = time.perf_counter()
        with db.connection_context():
            build()
            accounts()
            counts = (Org.select().count(), Application.select().count())
        print(f"dataset: {counts[0]} orgs ({SYSTEMS} 系统工会), {counts[1]} applications, built in "
              f"{time.perf_counter() - started:.1f} s ({url.split(':')[0]})")
        config = Config.from_env({"APP_ENV": "test", "DATABASE_URL": url, "VAR_DIR": str(folder),
                                  "REDIS_URL": f"unix://{embedded_redis.socket_path(folder / 'redis')}",
                                  "SECRET_KEY": "bench"})
        app = create_app(config)
        counter = QueryCounter(database.obj)
        with db.connection_context():
            detail_ids = [a.id for a in Application.select(Application.id).where(Application.version > 0)
                          .order_by(Application.id).limit(10)]
        results = {name: measure(signed_in(app, user), counter, paths, args.repeat)
                   for name, (user, paths) in pages(detail_ids).items()}
        sys.exit(0 if report(results) else 1)
    finally:
        stop_process(redis_proc)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
