"""Images users send in chat: a job downloads each (MediaId lives 3 days) and attaches it."""
from enum import StrEnum

from peewee import CharField, DateTimeField, ForeignKeyField, TextField, fn

from miniapp_backend.clock import utcnow
from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.evidence import EvidenceLink, StoredFile
from miniapp_backend.models.honours import Honour
from miniapp_backend.models.people import Person
from miniapp_backend.models.prepared import Prepared


class MediaStatus(StrEnum):
    """PENDING until the download job stores the file (STORED) or gives up (FAILED)."""

    PENDING = "pending"
    STORED = "stored"
    FAILED = "failed"


class ChatMedia(BaseModel):
    """One image message: its MediaId, the slots it is meant for and, once stored, the file. A
    photo of a 合格 declaration's minutes has no application: it is for the `honour` once the
    chair confirms the declaration (none until then)."""

    application = ForeignKeyField(Application, null=True, backref="+", on_delete="CASCADE")
    honour = ForeignKeyField(Honour, null=True, backref="+", on_delete="CASCADE")
    person = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    media_id = CharField(max_length=200, unique=True)
    slots = JSONField(default=list)
    status = CharField(max_length=10, default=MediaStatus.PENDING)
    file = ForeignKeyField(StoredFile, null=True, backref="+", on_delete="SET NULL")
    detail = TextField(default="")
    updated_at = DateTimeField(default=utcnow)

    @classmethod
    def pending_for(cls, application):
        """Images of `application` still waiting for their download."""
        return _PENDING.rows(getattr(application, "id", application))

    @classmethod
    def attached_counts(cls, application):
        """Photos attached (downloads finished) to each slot of `application` that has any."""
        return dict(_ATTACHED.values(getattr(application, "id", application)))


_PENDING = Prepared(lambda application: ChatMedia.select().where(
    ChatMedia.application == application, ChatMedia.status == MediaStatus.PENDING))
_ATTACHED = Prepared(lambda application: (
    EvidenceLink.select(EvidenceLink.slot, fn.COUNT(EvidenceLink.id))
    .where(EvidenceLink.application == application).group_by(EvidenceLink.slot)))
