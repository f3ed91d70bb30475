"""Images users send in chat: a job downloads each (MediaId lives 3 days) and attaches it."""
from dataclasses import dataclass
from enum import StrEnum

from peewee import SQL, CharField, DateTimeField, ForeignKeyField, TextField, fn

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
    def photo_counts(cls, application):
        """The photos of each slot of `application`, attached or still downloading."""
        attached, downloading = {}, []
        for slot, count, pending_slots in _PHOTOS.values(getattr(application, "id", application)):
            if pending_slots is None:
                attached[slot] = count
            else:
                downloading.append(cls.slots.python_value(pending_slots))
        return PhotoCounts(attached, tuple(downloading))


@dataclass(frozen=True)
class PhotoCounts:
    """Photos by slot as one query saw them: a download finishing meanwhile is counted once,
    attached or downloading, never missed (which would ask the chair for a photo again)."""

    attached: dict  # slot -> photos stored and linked
    downloading: tuple  # the slots of each image still downloading

    def held(self, slot):
        """Photos of `slot`: attached plus still downloading."""
        return self.attached.get(slot, 0) + sum(slot in slots for slots in self.downloading)

    def saving(self):
        """Slots some image is still downloading for."""
        return {slot for slots in self.downloading for slot in slots}


# Attached counts by slot, then one row per image still downloading (its slots).
_PHOTOS = Prepared(lambda application: (
    EvidenceLink.select(EvidenceLink.slot, fn.COUNT(EvidenceLink.id), SQL("NULL"))
    .where(EvidenceLink.application == application).group_by(EvidenceLink.slot)
    + ChatMedia.select(SQL("NULL"), SQL("0"), ChatMedia.slots)
    .where(ChatMedia.application == application, ChatMedia.status == MediaStatus.PENDING)))
