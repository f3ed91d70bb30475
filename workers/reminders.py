"""Periodic job: write the reminders and reviewer digests due now, then enqueue their delivery.

The scheduler only enqueues this job (one job per time slot, whatever number of schedulers);
the job may run twice, be killed halfway or find Redis emptied: the ledger's unique keys keep
every reminder to one row, deliveries claim each row once, and rows left pending are picked up
by the next run's deliveries or by workers.notifications.sweep_notices.
"""
import logging

from miniapp_backend.services import reminders
from workers.context import job_context, job_now
from workers.queues import deliver_notices

log = logging.getLogger(__name__)


def send_due_reminders(now_iso=None):
    """Job: reminders and digests due at `now_iso` (naive UTC ISO text; default: the clock, read once here)."""
    now = job_now(now_iso)
    with job_context() as ctx:
        written = 0
        for ids in reminders.queue_due(now, ctx.config.verified_service_account):
            deliver_notices(ctx.redis, ids, now_iso)
            written += len(ids)
        digests = reminders.queue_digests(now, ctx.config.public_base_url)
        deliver_notices(ctx.redis, digests, now_iso)
    log.info("reminders at %s: %s reminders, %s digests queued", now.isoformat(), written, len(digests))
    return {"reminders": written, "digests": len(digests)}
