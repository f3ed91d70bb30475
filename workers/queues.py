"""Enqueueing jobs by dotted name with deterministic ids (rq delivers at least once)."""
from rq import Queue, Retry
from rq.job import Job, JobStatus

DEFAULT_QUEUE = "default"
NOTICE_RETRY = Retry(max=3, interval=[10, 60, 300])


def queue(redis):
    """The default queue on `redis`."""
    return Queue(DEFAULT_QUEUE, connection=redis)


ENDED = (JobStatus.FINISHED, JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def enqueue_once(redis, func_path, job_id, *args, again_if_ended=False, **options):
    """Enqueue `func_path(*args)` unless a job with `job_id` exists.

    Periodic jobs keep an ended job to mark their slot as done. A delivery whose job ended
    (e.g. failed when its worker was killed) may run again with `again_if_ended`, because the
    ledger's claim, not the job id, is what stops a second send.
    """
    if Job.exists(job_id, connection=redis):
        job = Job.fetch(job_id, connection=redis)
        if not (again_if_ended and job.get_status(refresh=False) in ENDED):
            return job
        job.delete()
    return queue(redis).enqueue(func_path, *args, job_id=job_id, **options)


def deliver_notices(redis, notices):
    """Enqueue delivery of freshly written notices (Notice rows or ids)."""
    for notice in notices:
        notice_id = getattr(notice, "id", notice)
        enqueue_once(redis, "workers.notifications.deliver_notice", f"notice-{notice_id}",
                     notice_id, retry=NOTICE_RETRY, again_if_ended=True)
