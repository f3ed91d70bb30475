"""Evidence files stored by content hash, and their links to application slots."""
from enum import StrEnum

from peewee import CharField, DateTimeField, FloatField, ForeignKeyField, IntegerField

from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.people import Person


class FileKind(StrEnum):
    """Photos back checklist items; PDFs are stamped pages and the 会员评家报告."""

    PHOTO = "photo"
    PDF = "pdf"


class StoredFile(BaseModel):
    """File content addressed by sha256; capture time and GPS are for reviewers only."""

    sha256 = CharField(max_length=64, unique=True)
    kind = CharField(max_length=8)
    mime = CharField(max_length=40)
    size = IntegerField()
    width = IntegerField(null=True)
    height = IntegerField(null=True)
    taken_at = DateTimeField(null=True)
    gps_lat = FloatField(null=True)
    gps_lng = FloatField(null=True)
    uploaded_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")


class EvidenceLink(BaseModel):
    """One file attached to one slot: "<form>:item.<no>", "stamped:<block>", "report", "media"."""

    application = ForeignKeyField(Application, backref="evidence", on_delete="CASCADE")
    slot = CharField(max_length=120)
    file = ForeignKeyField(StoredFile, backref="links", on_delete="RESTRICT")
    added_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("application", "slot", "file"), True),)
