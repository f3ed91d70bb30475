"""The conversation's clock: real time, unless the app is told to use a fixed moment.

Campaign windows make "today" decide what a chair may do, so tests and demos pin it explicitly
with `app.config["BOT_NOW"]` (a naive UTC datetime) instead of patching time.
"""
from miniapp_backend.clock import utcnow

NOW_SETTING = "BOT_NOW"


def now(app):
    """The current moment as naive UTC (the pinned one when set)."""
    return app.config.get(NOW_SETTING) or utcnow()
