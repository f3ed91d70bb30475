"""A 合格 declaration the confirming union refuses stays on record as "refused" beside the unit's
next declaration: like a revoked title, it no longer counts as the one live title per org, kind
and year."""
INDEX = "honour_one_live_per_year"


def up(migrator, db):
    """The partial unique index leaves refused declarations out too (same SQL on SQLite and
    PostgreSQL; frozen copy of the model's)."""
    db.execute_sql(f"DROP INDEX IF EXISTS {INDEX}")
    db.execute_sql(f"CREATE UNIQUE INDEX {INDEX} ON honour (org_id, kind, year) "
                   "WHERE status NOT IN ('revoked', 'refused')")


def down(migrator, db):
    """Back to leaving out only revoked titles (fails while a refused declaration has a successor)."""
    db.execute_sql(f"DROP INDEX IF EXISTS {INDEX}")
    db.execute_sql(f"CREATE UNIQUE INDEX {INDEX} ON honour (org_id, kind, year) WHERE status != 'revoked'")
