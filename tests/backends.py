"""Real backends for the suite: SQLite or PostgreSQL, embedded Redis or a Redis server.

TEST_DB=sqlite|postgres and TEST_REDIS=embedded|server choose; `make test` runs both pairs.
Each run gets its own PostgreSQL database and its own Redis database number.
"""
import os
import secrets
import shutil
import tempfile
from pathlib import Path

import psycopg2
import redis

from miniapp_backend import embedded_redis

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN_URL", "postgresql://127.0.0.1:5432/test")
REDIS_SERVER_URL = os.environ.get("TEST_REDIS_SERVER_URL", "redis://127.0.0.1:6379")


class Backends:
    """Starts and stops what one test session needs; exposes database and Redis URLs."""

    def __init__(self, db_kind, redis_kind):
        self.db_kind, self.redis_kind = db_kind, redis_kind
        self.tmp = Path(tempfile.mkdtemp(prefix="zgzj-test-"))
        self._redis_proc = None
        self._pg_name = None
        self._redis_claim = None

    def start(self):
        """Create the database and reach a Redis; return self."""
        self.database_url = self._start_db()
        self.redis_url = self._start_redis()
        return self

    def _start_db(self):
        if self.db_kind == "sqlite":
            return f"sqlite:///{self.tmp / 'test.db'}"
        self._pg_name = f"zgzj_test_{os.getpid()}_{secrets.token_hex(3)}"
        self._admin(f'CREATE DATABASE "{self._pg_name}"')
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{self._pg_name}"

    def _admin(self, sql):
        conn = psycopg2.connect(PG_ADMIN_URL)
        conn.autocommit = True
        try:
            conn.cursor().execute(sql)
        finally:
            conn.close()

    def _start_redis(self):
        if self.redis_kind == "embedded":
            redis_dir = self.tmp / "redis"
            self._redis_proc = embedded_redis.start_child(redis_dir)
            return f"unix://{embedded_redis.socket_path(redis_dir)}"
        # Claim a free database number so concurrent runs never share keys.
        # Claims live in database 0, which tests never flush.
        registry = redis.Redis.from_url(f"{REDIS_SERVER_URL}/0")
        for number in range(1, 16):
            if registry.set(f"zgzj-test:claim:{number}", os.getpid(), nx=True, ex=3600):
                self._redis_claim = (registry, number)
                url = f"{REDIS_SERVER_URL}/{number}"
                redis.Redis.from_url(url).flushdb()
                return url
        raise RuntimeError("no free Redis database number on the test server")

    def stop(self):
        """Drop the database, stop or release Redis, remove temporary files."""
        if self._redis_proc:
            self._redis_proc.terminate()
            self._redis_proc.wait(10)
        if self._redis_claim:
            registry, number = self._redis_claim
            redis.Redis.from_url(f"{REDIS_SERVER_URL}/{number}").flushdb()
            registry.delete(f"zgzj-test:claim:{number}")
        if self._pg_name:
            self._admin(f'DROP DATABASE IF EXISTS "{self._pg_name}" WITH (FORCE)')
        shutil.rmtree(self.tmp, ignore_errors=True)
