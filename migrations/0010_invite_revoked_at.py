"""Invite codes can be revoked: an admin removing a binding may void the org's unused codes,
which the removed person could otherwise still use to bind again."""
from peewee import *


def up(migrator, db):
    """A nullable column: every existing code stays as it was (frozen copy of InviteCode.revoked_at)."""
    migrator.migrate(migrator.add_column("invite_code", "revoked_at", DateTimeField(null=True)))


def down(migrator, db):
    """Drop the column."""
    migrator.migrate(migrator.drop_column("invite_code", "revoked_at"))
