"""A 合格 declaration carries the minutes (会议记录/决议) of the 会员代表大会 that decided it: any
number of photos or scans (honour_minutes) instead of the single minutes_file no edge ever set,
and a photo sent in chat while declaring waits for the declaration (chat_media.honour_id, no
application). Declarations made before keep their status; without minutes they wait for some."""
from peewee import *
from playhouse.migrate import SqliteMigrator

OLD_INDEX = "honour_minutes_file_id"


def _frozen(db):
    """Frozen copies of the models this migration touches (models/honours.py, models/chat_media.py)."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        pass

    class StoredFile(Base):
        pass

    class Honour(Base):
        pass

    class HonourMinutes(Base):
        created_at = DateTimeField()
        honour = ForeignKeyField(Honour, backref='minutes', on_delete='CASCADE')
        file = ForeignKeyField(StoredFile, backref='+', on_delete='RESTRICT')
        added_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

        class Meta:
            indexes = ((('honour', 'file'), True),)

    return Honour, HonourMinutes, StoredFile


def up(migrator, db):
    """Create honour_minutes, carry over any minutes_file, drop that column; let chat_media wait
    for a declaration."""
    honour, minutes, _ = _frozen(db)
    # The old column's index bears the name the new table's file_id index takes: dropped first.
    db.execute_sql(f"DROP INDEX IF EXISTS {OLD_INDEX}")
    db.create_tables([minutes])
    db.execute_sql("INSERT INTO honour_minutes (created_at, honour_id, file_id) "
                   "SELECT CURRENT_TIMESTAMP, id, minutes_file_id FROM honour WHERE minutes_file_id IS NOT NULL")
    migrator.migrate(
        _drop_foreign_key(migrator, db, "honour", "minutes_file_id"),
        migrator.drop_not_null("chat_media", "application_id"),
        migrator.add_column("chat_media", "honour_id",
                            ForeignKeyField(honour, null=True, backref="+", on_delete="CASCADE", field=honour.id)))


def down(migrator, db):
    """Back to one minutes_file (the first of each declaration's minutes); chat photos waiting for
    a declaration are dropped."""
    honour, _, stored_file = _frozen(db)
    db.execute_sql("DELETE FROM chat_media WHERE application_id IS NULL")
    db.execute_sql(f"DROP INDEX IF EXISTS {OLD_INDEX}")  # honour_minutes' own, a name the column takes back
    db.execute_sql("DROP INDEX IF EXISTS chat_media_honour_id")
    migrator.migrate(
        _drop_foreign_key(migrator, db, "chat_media", "honour_id"),
        migrator.add_not_null("chat_media", "application_id"),
        migrator.add_column("honour", "minutes_file_id",
                            ForeignKeyField(stored_file, null=True, backref="+", on_delete="SET NULL",
                                            field=stored_file.id)))
    db.execute_sql("UPDATE honour SET minutes_file_id = (SELECT MIN(file_id) FROM honour_minutes "
                   "WHERE honour_minutes.honour_id = honour.id)")
    db.execute_sql("DROP TABLE IF EXISTS honour_minutes")


def _drop_foreign_key(migrator, db, table, column):
    """Drop a foreign key column (its index dropped before): SQLite cannot in place, so its table
    is rebuilt."""
    if isinstance(migrator, SqliteMigrator):  # `db` may be a proxy; the migrator is the database's own
        return migrator.drop_column(table, column, legacy=True)
    return migrator.drop_column(table, column)
