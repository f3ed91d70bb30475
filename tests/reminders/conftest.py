"""A controllable clock, the messenger on the stand-in, and running the reminder job in-process."""
import datetime as dt

import pytest

from miniapp_backend import wechat
from miniapp_backend.clock import SHANGHAI, local_today
from miniapp_backend.models import Application, ReviewStep
from miniapp_backend.services import notifications, reminders

# Foundation services stamp the real clock (submitted_at, decided_at, created_at); anything
# stamped after this moment was stamped during the test and is moved to the simulated time.
REAL_TIME_SINCE = dt.datetime(2020, 1, 1)


class Clock:
    """The tests' clock: moments set as Asia/Shanghai local times, held as naive UTC."""

    def __init__(self):
        """No moment until a test sets one."""
        self.now = None

    def at(self, day, hour=8, minute=5):
        """Move to local `day` at hour:minute; return the naive UTC moment."""
        local = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)
        self.now = local.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return self.now

    @property
    def today(self):
        """The local date."""
        return local_today(self.now)


@pytest.fixture
def clock():
    """A fresh controllable clock."""
    return Clock()


@pytest.fixture
def messenger(official, miniapp):
    """The product's messenger on the stand-in."""
    return wechat.WeChatMessenger(official, miniapp)


def align_stamps(now):
    """Move the real-clock stamps the foundation wrote during the test to the simulated `now`."""
    for field in (Application.created_at, Application.submitted_at, Application.decided_at):
        Application.update({field: now}).where(field > REAL_TIME_SINCE).execute()
    ReviewStep.update(decided_at=now).where(ReviewStep.decided_at > REAL_TIME_SINCE).execute()


def write_due(now, verified=True):
    """What the job writes at `now`: the ids of new reminder and digest rows."""
    ids = [i for batch in reminders.queue_due(now, verified) for i in batch]
    return ids + reminders.queue_digests(now)


def deliver_pending(messenger, verified=True):
    """Deliver every pending row (the job's deliveries plus the foundation's status notices)."""
    return [notifications.deliver(i, messenger, verified) for i in notifications.pending_ids(10_000)]


@pytest.fixture
def worker_env(monkeypatch, config, standin, redis_client, db):
    """The job process's environment (test backends, the stand-in); returns it as a dict."""
    from workers import context
    env = {"APP_ENV": "test", "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url,
           "VAR_DIR": str(config.var_dir), "SECRET_KEY": "test", "WECHAT_API_BASE_URL": standin.url,
           "WECHAT_APPID": config.wechat_appid, "WECHAT_SECRET": config.wechat_secret,
           "MINIAPP_APPID": config.miniapp_appid, "MINIAPP_SECRET": config.miniapp_secret}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    context._cached.clear()
    yield env
    context._cached.clear()


def run_jobs(redis_client):
    """Work the queue until it is empty, in this process."""
    from rq import SimpleWorker

    from workers.queues import queue
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
