"""Jobs that deliver notices from the ledger."""
import logging

from miniapp_backend.services import notifications
from workers.context import job_context
from workers.queues import deliver_notices

log = logging.getLogger(__name__)


def deliver_notice(notice_id):
    """Send one notice (a no-op when another worker has it or it is done)."""
    with job_context() as ctx:
        notice = notifications.deliver(notice_id, ctx.messenger(), ctx.config.verified_service_account)
        log.info("notice %s: %s %s %s", notice_id, notice.status, notice.channel, notice.errcode or "")
        return notice.status


def sweep_notices():
    """Periodic: fail claims a dead worker left behind, and enqueue notices nobody enqueued."""
    with job_context() as ctx:
        stale = notifications.stale_claims()
        pending = notifications.pending_ids()
        deliver_notices(ctx.redis, pending)
        return {"stale": stale, "enqueued": len(pending)}
