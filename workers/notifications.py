"""Jobs that deliver notices from the ledger."""
import logging

from miniapp_backend.services import notifications, reminders
from miniapp_backend.services.notice_links import ReaderLinks
from workers.context import job_context, job_now
from workers.queues import deliver_notices

log = logging.getLogger(__name__)


def deliver_notice(notice_id):
    """Send one notice (a no-op when another worker has it or it is done)."""
    with job_context() as ctx:
        links = ReaderLinks(ctx.config.public_base_url, ctx.config.secret_key)
        notice = notifications.deliver(notice_id, ctx.messenger(), ctx.config.verified_service_account, links)
        log.info("notice %s: %s %s %s", notice_id, notice.status, notice.channel, notice.errcode or "")
        return notice.status


def sweep_notices(now_iso=None):
    """Periodic: fail claims a dead worker left behind, and enqueue notices nobody enqueued;
    at night (`now_iso`, naive UTC ISO text; default: the clock) not reminders, digests or
    broadcasts, which wait for 08:00."""
    now = job_now(now_iso)
    with job_context() as ctx:
        stale = notifications.stale_claims()
        pending = notifications.pending_ids(held_kinds=reminders.held_kinds(now))
        deliver_notices(ctx.redis, pending)
        return {"stale": stale, "enqueued": len(pending)}
