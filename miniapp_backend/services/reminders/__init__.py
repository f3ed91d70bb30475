"""Deadline reminders, reviewer digests, status notices and admin broadcasts (issue 6).

Plain domain code: every entry point takes the moment (`now`, naive UTC) explicitly, writes
rows in the foundation's Notice ledger and returns their ids; jobs and web handlers enqueue
the deliveries. Modules: schedule (offsets, quiet hours, catch-up), concerns (which dates
concern whom), texts, reach (subscribe grants for T-3/T-1 first), planner (due reminders),
digests, events (honours), ledger_view and broadcasts (admin).
"""
from miniapp_backend.services.reminders.broadcasts import preview_broadcast, send_broadcast
from miniapp_backend.services.reminders.digests import queue_digests
from miniapp_backend.services.reminders.events import honour_awarded, honour_revoked
from miniapp_backend.services.reminders.ledger_view import ledger
from miniapp_backend.services.reminders.planner import queue_due

__all__ = ["honour_awarded", "honour_revoked", "ledger", "preview_broadcast", "queue_digests",
           "queue_due", "send_broadcast"]
