"""Fixtures shared by the whole suite: real databases, real Redis, the app and its client."""
import os

import pytest

from miniapp_backend.app import create_app
from miniapp_backend.config import Config
from miniapp_backend.db import close_everything, init_database, is_postgres
from miniapp_backend.migrate import apply_migrations
from miniapp_backend.models import ALL_MODELS
from tests.backends import Backends

pytest_plugins = ["tests.wechat_fixtures"]
# Helpers that assert, shown with pytest's detailed failure messages.
pytest.register_assert_rewrite("tests.nearby_index")

TEST_WECHAT = {
    "WECHAT_APPID": "wx0000000000000001",
    "WECHAT_SECRET": "standin-secret-official",
    "WECHAT_TOKEN": "standintoken",
    "MINIAPP_APPID": "wx0000000000000002",
    "MINIAPP_SECRET": "standin-secret-miniapp",
}


@pytest.fixture(scope="session")
def backends():
    """The session's database and Redis, migrated once."""
    started = Backends(os.environ.get("TEST_DB", "sqlite"),
                       os.environ.get("TEST_REDIS", "embedded")).start()
    db = init_database(started.database_url)
    apply_migrations(db)
    db.close()
    yield started
    close_everything()
    started.stop()


@pytest.fixture
def config(backends, tmp_path):
    """A test Config on the session's backends, with files under this test's tmp_path."""
    env = {
        "APP_ENV": "test",
        "DATABASE_URL": backends.database_url,
        "REDIS_URL": backends.redis_url,
        "VAR_DIR": str(tmp_path / "var"),
        "SECRET_KEY": "test-secret",
        "PUBLIC_BASE_URL": "http://127.0.0.1:8000",
        **TEST_WECHAT,
    }
    return Config.from_env(env)


def _empty_tables(db):
    """Delete every row so each test starts from an empty, migrated database."""
    tables = [m._meta.table_name for m in reversed(ALL_MODELS)]
    if is_postgres(db):
        # DELETE of the few used tables (found in one query) is far cheaper than TRUNCATE of
        # all; FK triggers pause meanwhile, and ids restart at 1 as they do on SQLite.
        probe = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
        used = [row[0] for row in db.execute_sql(probe).fetchall()]
        if used:
            db.execute_sql("SET session_replication_role = replica")
            for table in used:
                db.execute_sql(f'DELETE FROM "{table}"')
            db.execute_sql("SET session_replication_role = DEFAULT")
            db.execute_sql("SELECT " + ", ".join(
                f"setval(pg_get_serial_sequence('\"{t}\"', 'id'), 1, false)" for t in used))
    else:
        # The org tree references itself; order can't satisfy that, so checks pause meanwhile.
        db.execute_sql("PRAGMA foreign_keys = OFF")
        for table in tables:
            db.execute_sql(f'DELETE FROM "{table}"')
        db.execute_sql("PRAGMA foreign_keys = ON")


@pytest.fixture
def db(backends):
    """An empty database connection for one test."""
    connection = init_database(backends.database_url)
    connection.connect(reuse_if_open=True)
    _empty_tables(connection)
    yield connection
    if not connection.is_closed():
        connection.close()


@pytest.fixture
def redis_client(backends):
    """The session's Redis, emptied for this test."""
    import redis
    client = redis.Redis.from_url(backends.redis_url)
    client.flushdb()
    yield client
    client.close()


@pytest.fixture
def app(config, db, redis_client):
    """The Flask app on the test backends."""
    return create_app(config)


@pytest.fixture
def client(app):
    """A test client for `app`."""
    return app.test_client()


@pytest.fixture
def world(db):
    """A small district (tree, people with roles) and the 2018 campaign."""
    from tests.factories import build_world
    return build_world()
