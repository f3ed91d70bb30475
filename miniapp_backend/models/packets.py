"""Compiled application packets: one row per snapshot version and review state."""
from enum import StrEnum

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.applications import Application
from miniapp_backend.models.base import BaseModel


class PacketStatus(StrEnum):
    """QUEUED when asked for, RUNNING while a worker renders, DONE once every file is in place.

    SUPERSEDED: the review state moved on before the job ran; a newer packet covers it.
    """

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SUPERSEDED = "superseded"


PACKET_STATUS_LABELS = {
    PacketStatus.QUEUED: "排队中",
    PacketStatus.RUNNING: "生成中",
    PacketStatus.DONE: "已生成",
    PacketStatus.FAILED: "生成失败",
    PacketStatus.SUPERSEDED: "已被新版本取代",
}


class Packet(BaseModel):
    """The printable packet of one submitted version in one review state; files under `folder`."""

    application = ForeignKeyField(Application, backref="packets", on_delete="CASCADE")
    version = IntegerField()
    review_state_key = CharField(max_length=16)
    layout = IntegerField(default=1)  # the PACKET_LAYOUT it is drawn with (in its key too)
    status = CharField(max_length=12, default=PacketStatus.QUEUED)
    attempts = IntegerField(default=0)
    folder = CharField(max_length=200, default="")  # relative to the storage dir
    pdf_sha256 = CharField(max_length=64, default="")
    docx_sha256 = CharField(max_length=64, default="")
    zip_sha256 = CharField(max_length=64, default="")
    detail = TextField(default="")
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("application", "version", "review_state_key"), True),)

    @property
    def job_id(self):
        """The rq job id: one per snapshot and review state, so duplicates collapse."""
        return f"packet-{self.application_id}-v{self.version}-{self.review_state_key}"

    @classmethod
    def latest_done(cls, application):
        """The newest finished packet of an application, or None."""
        return (cls.select().where(cls.application == application, cls.status == PacketStatus.DONE)
                .order_by(cls.version.desc(), cls.finished_at.desc(), cls.id.desc()).first())

    @classmethod
    def unfinished(cls):
        """Packets asked for and not finished (queued, running or failed)."""
        return cls.select().where(cls.status.in_(
            [PacketStatus.QUEUED, PacketStatus.RUNNING, PacketStatus.FAILED]))
