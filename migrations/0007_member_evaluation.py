"""会员评家: evaluation rounds, their voters and anonymous ballots."""
from peewee import *


def up(migrator, db):
    """Create the evaluation tables (frozen copy of models/evaluations.py)."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        pass

    class Org(Base):
        pass

    class EvaluationRound(Base):
        created_at = DateTimeField()
        org = ForeignKeyField(Org, backref='+', on_delete='RESTRICT')
        opened_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        title = CharField(max_length=100)
        motion = CharField(max_length=200)
        electorate = CharField(max_length=16)
        standards = TextField()
        closes_at = DateTimeField()
        status = CharField(max_length=12)
        closed_at = DateTimeField(null=True)
        closed_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

    class Voter(Base):
        created_at = DateTimeField()
        round = ForeignKeyField(EvaluationRound, backref='+', on_delete='CASCADE')
        name = CharField(max_length=40)
        contact = CharField(max_length=60)
        code_hash = CharField(max_length=64, unique=True)
        voted_at = DateTimeField(null=True)

        class Meta:
            indexes = [(('round', 'name', 'contact'), True)]

    class Ballot(Base):
        # No created_at and no id: see models/evaluations.py.
        ballot_key = CharField(max_length=64, primary_key=True, column_name='id')
        round = ForeignKeyField(EvaluationRound, backref='+', on_delete='CASCADE')
        agree = BooleanField()
        scores = TextField()
        comment = TextField()

    db.create_tables([EvaluationRound, Voter, Ballot])


def down(migrator, db):
    """Drop the evaluation tables."""
    for table in ("ballot", "voter", "evaluation_round"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
