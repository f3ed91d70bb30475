"""Organisations: the union tree from the 区总工会 down to 工会小组/班组."""
from enum import StrEnum

from peewee import CharField, DateField, ForeignKeyField, IntegerField

from miniapp_backend.models.base import BaseModel


class OrgKind(StrEnum):
    """Levels of the tree; 直属基层工会 are grassroots unions whose parent is the district."""

    DISTRICT = "district"
    SYSTEM = "system"
    GRASSROOTS = "grassroots"
    JOINT = "joint"
    BRANCH = "branch"
    GROUP = "group"


ORG_KIND_LABELS = {
    OrgKind.DISTRICT: "区总工会",
    OrgKind.SYSTEM: "系统工会",
    OrgKind.GRASSROOTS: "基层工会",
    OrgKind.JOINT: "联合工会",
    OrgKind.BRANCH: "工会分会/车间",
    OrgKind.GROUP: "工会小组/班组",
}


class BuildingMode(StrEnum):
    """建家模式 of the seed: 单独建家, 联合建家, 网上建家."""

    SOLO = "单独"
    JOINT = "联合"
    ONLINE = "网上"


class Org(BaseModel):
    """One union organisation; `path` ("/1/4/9/") makes subtree queries one LIKE."""

    parent = ForeignKeyField("self", null=True, backref="children", on_delete="RESTRICT")
    kind = CharField(max_length=16)
    # System unions: 燕山总工会 / 乡镇街道总工会 / 开发区工会 / 委局公司工会; joint: 楼宇 / 园区 / 商业街 / 社区 / 村.
    category = CharField(max_length=32, default="")
    full_name = CharField(max_length=100, unique=True)
    path = CharField(max_length=255, index=True, default="")
    credit_code = CharField(max_length=18, null=True)
    nature = CharField(max_length=32, default="")
    founded_on = DateField(null=True)
    employee_count = IntegerField(null=True)
    member_count = IntegerField(null=True)
    chair_name = CharField(max_length=40, default="")
    phone = CharField(max_length=40, default="")
    home_phone = CharField(max_length=40, default="")
    email = CharField(max_length=120, default="")
    building_mode = CharField(max_length=8, default=BuildingMode.SOLO)
    committee_size = IntegerField(null=True)
    fulltime_cadres = IntegerField(null=True)

    def subtree(self):
        """This org and every org below it."""
        return Org.select().where(Org.path.startswith(self.path))

    def ancestor_ids(self):
        """Ids from the root down to this org, inclusive."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    def contains(self, other):
        """True when `other` is this org or below it."""
        return other.path.startswith(self.path)

    @property
    def is_direct(self):
        """直属基层工会: hangs directly under the 区总工会, so no 系统工会 reviews it."""
        return self.parent is not None and self.parent.kind == OrgKind.DISTRICT

    @property
    def label(self):
        """The kind in Chinese."""
        return ORG_KIND_LABELS[OrgKind(self.kind)]
