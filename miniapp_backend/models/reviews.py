"""The review chain's steps (the digital 盖章) and the audit log."""
from enum import StrEnum

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.people import Person


class StepMode(StrEnum):
    """Digital steps are decided on the admin web; paper steps end with a stamped scan upload."""

    DIGITAL = "digital"
    PAPER = "paper"


class StepStatus(StrEnum):
    """A step's state within one submitted version."""

    PENDING = "pending"
    WAITING = "waiting"
    APPROVED = "approved"
    RETURNED = "returned"
    REJECTED = "rejected"


class Decision(StrEnum):
    """What a reviewer can decide."""

    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


class ReviewStep(BaseModel):
    """One level of the chain for one submitted version: who decided what, when, with what opinion."""

    application = ForeignKeyField(Application, backref="steps", on_delete="CASCADE")
    version = IntegerField()
    seq = IntegerField()
    level = CharField(max_length=20)
    mode = CharField(max_length=8)
    label = CharField(max_length=100)
    org = ForeignKeyField(Org, null=True, backref="+", on_delete="SET NULL")
    status = CharField(max_length=10, default=StepStatus.WAITING)
    reviewer = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    opinion = TextField(default="")
    remarks = JSONField(default=dict)
    rectify_deadline = DateField(null=True)
    decided_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("application", "version", "seq"), True),)


class AuditLog(BaseModel):
    """Who did what to which object; never updated."""

    actor = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    action = CharField(max_length=40)
    object_type = CharField(max_length=30)
    object_id = IntegerField()
    detail = JSONField(default=dict)
