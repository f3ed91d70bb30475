"""Notices remember when their person first read them (the mini-program's inbox, or the H5 page
a template message links): the inbox tells new notices from seen ones."""
from peewee import *


def up(migrator, db):
    """A nullable column: every existing notice counts as unread (frozen copy of Notice.read_at)."""
    migrator.migrate(migrator.add_column("notice", "read_at", DateTimeField(null=True)))


def down(migrator, db):
    """Drop the column."""
    migrator.migrate(migrator.drop_column("notice", "read_at"))
