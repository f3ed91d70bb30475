"""The database proxy every model binds to, and opening a database from a URL."""
import os
from pathlib import Path
from urllib.parse import urlparse

from peewee import DatabaseProxy, PostgresqlDatabase
from playhouse.db_url import connect
from playhouse.pool import PooledDatabase, PooledSqliteDatabase

database = DatabaseProxy()

# WAL and a busy timeout let web workers, rq workers and the CLI share one SQLite file.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
}
# A web process keeps its connections between requests: opening one costs more than most
# requests (SQLite: the PRAGMAs, and closing the last connection checkpoints the WAL;
# PostgreSQL: a backend process). Stale ones are replaced, e.g. after a server restart.
POOL = {"max_connections": 32, "stale_timeout": 300, "timeout": 10}

# One Database per (URL, pooled) in a process, so a pool is built once however often an app
# is created; keyed by pid because a forked child must not share its parent's sockets.
_initialised = {}


def open_database(url, pooled=False):
    """A peewee Database for `url` (sqlite:///path or postgresql://…), not yet connected."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        if pooled:
            # Pooled connections move between a process's threads, one thread at a time.
            return PooledSqliteDatabase(path, pragmas=SQLITE_PRAGMAS, check_same_thread=False, **POOL)
        return connect(url, pragmas=SQLITE_PRAGMAS, autoconnect=True)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if pooled:
        return connect(url.replace("postgresql://", "postgresql+pool://", 1), **POOL)
    return connect(url, autoconnect=True)


def init_database(url, pooled=False):
    """Point the proxy at this process's database for `url` (opened on first use) and return it."""
    key = (url, pooled, os.getpid())
    db = _initialised.get(key)
    if db is None:
        db = _initialised[key] = open_database(url, pooled)
    database.initialize(db)
    return db


def release_connection():
    """End of a unit of work: a pooled connection goes back to its pool, a plain one closes."""
    if not database.is_closed():
        database.close()


def close_everything():
    """Close every connection this process opened, pooled ones included (shutdown, tests)."""
    for (_url, _pooled, pid), db in list(_initialised.items()):
        if pid != os.getpid():
            continue
        if isinstance(db, PooledDatabase):
            db.close_all()
        else:
            db.close()


def is_postgres(db):
    """True for PostgreSQL (some statements differ from SQLite)."""
    return isinstance(db, PostgresqlDatabase)


def describe(url):
    """The URL without password, for logs and /healthz."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
