"""Enqueueing jobs by dotted name with deterministic ids (rq delivers at least once)."""
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.utils import current_timestamp

DEFAULT_QUEUE = "default"
NOTICE_RETRY = Retry(max=3, interval=[10, 60, 300])
ENQUEUE_LOCK = "enqueue-lock:{job_id}"
ENQUEUE_LOCK_SECONDS = 10  # looking a job up and enqueueing it takes a few Redis round trips


def queue(redis):
    """The default queue on `redis`."""
    return Queue(DEFAULT_QUEUE, connection=redis)


LIVE = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED)
# ...and a job waiting for its retry is still meant to run.
INTENDED = (*LIVE, JobStatus.SCHEDULED)


def job_is_live(redis, job_id):
    """True while rq still intends to run the job (queued, running, scheduled for a retry)."""
    try:
        return Job.fetch(job_id, connection=redis).get_status() in INTENDED
    except NoSuchJobError:
        return False


def _will_run(redis, job, keep_retries):
    """True while rq will run `job` by itself: running, deferred, or queued and really in its
    queue (a worker killed just as it took a job leaves it marked queued but in no queue); with
    `keep_retries`, also waiting for its retry."""
    status = job.get_status(refresh=False)
    if status == JobStatus.QUEUED:
        return redis.lpos(queue(redis).key, job.id) is not None
    return status in LIVE or (keep_retries and status == JobStatus.SCHEDULED)


def _run_retry_now(redis, job):
    """Bring a job waiting for its retry forward to now in rq's schedule, keeping its retries left;
    rq's scheduler (each worker's, every second) queues it. Moving it into the queue ourselves
    would race that scheduler, which reads the due jobs and queues them in two steps: a job it has
    read would be queued by both and run twice. One atomic ZADD XX changes only the time of a job
    still scheduled; one the scheduler took first is queued already, once."""
    redis.zadd(queue(redis).scheduled_job_registry.key, {job.id: current_timestamp()}, xx=True)


def enqueue_once(redis, func_path, job_id, *args, replace_idle=False, keep_retries=False, retry_now=False,
                 **options):
    """Enqueue `func_path(*args)` unless a job with `job_id` exists.

    Periodic jobs keep an ended job to mark their slot as done. A delivery whose job rq will not
    run by itself (it ended, waits as a retry after its worker was killed, or was lost as a
    killed worker took it) is replaced with `replace_idle`, because the ledger's claim, not the
    job id, stops a second send; `keep_retries` leaves a job waiting for its retry alone (its
    backoff stands) unless `retry_now` (someone fixed its cause): then rq's scheduler runs it now,
    not at its backoff as well.

    Callers asking at the same moment take turns (a lock per job id): each finding no job and
    each enqueueing it would queue it twice, and two workers would run it at once.
    """
    with redis.lock(ENQUEUE_LOCK.format(job_id=job_id), timeout=ENQUEUE_LOCK_SECONDS,
                    blocking_timeout=ENQUEUE_LOCK_SECONDS):
        if Job.exists(job_id, connection=redis):
            job = Job.fetch(job_id, connection=redis)
            if retry_now and job.get_status(refresh=False) == JobStatus.SCHEDULED:
                _run_retry_now(redis, job)
                return job
            if not replace_idle or _will_run(redis, job, keep_retries):
                return job
            job.delete()
        return queue(redis).enqueue(func_path, *args, job_id=job_id, **options)


def deliver_notices(redis, notices, now_iso=None):
    """Enqueue delivery of freshly written notices (Notice rows or ids); `now_iso` (naive UTC ISO
    text) is the moment a periodic job replayed at a given time hands on (default: the clock's)."""
    args = (now_iso,) if now_iso else ()
    for notice in notices:
        notice_id = getattr(notice, "id", notice)
        enqueue_once(redis, "workers.notifications.deliver_notice", f"notice-{notice_id}",
                     notice_id, *args, retry=NOTICE_RETRY, replace_idle=True)
