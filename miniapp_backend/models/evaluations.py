"""会员评家: evaluation rounds, their voters, and anonymous ballots.

Anonymity is a property of the schema, not only of the code (see services/ballots.py):
a Voter row records *that* someone voted (`voted_at`); a Ballot row records *how* someone
voted, under a key derived from the voter's secret code with a server-side HMAC. No column,
foreign key, timestamp or sequence number connects the two tables.
"""
from enum import StrEnum

from peewee import (
    BooleanField, CharField, DateTimeField, ForeignKeyField, Model, TextField)

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.people import Person


class RoundStatus(StrEnum):
    """An evaluation round takes votes while open; closing it freezes the count."""

    OPEN = "open"
    CLOSED = "closed"


class Electorate(StrEnum):
    """Who votes: every member (会员大会) or the elected representatives (会员代表大会)."""

    MEMBERS = "members"
    REPRESENTATIVES = "representatives"


ELECTORATE_LABELS = {Electorate.MEMBERS: "会员", Electorate.REPRESENTATIVES: "会员代表"}


class EvaluationRound(BaseModel):
    """One 会员评议职工之家 of one org: its question, 评家标准 and closing time."""

    org = ForeignKeyField(Org, backref="evaluation_rounds", on_delete="RESTRICT")
    opened_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    title = CharField(max_length=100)
    motion = CharField(max_length=200)  # the agree/disagree question shown on every ballot
    electorate = CharField(max_length=16, default=Electorate.MEMBERS)
    standards = JSONField()  # ["组织健全", …]: the 评家标准 each voter scores 1–5
    closes_at = DateTimeField()  # naive UTC; votes at or after it are refused
    status = CharField(max_length=12, default=RoundStatus.OPEN)
    closed_at = DateTimeField(null=True)
    closed_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    def accepting(self, now=None):
        """True while votes may be cast: open and before the closing time."""
        return self.status == RoundStatus.OPEN and (now or utcnow()) < self.closes_at

    @classmethod
    def open_for(cls, org):
        """The org's round still marked open (at most one: see the index below)."""
        return cls.select().where(cls.org == org, cls.status == RoundStatus.OPEN)

    @classmethod
    def of_orgs(cls, orgs):
        """The rounds of `orgs`, newest first."""
        return cls.select().where(cls.org.in_([org.id for org in orgs])).order_by(cls.id.desc())


# One open round per org, kept by the database (services/evaluations.open_round turns a clash
# into its usual refusal).
EvaluationRound.add_index(EvaluationRound.index(
    EvaluationRound.org, unique=True, where=(EvaluationRound.status == RoundStatus.OPEN),
    name="evaluationround_one_open_per_org"))


class Voter(BaseModel):
    """One person on a round's roster; `code_hash` finds them from their ballot code."""

    round = ForeignKeyField(EvaluationRound, backref="voters", on_delete="CASCADE")
    name = CharField(max_length=40)
    contact = CharField(max_length=60, default="")  # phone, 部门 or 工号: tells two 张伟 apart
    code_hash = CharField(max_length=64, unique=True)
    voted_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("round", "name", "contact"), True),)

    @classmethod
    def of_round(cls, round_):
        """The roster of `round_`, in the order it was entered."""
        return cls.select().where(cls.round == round_).order_by(cls.id)


class Ballot(Model):
    """One cast ballot. Deliberately not a BaseModel: it has no `created_at` and no sequential id.

    A creation time or an autoincrement id would order ballots the way `Voter.voted_at` orders
    voters, which is enough to join the two. The primary key is the ballot key (an HMAC of the
    voter's code), random-looking and unique: a second ballot from the same code cannot be
    inserted, however the requests race.
    """

    # Stored as column "id" (text, not a sequence) so generic tooling finds a primary key there.
    ballot_key = CharField(max_length=64, primary_key=True, column_name="id")
    round = ForeignKeyField(EvaluationRound, backref="ballots", on_delete="CASCADE")
    agree = BooleanField()
    scores = JSONField()  # {standard: 1–5}
    comment = TextField(default="")

    class Meta:
        database = database
        legacy_table_names = False

    @classmethod
    def of_round(cls, round_):
        """Every ballot of `round_`, in key order (which carries no information)."""
        return cls.select().where(cls.round == round_).order_by(cls.ballot_key)
