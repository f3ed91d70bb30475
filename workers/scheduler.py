"""The periodic scheduler: one active instance (a Redis lease), and it only enqueues.

Each periodic task is enqueued with a job id derived from its time slot, so even two
schedulers that both believe they hold the lease enqueue a slot's job once.
"""
import contextlib
import logging
import os
import socket
import signal
import time

from redis.exceptions import RedisError

from miniapp_backend.config import Config
from miniapp_backend.redis_conn import open_redis
from workers.queues import enqueue_once

log = logging.getLogger("workers.scheduler")

LEASE_KEY = "zgzj:scheduler:lease"
LEASE_SECONDS = 30
TICK_SECONDS = 5
PERIODIC = {
    "workers.notifications.sweep_notices": 60,
    "workers.packets.sweep_packets": 60,
    "workers.media.sweep_media": 300,
    "workers.stations.sweep_signs": 300,
    "workers.reminders.send_due_reminders": 600,
}


def hold_lease(redis, me):
    """Take or renew the lease; True when this instance is the active scheduler."""
    if redis.set(LEASE_KEY, me, nx=True, ex=LEASE_SECONDS):
        return True
    if redis.get(LEASE_KEY) == me.encode():
        redis.expire(LEASE_KEY, LEASE_SECONDS)
        return True
    return False


def tick(redis, now=None):
    """Enqueue each periodic task whose current slot has no job yet; return the job ids."""
    now = time.time() if now is None else now
    ids = []
    for func_path, every in PERIODIC.items():
        # rq job ids allow letters, digits, "_" and "-" only.
        job_id = f"periodic-{func_path.replace('.', '_')}-{int(now // every)}"
        enqueue_once(redis, func_path, job_id, result_ttl=every * 2)
        ids.append(job_id)
    return ids


def step(redis, me, now=None):
    """One round: tick while holding the lease; return the job ids. While Redis cannot be reached
    (restarted, failed over) the round is skipped and the next one tries again, as rq's workers do."""
    try:
        return tick(redis, now) if hold_lease(redis, me) else []
    except RedisError as exc:
        log.warning("scheduler %s: Redis unavailable (%s); trying again in %ss", me, exc, TICK_SECONDS)
        return []


def main():
    """Run until SIGTERM/SIGINT, enqueueing periodic tasks while holding the lease."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redis = open_redis(Config.from_env())
    me = f"{socket.gethostname()}:{os.getpid()}"
    running = {"on": True}
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: running.update(on=False))
    log.info("scheduler %s started", me)
    while running["on"]:
        step(redis, me)
        time.sleep(TICK_SECONDS)
    with contextlib.suppress(RedisError):  # the lease lapses by itself
        if redis.get(LEASE_KEY) == me.encode():
            redis.delete(LEASE_KEY)
    log.info("scheduler %s stopped", me)


if __name__ == "__main__":
    main()
