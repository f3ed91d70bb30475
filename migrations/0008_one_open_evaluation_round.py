"""At most one open 会员评家 round per org, kept by the database: two chairs (or one double tap)
opening a round at the same moment both passed the service's check and made two."""
INDEX = "evaluationround_one_open_per_org"


def up(migrator, db):
    """A partial unique index (same SQL on SQLite and PostgreSQL; frozen copy of the model's)."""
    db.execute_sql(f"CREATE UNIQUE INDEX {INDEX} ON evaluation_round (org_id) WHERE status = 'open'")


def down(migrator, db):
    """Drop the index."""
    db.execute_sql(f"DROP INDEX IF EXISTS {INDEX}")
