"""Campaigns per year: the application kinds open, their rounds, targets and funding."""
from enum import StrEnum

from peewee import CharField, DateField, ForeignKeyField, IntegerField

from miniapp_backend.models.base import BaseModel, SharedJSONField


class ApplicationKind(StrEnum):
    """What a unit can apply for; each kind's parts and review chain come from campaign data."""

    DISTRICT_HOME = "district_home"
    SMALL_HOME = "small_home"
    MODEL_HOME = "model_home"
    NEW_UNION_HOME = "new_union_home"
    WARM_STATION = "warm_station"


class Campaign(BaseModel):
    """One year's campaign; `year` is the 年度 label, separate from its dates."""

    year = IntegerField(unique=True)
    title = CharField(max_length=200)
    data = SharedJSONField()  # read-only once loaded: rows share it


class Round(BaseModel):
    """A filing window of one kind (e.g. 上半年 by 06-30), with its acceptance period."""

    campaign = ForeignKeyField(Campaign, backref="rounds", on_delete="CASCADE")
    kind = CharField(max_length=20)
    name = CharField(max_length=40)
    opens_on = DateField()
    closes_on = DateField()
    acceptance_from = DateField(null=True)
    acceptance_to = DateField(null=True)

    class Meta:
        indexes = ((("campaign", "kind", "name"), True),)


class Target(BaseModel):
    """How many of a kind the district aims for, and the indicative funding per unit (元)."""

    campaign = ForeignKeyField(Campaign, backref="targets", on_delete="CASCADE")
    kind = CharField(max_length=20)
    count = IntegerField()
    funding_yuan = IntegerField(default=0)

    class Meta:
        indexes = ((("campaign", "kind"), True),)
