"""Benchmark: 10,000 ballots through POST /b/<code>.json on a real gunicorn on loopback.

    .venv/bin/python bench/ballots.py [--votes 10000] [--workers <cores>] [--threads 16] [--clients 32]
                                      [--postgres postgresql://127.0.0.1:5432/test]

Builds everything in a temporary folder: SQLite in WAL mode (or, with --postgres, a temporary
database on that server), an embedded redis-server child, the migrated schema, one unit with a
round of N voters. Starts `gunicorn wsgi:app` (gthread workers) on 127.0.0.1:<free port>, casts
every ballot once from a pool of client threads, then replays 1,000 of the codes (each must be
refused as a second vote) and 100 forged codes (refused as unknown, then rate-limited). Finally
it checks the database: exactly N ballots and N voters marked, the agree count and every
standard's score sum equal to what was sent. Exits 1 if a check fails or the votes took ≥ 60 s.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import free_port, stop_process, temporary_postgres, worker_cpu_seconds  # noqa: E402
from miniapp_backend import embedded_redis  # noqa: E402
from miniapp_backend.clock import utcnow  # noqa: E402
from miniapp_backend.db import database, init_database  # noqa: E402
from miniapp_backend.migrate import apply_migrations  # noqa: E402
from miniapp_backend.models import OrgKind, RoleKind  # noqa: E402
from miniapp_backend.models.evaluations import Ballot, Voter  # noqa: E402
from miniapp_backend.services import evaluation_roster, evaluations, orgs, people  # noqa: E402
from miniapp_backend.services.evaluation_tally import tally  # noqa: E402

SECRET = "bench-secret"
LIMIT_SECONDS = 60
DUPLICATES, FORGED = 1000, 100
_local = threading.local()


def _open_round(votes):
    """One unit, its chair and an open round of `votes` voters; (round, [scene])."""
    district = orgs.create_org(None, OrgKind.DISTRICT, "北京市房山区总工会")
    unit = orgs.create_org(district, OrgKind.GRASSROOTS, "压测示例有限公司工会委员会")
    chair = people.person_for("official_account", "o-bench-chair")
    people.grant_role(chair, unit, RoleKind.CHAIR)
    entries = evaluation_roster.entered([(f"会员{n}", f"工号{n:05d}") for n in range(votes)])
    round_, issued = evaluations.open_round(chair, unit, entries, utcnow() + dt.timedelta(days=1), SECRET)
    return round_, [i.scene for i in issued]


def _start_gunicorn(env, port, workers, threads):
    """gunicorn on 127.0.0.1:port; returns once /healthz answers."""
    argv = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--worker-class", "gthread", "--threads", str(threads), "--log-level", "warning", "wsgi:app"]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return proc
        except requests.RequestException:
            pass  # still booting
        time.sleep(0.2)
    stop_process(proc)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def _post(port, scene, body):
    """POST one ballot on this thread's keep-alive connection; (status, seconds).

    http.client rather than requests: the client shares the machine's cores with the server,
    and requests costs several times more CPU per call.
    """
    payload = json.dumps(body).encode()
    started = time.perf_counter()
    for attempt in (1, 2):  # a kept-alive connection the server has just closed: reconnect once
        connection = getattr(_local, "connection", None) or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        _local.connection = connection
        try:
            connection.request("POST", f"/b/{scene}.json", payload, {"Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        except (http.client.HTTPException, ConnectionError):
            connection.close()
            _local.connection = None
            if attempt == 2:
                raise


def _ballots(scenes, seed=8):
    """A reproducible random ballot per scene (agree, five scores)."""
    rng = random.Random(seed)
    return [(scene, {"agree": rng.random() < 0.9, "scores": [rng.randint(1, 5) for _ in range(5)], "comment": ""})
            for scene in scenes]


def _cast(port, ballots, clients):
    """Send every ballot once; (elapsed seconds, [(status, latency)])."""
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda item: _post(port, *item), ballots))
    return time.perf_counter() - started, results


def _check(round_, ballots, results, replays, forged):
    """Compare the database with what was sent; return the list of failed checks."""
    votes = len(ballots)
    counted = tally(round_)
    stored = list(Ballot.select().where(Ballot.round == round_))
    sent_sums = [sum(body["scores"][i] for _, body in ballots) for i in range(5)]
    stored_sums = [sum(b.scores[name] for b in stored) for name in round_.standards]
    checks = {
        f"every vote answered 201 ({votes})": all(status == 201 for status, _ in results),
        f"ballots stored = 实到 = {votes}": len(stored) == counted.present == votes,
        f"voters marked = {votes}": Voter.select().where(Voter.voted_at.is_null(False)).count() == votes,
        f"同意 = agrees sent ({counted.agreed})": counted.agreed == sum(body["agree"] for _, body in ballots),
        "score sums per standard = sent": stored_sums == sent_sums,
        f"{len(replays)} replays all refused with 409": all(status == 409 for status, _ in replays),
        f"{len(forged)} forged codes all refused (404/429)": all(status in (404, 429) for status, _ in forged),
    }
    for name, ok in checks.items():
        print(f"  [{'ok' if ok else 'FAILED'}] {name}")
    return [name for name, ok in checks.items() if not ok]


def _figures(elapsed, results):
    """Print throughput and latency."""
    latencies = sorted(seconds * 1000 for _, seconds in results)
    cut = statistics.quantiles(latencies, n=100)
    print(f"  {len(results)} votes in {elapsed:.2f} s = {len(results) / elapsed:.0f} votes/s "
          f"(limit {LIMIT_SECONDS} s)")
    print(f"  latency ms: p50 {cut[49]:.1f}, p95 {cut[94]:.1f}, p99 {cut[98]:.1f}, max {latencies[-1]:.1f}")


def run(args, workdir):
    """Set up, start, cast, replay, check; return the process exit status."""
    drop = None
    database_url = f"sqlite:///{workdir / 'bench.db'}"
    if args.postgres:
        database_url, drop = temporary_postgres(args.postgres)
    redis_proc = embedded_redis.start_child(workdir / "redis")
    gunicorn = None
    try:
        apply_migrations(init_database(database_url))
        round_, scenes = _open_round(args.votes)
        env = dict(os.environ, APP_ENV="test", DATABASE_URL=database_url, SECRET_KEY=SECRET,
                   REDIS_URL=f"unix://{embedded_redis.socket_path(workdir / 'redis')}", VAR_DIR=str(workdir))
        port = free_port()
        gunicorn = _start_gunicorn(env, port, args.workers, args.threads)
        ballots = _ballots(scenes)
        backend = "PostgreSQL" if args.postgres else "SQLite (WAL)"
        print(f"gunicorn gthread {args.workers}×{args.threads} on 127.0.0.1:{port}, {backend}, "
              f"{args.clients} client threads")
        cpu_before = worker_cpu_seconds(gunicorn)
        elapsed, results = _cast(port, ballots, args.clients)
        _figures(elapsed, results)
        busy = worker_cpu_seconds(gunicorn) - cpu_before
        print(f"  server CPU {busy:.1f} s = {busy * 1000 / len(results):.2f} ms per vote; "
              f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        _, replays = _cast(port, random.Random(1).sample(ballots, min(DUPLICATES, len(ballots))), args.clients)
        forged_codes = [(f"bt.{secrets.token_hex(8).upper().translate(str.maketrans('01', 'AB'))}", ballots[0][1])
                        for _ in range(FORGED)]
        _, forged = _cast(port, forged_codes, args.clients)
        failed = _check(round_, ballots, results, replays, forged)
        return 1 if failed or elapsed >= LIMIT_SECONDS else 0
    finally:
        if gunicorn is not None:
            stop_process(gunicorn)
        stop_process(redis_proc)
        if drop:
            database.close()
            drop()


def main():
    """Parse the options and run the benchmark in a temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=10_000)
    # One worker per core: SQLite takes one writer at a time, and more processes only queue.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="use a temporary database on this PostgreSQL server")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zgzj-bench-") as workdir:
        sys.exit(run(args, Path(workdir)))


if __name__ == "__main__":
    main()
