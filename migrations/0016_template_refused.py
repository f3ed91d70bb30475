"""A user's refusal of the account's template messages (43101) is remembered per official-account
identity, so later notices go straight to the next channel until the user follows again."""
from peewee import *


def up(migrator, db):
    """A nullable column (frozen copy of ChannelState.template_refused_at); nobody has refused yet."""
    migrator.migrate(migrator.add_column("channel_state", "template_refused_at", DateTimeField(null=True)))


def down(migrator, db):
    """Drop the column."""
    migrator.migrate(migrator.drop_column("channel_state", "template_refused_at"))
