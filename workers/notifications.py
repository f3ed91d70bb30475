"""Jobs that deliver notices from the ledger."""
import logging

from rq import get_current_job

from miniapp_backend.clock import local_today
from miniapp_backend.models import NoticeStatus
from miniapp_backend.services import notifications, reminders
from miniapp_backend.services.notice_links import ReaderLinks
from workers.context import job_context, job_now
from workers.queues import deliver_notices

log = logging.getLogger(__name__)


class WeChatUnavailable(Exception):
    """WeChat was busy or out of reach: rq runs the delivery again after its backoff (NOTICE_RETRY)."""


def deliver_notice(notice_id, now_iso=None):
    """Send one notice (a no-op when another worker has it or it is done). While the job has
    retries left, a send that failed only because WeChat was busy or out of reach fails the job,
    so rq tries again later; other failures are final (they would only be refused again), and a
    send WeChat got but never answered is never retried (it may have arrived). A reminder, digest
    or broadcast reached at night (`now_iso`, naive UTC ISO text; default: the clock: a long
    queue, a retry) is left pending for the sweep to send at 08:00."""
    job = get_current_job()
    will_retry = bool(job and job.retries_left)
    with job_context() as ctx:
        if notifications.hold(notice_id, reminders.held_kinds(job_now(now_iso))):
            log.info("notice %s: held for the morning", notice_id)
            return NoticeStatus.PENDING
        links = ReaderLinks(ctx.config.public_base_url, ctx.config.secret_key)
        notice = notifications.deliver(notice_id, ctx.messenger(), ctx.config.verified_service_account, links,
                                       will_retry=will_retry, redis=ctx.redis)
        log.info("notice %s: %s %s %s", notice_id, notice.status, notice.channel, notice.errcode or "")
    if will_retry and notifications.failed_transiently(notice):
        raise WeChatUnavailable(f"notice {notice_id}: {notice.detail}")
    return notice.status


def sweep_notices(now_iso=None):
    """Periodic: fail claims a dead worker left behind, and enqueue notices nobody enqueued;
    at night (`now_iso`, naive UTC ISO text; default: the clock) not reminders, digests or
    broadcasts, which wait for 08:00; reminders whose date passed meanwhile are skipped."""
    now = job_now(now_iso)
    with job_context() as ctx:
        stale = notifications.stale_claims()
        reminders.skip_overdue(local_today(now))
        pending = notifications.pending_ids(held_kinds=reminders.held_kinds(now))
        deliver_notices(ctx.redis, pending, now_iso)
        return {"stale": stale, "enqueued": len(pending)}
