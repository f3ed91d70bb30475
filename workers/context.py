"""What a job needs (config, database, Redis, WeChat), opened lazily in the process that runs it.

Nothing is opened at import time: rq forks a work horse per job, and the fork must not inherit
live sockets from its parent.
"""
import datetime as dt
import os
from contextlib import contextmanager
from dataclasses import dataclass

from miniapp_backend.clock import utcnow
from miniapp_backend.config import Config
from miniapp_backend.db import init_database
from miniapp_backend.redis_conn import open_redis


@dataclass
class JobContext:
    """Per-process handles jobs share."""

    config: Config
    db: object
    redis: object
    pid: int

    def messenger(self):
        """The WeChat messenger (official account + mini-program), built on demand."""
        from miniapp_backend import wechat
        return wechat.WeChatMessenger(wechat.official_client(self.config, self.redis),
                                      wechat.miniapp_client(self.config, self.redis))


_cached = {}


def _context():
    """This process's context; rebuilt after a fork (different pid)."""
    ctx = _cached.get("ctx")
    if ctx is None or ctx.pid != os.getpid():
        config = Config.from_env()
        ctx = JobContext(config, init_database(config.database_url), open_redis(config), os.getpid())
        _cached["ctx"] = ctx
    return ctx


@contextmanager
def job_context():
    """A JobContext with a database connection open for the duration of one job."""
    ctx = _context()
    with ctx.db.connection_context():
        yield ctx


def job_now(now_iso=None):
    """The moment a periodic job works for: `now_iso` (naive UTC ISO text, as tests and replays
    pass it), else the clock, read once."""
    return dt.datetime.fromisoformat(now_iso) if now_iso else utcnow()
