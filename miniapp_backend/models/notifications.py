"""The notification ledger and the per-identity channel state WeChat's rules need."""
import datetime as dt
from enum import StrEnum

from peewee import BigIntegerField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.people import Identity, Person


class NoticeStatus(StrEnum):
    """PENDING when written, SENDING once a worker claims it, then SENT, FAILED or SKIPPED; UNKNOWN
    when WeChat got the send but never answered (it may have arrived, so it is not resent by itself)."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    UNKNOWN = "unknown"


# A notice SENDING longer than this was interrupted (a worker died mid-send): no send takes as long.
STALE_CLAIM = dt.timedelta(minutes=10)


class ChannelState(BaseModel):
    """Last inbound message and the customer-service quota used in the current 48 h window; when
    the user unfollowed, and when they refused the account's template messages (43101: until they
    follow again, none is tried)."""

    identity = ForeignKeyField(Identity, unique=True, backref="+", on_delete="CASCADE")
    last_inbound_at = DateTimeField(null=True)
    window_sent = IntegerField(default=0)
    unsubscribed_at = DateTimeField(null=True)
    template_refused_at = DateTimeField(null=True)


class SubscribeGrant(BaseModel):
    """One-time mini-program subscribe grants per template: counted by us, Tencent won't tell."""

    identity = ForeignKeyField(Identity, backref="+", on_delete="CASCADE")
    template_id = CharField(max_length=64)
    granted = IntegerField(default=0)
    used = IntegerField(default=0)

    class Meta:
        indexes = ((("identity", "template_id"), True),)


class Notice(BaseModel):
    """One notice to one person; the unique key makes a notice go out at most once."""

    key = CharField(max_length=200, unique=True)
    person = ForeignKeyField(Person, backref="notices", on_delete="CASCADE")
    kind = CharField(max_length=40)
    payload = JSONField()
    status = CharField(max_length=10, default=NoticeStatus.PENDING)
    channel = CharField(max_length=20, default="")
    errcode = IntegerField(null=True)
    detail = TextField(default="")
    updated_at = DateTimeField(default=utcnow)
    sent_at = DateTimeField(null=True)
    # When the person first opened it (mini-program inbox or the H5 page a template links), so the
    # inbox can tell new from seen; the ledger's status says only whether WeChat took it.
    read_at = DateTimeField(null=True)
    # The msgid WeChat gave a template send: its TEMPLATESENDJOBFINISH event reports by it whether
    # the message reached the person.
    msgid = BigIntegerField(null=True, index=True)
