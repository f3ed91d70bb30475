"""A 系统工会's proposal to revoke a 区级 or higher title waits for the 区总工会's decision: the
proposal (a Reinspection marked "proposed") records whether the district revoked or declined,
who decided, when and why."""
from peewee import *


def up(migrator, db):
    """Columns on reinspection (frozen copy of Reinspection's decision fields); existing
    proposals stay undecided."""
    class Person(Model):
        class Meta:
            database = db
            legacy_table_names = False

    migrator.migrate(
        migrator.add_column("reinspection", "decision", CharField(max_length=8, default="")),
        migrator.add_column("reinspection", "decided_by_id",
                            ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL",
                                            field=Person.id)),
        migrator.add_column("reinspection", "decided_at", DateTimeField(null=True)),
        migrator.add_column("reinspection", "decision_note", TextField(default="")))


def down(migrator, db):
    """Drop the columns."""
    migrator.migrate(migrator.drop_column("reinspection", "decision"),
                     migrator.drop_column("reinspection", "decided_by_id"),
                     migrator.drop_column("reinspection", "decided_at"),
                     migrator.drop_column("reinspection", "decision_note"))
