"""Notices sent as template messages remember WeChat's msgid: the TEMPLATESENDJOBFINISH event
reports by it whether the message reached the person (a user may block the account's templates)."""
from peewee import *


def up(migrator, db):
    """A nullable indexed column (frozen copy of Notice.msgid); notices sent so far have none."""
    migrator.migrate(migrator.add_column("notice", "msgid", BigIntegerField(null=True)),
                     migrator.add_index("notice", ("msgid",), False))


def down(migrator, db):
    """Drop the index and the column."""
    migrator.migrate(migrator.drop_index("notice", "notice_msgid"),
                     migrator.drop_column("notice", "msgid"))
