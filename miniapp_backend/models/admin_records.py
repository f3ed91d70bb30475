"""What the district records on the admin web: per-系统工会 quotas, 现场验收, selection and 公示."""
from enum import StrEnum

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.campaigns import Campaign
from miniapp_backend.models.evidence import StoredFile
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.people import Person


class SystemQuota(BaseModel):
    """How many of a campaign target's kind one 系统工会 is expected to deliver."""

    campaign = ForeignKeyField(Campaign, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=20)
    org = ForeignKeyField(Org, backref="+", on_delete="CASCADE")
    count = IntegerField()

    class Meta:
        indexes = ((("campaign", "kind", "org"), True),)

    @classmethod
    def of_campaign(cls, campaign):
        """{(kind, org id): count} for `campaign`."""
        return {(q.kind, q.org_id): q.count for q in cls.select().where(cls.campaign == campaign)}


class InspectionResult(StrEnum):
    """What the inspectors concluded on site."""

    PASSED = "passed"
    FAILED = "failed"
    PENDING = "pending"


INSPECTION_RESULT_LABELS = {
    InspectionResult.PASSED: "验收合格",
    InspectionResult.FAILED: "验收不合格",
    InspectionResult.PENDING: "待定",
}


class SiteInspection(BaseModel):
    """A 现场验收 visit to an application's site: when, who, what was found."""

    application = ForeignKeyField(Application, backref="inspections", on_delete="CASCADE")
    inspected_on = DateField()
    inspectors = CharField(max_length=200)
    findings = TextField(default="")
    result = CharField(max_length=10, default=InspectionResult.PENDING)
    recorded_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")


class InspectionPhoto(BaseModel):
    """A photo taken during a 现场验收."""

    inspection = ForeignKeyField(SiteInspection, backref="photos", on_delete="CASCADE")
    file = ForeignKeyField(StoredFile, backref="+", on_delete="RESTRICT")

    class Meta:
        indexes = ((("inspection", "file"), True),)


class SelectionStatus(StrEnum):
    """A selection is drafted, published as a 公示 list, then confirmed into honours."""

    DRAFT = "draft"
    PUBLISHED = "published"
    CONFIRMED = "confirmed"


SELECTION_STATUS_LABELS = {
    SelectionStatus.DRAFT: "拟定中",
    SelectionStatus.PUBLISHED: "公示中",
    SelectionStatus.CONFIRMED: "已确认授予",
}


class Selection(BaseModel):
    """The district's choice among approved applications of one kind in one campaign."""

    campaign = ForeignKeyField(Campaign, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=20)
    status = CharField(max_length=10, default=SelectionStatus.DRAFT)
    notice_text = TextField(default="")
    publish_until = DateField(null=True)
    published_at = DateTimeField(null=True)
    confirmed_at = DateTimeField(null=True)
    decided_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("campaign", "kind"), True),)


class SelectionEntry(BaseModel):
    """One application chosen in a selection."""

    selection = ForeignKeyField(Selection, backref="entries", on_delete="CASCADE")
    application = ForeignKeyField(Application, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("selection", "application"), True),)
