"""Chat media: images users send to the official account, until a job stores and attaches them."""
from peewee import *


def up(migrator, db):
    """Create chat_media (frozen copy of models/chat_media.py)."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        pass

    class Application(Base):
        pass

    class StoredFile(Base):
        pass

    class ChatMedia(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        person = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        media_id = CharField(max_length=200, unique=True)
        slots = TextField()
        status = CharField(max_length=10)
        file = ForeignKeyField(StoredFile, backref='+', on_delete='SET NULL', null=True)
        detail = TextField()
        updated_at = DateTimeField()

    db.create_tables([ChatMedia])


def down(migrator, db):
    """Drop chat_media."""
    db.execute_sql("DROP TABLE IF EXISTS chat_media")
