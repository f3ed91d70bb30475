"""暖心驿站 and 公共区域职工之家: places workers can find and use."""
from enum import StrEnum

from peewee import BooleanField, CharField, DateTimeField, FloatField, ForeignKeyField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.orgs import Org


class StationKind(StrEnum):
    """The two kinds of public-facing places."""

    WARM_STATION = "warm_station"
    PUBLIC_HOME = "public_home"


class StationStatus(StrEnum):
    """A station is planned until its 暖心驿站 application is approved."""

    PLANNED = "planned"
    ACTIVE = "active"
    CLOSED = "closed"
    MOVED = "moved"


STATION_STATUS_LABELS = {
    StationStatus.PLANNED: "建设中",
    StationStatus.ACTIVE: "开放",
    StationStatus.CLOSED: "已关闭",
    StationStatus.MOVED: "已迁址",
}


class Station(BaseModel):
    """One station; coordinates are GCJ-02, hours per weekday, services from the vocabulary."""

    org = ForeignKeyField(Org, backref="stations", on_delete="RESTRICT")
    kind = CharField(max_length=20, default=StationKind.WARM_STATION)
    code = CharField(max_length=16, unique=True)
    name = CharField(max_length=100)
    address = CharField(max_length=200)
    lat = FloatField()
    lng = FloatField()
    place_type = CharField(max_length=20, default="")
    public = BooleanField(default=True)
    # {"mon": [["08:00", "18:00"]], ..., "always": false}; "always": true means 24 h.
    hours = JSONField(default=dict)
    services = JSONField(default=list)
    status = CharField(max_length=12, default=StationStatus.PLANNED)
    phone = CharField(max_length=40, default="")
    moved_to = ForeignKeyField("self", null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)
