"""A person's own notices, readable in full: the mini-program's inbox and the H5 page a template
message links. WeChat carries a notice cut to its keywords (about 20 characters each); the ledger
row keeps the whole text, so this is where a person reads it.
"""
import datetime as dt
from dataclasses import dataclass

from miniapp_backend.models import Notice, NoticeStatus
from miniapp_backend.services import notice_links
from miniapp_backend.services.errors import NotFound
from miniapp_backend.services.reminders.ledger_view import CHANNEL_LABELS, KIND_LABELS

PAGE_SIZE, MAX_PAGE = 20, 100
NOT_YOURS = "没有这条通知"
# A person reads the outcome as a word, not the ledger's admin terms (未发送, 发送失败 …).
DELIVERY_LABELS = {NoticeStatus.PENDING: "等待发送", NoticeStatus.SENDING: "正在发送",
                   NoticeStatus.SENT: "已通过微信送达", NoticeStatus.FAILED: "微信消息未送达",
                   NoticeStatus.SKIPPED: "微信消息未送达", NoticeStatus.UNKNOWN: "微信送达情况未知"}


@dataclass(frozen=True)
class InboxEntry:
    """One notice as its person sees it (times naive UTC, as stored)."""

    id: int
    kind: str
    kind_label: str
    title: str
    text: str
    created_at: dt.datetime
    status: str
    delivery_label: str
    delivered: bool
    channel: str
    channel_label: str
    sent_at: dt.datetime | None
    read_at: dt.datetime | None


@dataclass(frozen=True)
class InboxPage:
    """A page of a person's notices, newest first, with how many they have and how many are unread."""

    total: int
    unread: int
    entries: list


def entry(notice):
    """An InboxEntry from a Notice row."""
    payload = notice.payload or {}
    kind_label = KIND_LABELS.get(notice.kind, "通知")
    delivered = notice.status == NoticeStatus.SENT
    return InboxEntry(
        id=notice.id, kind=notice.kind, kind_label=kind_label, title=payload.get("title") or kind_label,
        text=payload.get("text", ""), created_at=notice.created_at, status=notice.status,
        delivery_label=DELIVERY_LABELS.get(notice.status, ""), delivered=delivered,
        channel=notice.channel if delivered else "",
        channel_label=CHANNEL_LABELS.get(notice.channel, "") if delivered else "",
        sent_at=notice.sent_at, read_at=notice.read_at)


def _mine(person):
    """The person's notices."""
    return Notice.select().where(Notice.person == person)


def inbox(person, limit=PAGE_SIZE, offset=0):
    """One page of the person's notices, newest first (ids grow with time; ties cannot happen)."""
    limit = max(1, min(int(limit), MAX_PAGE))
    rows = _mine(person).order_by(Notice.id.desc()).limit(limit).offset(max(0, int(offset)))
    unread = _mine(person).where(Notice.read_at.is_null()).count()
    return InboxPage(total=_mine(person).count(), unread=unread, entries=[entry(n) for n in rows])


def notice_for(person, notice_id):
    """The person's notice with this id; another person's answers like a missing one."""
    notice = _mine(person).where(Notice.id == notice_id).first()
    if notice is None:
        raise NotFound(NOT_YOURS)
    return notice


def _mark_read(notice, now):
    """Note the first reading (a later one keeps it); return the row as it now stands."""
    if notice.read_at is None:
        # Conditional, so two devices opening it at once keep one (the first) time.
        Notice.update(read_at=now).where(Notice.id == notice.id, Notice.read_at.is_null()).execute()
        notice = Notice.get_by_id(notice.id)
    return notice


def mark_read(person, notice_id, now):
    """The person has read their notice; NotFound for anyone else's."""
    return entry(_mark_read(notice_for(person, notice_id), now))


def read_by_link(secret_key, token, now):
    """The notice an H5 link names, marked read (only its person has the link, in their template
    message); LinkExpired, LinkRefused, or NotFound when the notice is gone."""
    notice = Notice.get_or_none(Notice.id == notice_links.notice_id_of(secret_key, token))
    if notice is None:
        raise NotFound(NOT_YOURS)
    return entry(_mark_read(notice, now))
