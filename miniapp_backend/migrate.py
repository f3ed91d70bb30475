"""Applying the numbered scripts in migrations/ with peewee's own runner."""
import logging

from playhouse.migrations import Runner

from miniapp_backend.config import PROJECT_ROOT

log = logging.getLogger(__name__)

MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
LOCK_ID = 7_335_120  # PostgreSQL advisory lock: one migrator at a time across machines.


def apply_migrations(db):
    """Apply every pending migration; return the names applied."""
    from miniapp_backend.db import is_postgres
    with db.connection_context():
        if is_postgres(db):
            db.execute_sql("SELECT pg_advisory_lock(%s)", (LOCK_ID,))
        try:
            applied = Runner(db, directory=str(MIGRATIONS_DIR)).up()
        finally:
            if is_postgres(db):
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (LOCK_ID,))
    for name in applied:
        log.info("applied migration %s", name)
    return applied
