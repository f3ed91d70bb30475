"""The scheduler: one lease holder, and one job per periodic slot however often it ticks."""
from rq import Queue

from workers import scheduler
from workers.queues import DEFAULT_QUEUE


def test_only_one_scheduler_holds_the_lease(redis_client):
    assert scheduler.hold_lease(redis_client, "host-a:1")
    assert not scheduler.hold_lease(redis_client, "host-b:2")
    assert scheduler.hold_lease(redis_client, "host-a:1")  # renewing
    redis_client.delete(scheduler.LEASE_KEY)
    assert scheduler.hold_lease(redis_client, "host-b:2")


def test_ticks_in_one_slot_enqueue_once_and_the_next_slot_again(redis_client):
    first = scheduler.tick(redis_client, now=999_960.0)
    again = scheduler.tick(redis_client, now=999_990.0)  # same minute, e.g. a second scheduler
    assert first == again
    queue = Queue(DEFAULT_QUEUE, connection=redis_client)
    assert len(queue.job_ids) == len(scheduler.PERIODIC)
    later = scheduler.tick(redis_client, now=999_960.0 + max(scheduler.PERIODIC.values()))
    assert len(queue.job_ids) == len(set(first) | set(later)) == 2 * len(scheduler.PERIODIC)


def test_a_round_while_redis_is_unreachable_is_skipped_and_the_next_one_runs(redis_client):
    """Redis restarting (a release, a failover) must not end the scheduler, as it does not end rq's
    workers: with it every sweep and reminder would stop until someone noticed."""
    import socket

    import redis
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens here
    gone = redis.Redis(host="127.0.0.1", port=port, socket_connect_timeout=0.5)
    assert scheduler.step(gone, "host-a:1", now=999_960.0) == []
    assert scheduler.step(redis_client, "host-a:1", now=999_960.0) == scheduler.tick(redis_client, now=999_960.0)
