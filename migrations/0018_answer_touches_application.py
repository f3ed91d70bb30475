"""An application's updated_at follows its answers, kept by the database: every answer written
(by the chat, the mini-program, a prefill or a clear) moves it, in the same statement as the
write. A chat answer is then one statement instead of four (BEGIN, the answer, the touch,
COMMIT): a round trip each on PostgreSQL."""
from playhouse.migrate import PostgresqlMigrator

TOUCH = "UPDATE application SET updated_at = NEW.updated_at WHERE id = NEW.application_id"
SQLITE_EVENTS = ("insert", "update")


def up(migrator, db):
    """One trigger a write event on SQLite; one trigger function on PostgreSQL."""
    if isinstance(migrator, PostgresqlMigrator):  # `db` may be a proxy; the migrator is the database's own
        db.execute_sql("CREATE FUNCTION answer_touches_application() RETURNS trigger LANGUAGE plpgsql AS $$ "
                       f"BEGIN {TOUCH}; RETURN NULL; END $$")
        db.execute_sql("CREATE TRIGGER answer_touches_application AFTER INSERT OR UPDATE ON answer "
                       "FOR EACH ROW EXECUTE FUNCTION answer_touches_application()")
        return
    for event in SQLITE_EVENTS:
        db.execute_sql(f"CREATE TRIGGER answer_touches_application_on_{event} AFTER {event.upper()} ON answer "
                       f"BEGIN {TOUCH}; END")


def down(migrator, db):
    """Drop the triggers (the services then no longer keep updated_at: restore their touch)."""
    if isinstance(migrator, PostgresqlMigrator):  # `db` may be a proxy; the migrator is the database's own
        db.execute_sql("DROP TRIGGER IF EXISTS answer_touches_application ON answer")
        db.execute_sql("DROP FUNCTION IF EXISTS answer_touches_application()")
        return
    for event in SQLITE_EVENTS:
        db.execute_sql(f"DROP TRIGGER IF EXISTS answer_touches_application_on_{event}")
