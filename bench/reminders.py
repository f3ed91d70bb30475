"""Benchmark: 10,000 reminder recipients through the WeChat stand-in, by real rq workers.

    .venv/bin/python bench/reminders.py [--recipients 10000] [--workers 4] [--mode simple]
                                        [--postgres postgresql://127.0.0.1:5432/test]

Builds everything in a temporary folder: SQLite in WAL mode (or a temporary PostgreSQL
database), an embedded redis-server child, the stand-in on a loopback port, the 2018 campaign
and 5,000 qualified units whose chair and staff (the recipients) are due the T-3 reminder of
2018-09-30. 10 % of them wrote to the official account recently (customer-service message),
5 % use only the mini-program (subscribe message, grants recorded), the rest get a template.
The reminder job is enqueued twice (two schedulers, two slots) and `--workers` rq worker
processes run it and every delivery: rq's SimpleWorker, jobs inside the worker process
(default); rq's forking Worker as `python -m workers` runs it today (`--mode fork`: every job
horse imports the app and opens its connections anew); or that Worker with the job modules
imported before the forks (`--mode preload`).
Prints the time to send all, the messages per channel, duplicates (messages beyond one per
recipient: must be 0) and the peak memory of a worker (its own RSS and its largest job horse).
Exits 1 when a check fails.
"""
import argparse
import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import redis as redis_lib  # noqa: E402
from rq.job import Job  # noqa: E402

import standin.state  # noqa: E402

from bench.common import stop_process, temporary_postgres  # noqa: E402
from miniapp_backend import embedded_redis  # noqa: E402
from miniapp_backend.clock import utcnow  # noqa: E402
from miniapp_backend.db import database, init_database  # noqa: E402
from miniapp_backend.migrate import apply_migrations  # noqa: E402
from miniapp_backend.models import (  # noqa: E402
    Channel, ChannelState, Honour, HonourKind, Identity, Notice, NoticeStatus, Org, OrgKind, Person,
    Role, RoleKind, SubscribeGrant)
from miniapp_backend.services import campaigns, notifications, reminders  # noqa: E402
from standin import StandinServer, StandinSettings  # noqa: E402
from workers.queues import enqueue_once  # noqa: E402

logging.getLogger("werkzeug").setLevel(logging.ERROR)  # the stand-in's access log

JOB = "workers.reminders.send_due_reminders"
MODES = ("simple", "fork", "preload")
# A worker process as `python -m workers` starts one (importing no more than it does), working
# until SIGTERM and then printing its peak memory and that of its largest job horse. In preload
# mode it imports the job modules first (they open nothing at import time), so the horses
# inherit them from the fork instead of importing the whole app again for every job.
WORKER = """
import json, resource, sys
from rq import SimpleWorker, Worker
from miniapp_backend.config import Config
from miniapp_backend.redis_conn import open_redis
from workers.queues import DEFAULT_QUEUE
mode = sys.argv[1]
if mode == "preload":
    import workers.notifications, workers.reminders
redis = open_redis(Config.from_env())
(SimpleWorker if mode == "simple" else Worker)([DEFAULT_QUEUE], connection=redis).work(logging_level="WARNING")
print(json.dumps({"self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "horse_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
SLOTS = ("bench-slot-a", "bench-slot-b")
NOW = dt.datetime(2018, 9, 27, 0, 5)  # 08:05 in Shanghai: T-3 of 2018-09-30
SYSTEMS, CHUNK = 30, 500
CS_EVERY, MINIAPP_EVERY = 10, 20  # every 10th recipient wrote to us, every 20th is mini-program only
TIMEOUT_S = 900
WECHAT = {"WECHAT_APPID": "wx0000000000000001", "WECHAT_SECRET": "standin-secret-official",
          "MINIAPP_APPID": "wx0000000000000002", "MINIAPP_SECRET": "standin-secret-miniapp"}


def bulk(model, rows):
    """insert_many in chunks."""
    for start in range(0, len(rows), CHUNK):
        model.insert_many(rows[start:start + CHUNK]).execute()


def build(recipients):
    """The district, 30 系统工会, recipients/2 qualified units with a chair and a staff member each."""
    now, units = utcnow(), recipients // 2
    orgs = [dict(id=1, kind=OrgKind.DISTRICT, full_name="北京市房山区总工会", path="/1/", created_at=now)]
    orgs += [dict(id=i, parent=1, kind=OrgKind.SYSTEM, full_name=f"房山区第{i}系统工会", path=f"/1/{i}/",
                  created_at=now) for i in range(2, SYSTEMS + 2)]
    first = SYSTEMS + 2
    for org_id in range(first, first + units):
        parent = 2 + org_id % SYSTEMS
        orgs.append(dict(id=org_id, parent=parent, kind=OrgKind.GRASSROOTS, full_name=f"压测单位{org_id}工会委员会",
                         path=f"/1/{parent}/{org_id}/", created_at=now, employee_count=300,
                         founded_on=dt.date(2005, 1, 1)))
    bulk(Org, orgs)
    bulk(Honour, [dict(org=org_id, kind=HonourKind.QUALIFIED_HOME, year=2017, awarded_on=dt.date(2017, 3, 1),
                       created_at=now) for org_id in range(first, first + units)])
    bulk(Person, [dict(id=n, name=f"压测{n}", created_at=now) for n in range(1, recipients + 1)])
    bulk(Role, [dict(person=n, org=first + (n - 1) // 2, kind=RoleKind.CHAIR if n % 2 else RoleKind.STAFF,
                     created_at=now) for n in range(1, recipients + 1)])
    _identities(recipients, now)


def _identities(recipients, now):
    """Official-account identities (some with an open 48 h window); mini-program-only ones with grants."""
    template_id = notifications.templates()["miniapp_subscribe"]["reminder"]["template_id"]
    official = [n for n in range(1, recipients + 1) if n % MINIAPP_EVERY]
    mini = [n for n in range(1, recipients + 1) if not n % MINIAPP_EVERY]
    bulk(Identity, [dict(id=n, person=n, channel=Channel.OFFICIAL, openid=f"o-{n}", created_at=now)
                    for n in official])
    bulk(Identity, [dict(id=n, person=n, channel=Channel.MINIAPP, openid=f"m-{n}", created_at=now) for n in mini])
    bulk(ChannelState, [dict(identity=n, last_inbound_at=now, window_sent=0, created_at=now)
                        for n in official if not n % CS_EVERY])
    bulk(SubscribeGrant, [dict(identity=n, template_id=template_id, granted=4, used=0, created_at=now)
                          for n in mini])


def start_workers(count, env, mode):
    """`count` worker processes in `mode` (see --mode), each a fresh interpreter like `python -m workers`."""
    argv = [sys.executable, "-c", WORKER, mode]
    return [subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True) for _ in range(count)]


def wait_until_done(recipients, started):
    """Poll the ledger until every row is final; (seconds to the last send, status counts)."""
    final = (NoticeStatus.SENT, NoticeStatus.FAILED, NoticeStatus.SKIPPED)
    while time.monotonic() - started < TIMEOUT_S:
        counts = Counter(s for (s,) in Notice.select(Notice.status).tuples())
        if sum(counts[s] for s in final) >= recipients:
            return time.monotonic() - started, counts
        time.sleep(0.2)
    raise RuntimeError(f"not done after {TIMEOUT_S} s: {dict(counts)}")


def stop_workers(procs):
    """SIGTERM (a warm shutdown) and read each worker's peak memory."""
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
    return [json.loads(proc.communicate(timeout=60)[0].strip().splitlines()[-1]) for proc in procs]


def job_seconds(redis):
    """How long each of the two reminder jobs ran, and what it returned."""
    jobs = [Job.fetch(slot, connection=redis) for slot in SLOTS]
    return [((job.ended_at - job.started_at).total_seconds(), job.return_value()) for job in jobs]


def report(recipients, elapsed, counts, sent, peaks, rerun_rows, jobs):
    """Print the figures; return the failed checks."""
    per_openid = Counter(m["openid"] for m in sent)
    duplicates = sum(n - 1 for n in per_openid.values())
    channels = Counter(c for (c,) in Notice.select(Notice.channel).tuples())
    print(f"recipients            {recipients}  (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"time to send all      {elapsed:.1f} s  ({recipients / elapsed:.0f} messages/s)")
    print(f"ledger                {dict(counts)}")
    print(f"channels              {dict(channels)}")
    print(f"messages at stand-in  {len(sent)}")
    print(f"duplicates            {duplicates}")
    for slot, (seconds, result) in zip(SLOTS, jobs):
        print(f"reminder job {slot}  {seconds:.1f} s, {result}")
    print(f"rows from a re-run    {rerun_rows}")
    for n, peak in enumerate(peaks, 1):
        print(f"worker {n} peak memory  {peak['self_mb']:.0f} MB (largest job horse {peak['horse_mb']:.0f} MB)")
    checks = {"every recipient sent": counts[NoticeStatus.SENT] == recipients,
              "one message per recipient": len(sent) == recipients and len(per_openid) == recipients,
              "no duplicates": duplicates == 0, "a re-run writes nothing": rerun_rows == 0}
    return [name for name, ok in checks.items() if not ok]


def run(args, tmp):
    """Build, send, measure; return the failed checks."""
    redis_proc = embedded_redis.start_child(tmp / "redis")
    drop = None
    if args.postgres:
        database_url, drop = temporary_postgres(args.postgres)
    else:
        database_url = f"sqlite:///{tmp / 'bench.db'}"
    standin.state.LOG_LIMIT = args.recipients * 2  # keep every message, so duplicates can be counted
    server = StandinServer(StandinSettings()).start()
    env = {**os.environ, **WECHAT, "APP_ENV": "test", "DATABASE_URL": database_url, "VAR_DIR": str(tmp / "var"),
           "REDIS_URL": f"unix://{embedded_redis.socket_path(tmp / 'redis')}", "SECRET_KEY": "bench",
           "WECHAT_API_BASE_URL": server.url}
    try:
        return measure(args, env, database_url, server)
    finally:
        server.stop()
        database.close()
        stop_process(redis_proc)
        if drop:
            drop()


def measure(args, env, database_url, server):
    """Enqueue the job twice, let the workers send everything, check the outcome."""
    db = init_database(database_url)
    apply_migrations(db)
    db.connect(reuse_if_open=True)
    campaigns.load_all_campaigns()
    build(args.recipients)
    redis = redis_lib.Redis.from_url(env["REDIS_URL"])
    started = time.monotonic()
    for slot in SLOTS:  # two schedulers, two slots
        enqueue_once(redis, JOB, slot, NOW.isoformat(), job_timeout=TIMEOUT_S)
    procs = start_workers(args.workers, env, args.mode)
    try:
        elapsed, counts = wait_until_done(args.recipients, started)
    except RuntimeError:
        for proc in procs:
            proc.kill()
        raise
    peaks = stop_workers(procs)
    sent = list(server.state.sent)
    rerun_rows = sum(len(batch) for batch in reminders.queue_due(NOW, True))
    return report(args.recipients, elapsed, counts, sent, peaks, rerun_rows, job_seconds(redis))


def main():
    """Parse arguments and run the benchmark in a temporary folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--mode", choices=MODES, default=MODES[0],
                        help="fork: rq's Worker as `python -m workers` runs it (every job horse imports "
                             "the app); preload: the same with the job modules imported before the forks; "
                             "simple: rq's SimpleWorker, jobs in the worker process")
    parser.add_argument("--postgres", default="", help="admin URL of a PostgreSQL server to use instead of SQLite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zgzj-bench-reminders-") as tmp:
        failed = run(args, Path(tmp))
    for name in failed:
        print(f"FAILED: {name}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
