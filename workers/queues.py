"""Enqueueing jobs by dotted name with deterministic ids (rq delivers at least once)."""
from rq import Queue, Retry
from rq.job import Job

DEFAULT_QUEUE = "default"
NOTICE_RETRY = Retry(max=3, interval=[10, 60, 300])


def queue(redis):
    """The default queue on `redis`."""
    return Queue(DEFAULT_QUEUE, connection=redis)


def enqueue_once(redis, func_path, job_id, *args, **options):
    """Enqueue `func_path(*args)` unless a job with `job_id` still exists (in any state)."""
    if Job.exists(job_id, connection=redis):
        return Job.fetch(job_id, connection=redis)
    return queue(redis).enqueue(func_path, *args, job_id=job_id, **options)


def deliver_notices(redis, notices):
    """Enqueue delivery of freshly written notices (Notice rows or ids)."""
    for notice in notices:
        notice_id = getattr(notice, "id", notice)
        enqueue_once(redis, "workers.notifications.deliver_notice", f"notice-{notice_id}",
                     notice_id, retry=NOTICE_RETRY)
