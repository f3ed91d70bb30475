"""Packets remember the version of the layout they were drawn with: one drawn by an older layout is
compiled again when next downloaded (workers.packets.refresh_outdated)."""
from peewee import *


def up(migrator, db):
    """Every packet made so far was drawn by layout 1 (frozen copy of Packet.layout)."""
    migrator.migrate(migrator.add_column("packet", "layout", IntegerField(default=1)))


def down(migrator, db):
    """Drop the column."""
    migrator.migrate(migrator.drop_column("packet", "layout"))
