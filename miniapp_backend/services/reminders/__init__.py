"""Deadline reminders, reviewer digests, status notices and admin broadcasts (issue 6).

Plain domain code: every entry point takes the moment (`now`, naive UTC) explicitly, writes
rows in the foundation's Notice ledger and returns their ids; jobs and web handlers enqueue
the deliveries. Modules: schedule (offsets, quiet hours, catch-up), concerns (which dates
concern whom), texts, reach (subscribe grants for T-3/T-1 first), planner (due reminders),
digests, events (honours), ledger_view and broadcasts (admin).
"""
from miniapp_backend.services.reminders import broadcasts, digests, reach
from miniapp_backend.services.reminders.broadcasts import preview_broadcast, send_broadcast
from miniapp_backend.services.reminders.digests import queue_digests
from miniapp_backend.services.reminders.events import honour_awarded, honour_revoked, qualified_declared
from miniapp_backend.services.reminders.ledger_view import ledger
from miniapp_backend.services.reminders.planner import queue_due
from miniapp_backend.services.reminders.rows import skip_overdue
from miniapp_backend.services.reminders.schedule import sending_paused

# Notices written on a schedule; an application's status change or an honour is news, sent at once.
SCHEDULED_KINDS = (reach.NOTICE_KIND, digests.NOTICE_KIND, broadcasts.NOTICE_KIND)


def held_kinds(now):
    """The notice kinds that may not go out at `now` (naive UTC): the scheduled ones at night."""
    return SCHEDULED_KINDS if sending_paused(now) else ()


__all__ = ["held_kinds", "honour_awarded", "honour_revoked", "ledger", "preview_broadcast",
           "qualified_declared", "queue_digests", "queue_due", "send_broadcast", "skip_overdue"]
