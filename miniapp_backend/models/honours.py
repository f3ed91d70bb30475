"""Honours: 合格, 区级先进, 市级/全国模范; each with its year, re-inspections and revocation."""
from enum import StrEnum

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.evidence import StoredFile
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.people import Person


class HonourKind(StrEnum):
    """The titles an org can hold."""

    QUALIFIED_HOME = "qualified_home"
    QUALIFIED_SMALL_HOME = "qualified_small_home"
    DISTRICT_HOME = "district_home"
    DISTRICT_SMALL_HOME = "district_small_home"
    MODEL_HOME = "model_home"
    NEW_UNION_HOME = "new_union_home"
    CITY_MODEL_HOME = "city_model_home"
    CITY_MODEL_SMALL_HOME = "city_model_small_home"
    NATIONAL_MODEL_HOME = "national_model_home"


HONOUR_LABELS = {
    HonourKind.QUALIFIED_HOME: "合格职工之家",
    HonourKind.QUALIFIED_SMALL_HOME: "合格职工小家",
    HonourKind.DISTRICT_HOME: "房山区先进职工之家",
    HonourKind.DISTRICT_SMALL_HOME: "房山区先进职工小家",
    HonourKind.MODEL_HOME: "示范职工之家",
    HonourKind.NEW_UNION_HOME: "百人以上新建会企业职工之家",
    HonourKind.CITY_MODEL_HOME: "北京市模范职工之家",
    HonourKind.CITY_MODEL_SMALL_HOME: "北京市模范职工小家",
    HonourKind.NATIONAL_MODEL_HOME: "全国模范职工之家",
}


class HonourStatus(StrEnum):
    """A 合格 title is declared by the chair and becomes active once the 系统工会 verifies it, or
    is refused (not 合格 after all; revoked_at/by/reason say when, by whom and why)."""

    DECLARED = "declared"
    ACTIVE = "active"
    REVOKED = "revoked"
    REFUSED = "refused"


# Titles that no longer stand: revoked, or a declaration refused; neither blocks a new one.
ENDED = (HonourStatus.REVOKED, HonourStatus.REFUSED)


class Honour(BaseModel):
    """One title held by one org from one year on."""

    org = ForeignKeyField(Org, backref="honours", on_delete="CASCADE")
    kind = CharField(max_length=24)
    year = IntegerField()
    status = CharField(max_length=10, default=HonourStatus.ACTIVE)
    awarded_on = DateField(null=True)
    congress_date = DateField(null=True)
    application = ForeignKeyField(Application, null=True, backref="+", on_delete="SET NULL")
    verified_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    verified_at = DateTimeField(null=True)
    revoked_at = DateTimeField(null=True)
    revoked_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    revoked_reason = TextField(default="")

    @classmethod
    def held(cls):
        """SQL: the title is held now. A declared 合格 awaits its 系统工会's confirmation and a
        revoked one (复查发现严重问题) is gone: neither counts for anything."""
        return cls.status == HonourStatus.ACTIVE

    @classmethod
    def live(cls):
        """SQL: the title is declared or held (not revoked, not a refused declaration)."""
        return cls.status.not_in(ENDED)

    @classmethod
    def locked(cls, honour):
        """The title read again inside the caller's transaction, its row held (review.hold's way:
        the first statement writes), so a confirmation, revocation or answer to a proposal racing
        this one waits for it and then sees its outcome."""
        cls.update(id=cls.id).where(cls.id == honour.id).execute()
        return cls.get_by_id(honour.id)

    @classmethod
    def lost_applications(cls):
        """SQL: the ids of applications a title was awarded from that is no longer held (revoked):
        their approval stays on record but no longer counts as 验收合格 or 已建家."""
        return cls.select(cls.application).where(cls.application.is_null(False), ~cls.held())


# One live (declared or held) title per org, kind and year, kept by the database; a revoked one
# (or a refused declaration) stays on record beside it, so a unit whose 合格 was revoked or refused
# declares again (qualified.declare_qualified).
Honour.add_index(Honour.index(Honour.org, Honour.kind, Honour.year, unique=True,
                              where=Honour.live(), name="honour_one_live_per_year"))


class HonourMinutes(BaseModel):
    """One photo or scan of the minutes (会议记录/决议) of the 会员代表大会 that decided a declared
    合格 title: what the confirming union checks before it confirms."""

    honour = ForeignKeyField(Honour, backref="minutes", on_delete="CASCADE")
    file = ForeignKeyField(StoredFile, backref="+", on_delete="RESTRICT")
    added_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("honour", "file"), True),)


# A 复验 by a 系统工会 that finds a 区级 or higher title lacking only proposes its revocation.
PROPOSED = "proposed"


class ProposalDecision(StrEnum):
    """The 区总工会's answer to a proposal to revoke; PENDING until it decides."""

    PENDING = ""
    REVOKED = "revoked"
    DECLINED = "declined"


class Reinspection(BaseModel):
    """A 复验 of an honour: kept, or revoked with the findings."""

    honour = ForeignKeyField(Honour, backref="reinspections", on_delete="CASCADE")
    inspected_on = DateField()
    inspector = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    kept = CharField(max_length=8)  # "kept", "revoked", or "proposed" (a 系统工会 asking the district to revoke)
    findings = TextField(default="")
    # A proposal waits ("") until the district decides: "revoked" or "declined", by whom, when and why.
    decision = CharField(max_length=8, default=ProposalDecision.PENDING)
    decided_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    decided_at = DateTimeField(null=True)
    decision_note = TextField(default="")
