"""The database proxy every model binds to, and opening a database from a URL."""
from urllib.parse import urlparse

from peewee import DatabaseProxy, PostgresqlDatabase
from playhouse.db_url import connect

database = DatabaseProxy()

# WAL and a busy timeout let web workers, rq workers and the CLI share one SQLite file.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 10000,
    "foreign_keys": 1,
    "synchronous": "normal",
}


def open_database(url):
    """A peewee Database for `url` (sqlite:///path or postgresql://…), not yet connected."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path and path != ":memory:":
            from pathlib import Path
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return connect(url, pragmas=SQLITE_PRAGMAS, autoconnect=True)
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    return connect(url, autoconnect=True)


def init_database(url):
    """Point the proxy at the database for `url` and return it."""
    db = open_database(url)
    database.initialize(db)
    return db


def is_postgres(db):
    """True for PostgreSQL (some statements differ from SQLite)."""
    return isinstance(db, PostgresqlDatabase)


def describe(url):
    """The URL without password, for logs and /healthz."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
