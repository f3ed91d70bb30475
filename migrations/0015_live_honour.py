"""One live title per org, kind and year instead of one title at all: a revoked 合格 stays on
record while the unit declares it again after a new 会员代表大会."""
INDEX = "honour_one_live_per_year"
OLD_INDEX = "honour_org_id_kind_year"


def up(migrator, db):
    """Swap the unique index for a partial one (same SQL on SQLite and PostgreSQL; frozen copy of
    the model's)."""
    db.execute_sql(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    db.execute_sql(f"CREATE UNIQUE INDEX {INDEX} ON honour (org_id, kind, year) WHERE status != 'revoked'")


def down(migrator, db):
    """Back to one title per org, kind and year (fails while a revoked one has a successor)."""
    db.execute_sql(f"DROP INDEX IF EXISTS {INDEX}")
    db.execute_sql(f"CREATE UNIQUE INDEX {OLD_INDEX} ON honour (org_id, kind, year)")
