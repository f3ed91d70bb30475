"""Ledger keys of reminders and digests, and rows recorded as skipped without a send.

Reminders use the foundation's Notice ledger rather than a table of their own: its unique key
already gives "written before the send, completed after, at most once", the sweep already
re-enqueues rows a dead worker or a flushed Redis left pending, and the admin ledger then has
one place to look. The key spells out what makes a reminder unique.
"""
import datetime as dt

from peewee import IntegrityError

from miniapp_backend.clock import format_day
from miniapp_backend.db import database
from miniapp_backend.models import Notice, NoticeStatus
from miniapp_backend.services.reminders.concerns import CLOSE, RECTIFY

REMINDER_PREFIX = "remind:"
DIGEST_PREFIX = "digest:"
KEY_CHUNK = 500  # keys per IN (...) query, well under SQLite's variable limit
OVERDUE = "截止日期已过，提醒不再发送"
NO_RESEND_OVERDUE = "截止日期（{day}）已过，这条提醒不再发送，不能重新发送。"


def reminder_key(concern, offset, person_id):
    """One row per (kind, kind of date, date, offset, person): remind:<kind>:<close|rectify>:<date>:T<n>:p<id>.
    A person's subjects of one kind due the same day (a unit's 驿站 drafts, and its submissions
    waiting for stamped pages, by the round's close; its returned ones by one 整改截止) share it,
    so they are told in one message; and the key does not depend on which of them are due, so a
    run that finds fewer or more of them the same day (another scheduler, a draft submitted
    meanwhile) writes nothing."""
    date_kind = RECTIFY if concern.label.startswith(RECTIFY) else CLOSE
    return f"{REMINDER_PREFIX}{concern.kind}:{date_kind}:{concern.deadline.isoformat()}:T{offset}:p{person_id}"


def reminder_identity(key):
    """The current reminder_key of the reminder a ledger key of any release names. The release
    before one message per person, kind, date and day keyed each subject with its label
    (remind:<kind>:<subject>:<label>:<date>:T<n>:p<id>, the subject itself holding ":"), so on the
    day a release changes the format its rows must still count as that day's reminder."""
    try:
        head, label, day, offset, person = key.rsplit(":", 4)
        kind = head.split(":")[1]
    except (IndexError, ValueError):  # not a key reminder_key wrote: it is only itself
        return key
    date_kind = RECTIFY if label.startswith(RECTIFY) else CLOSE
    return f"{REMINDER_PREFIX}{kind}:{date_kind}:{day}:{offset}:{person}"


def reminders_written(keys):
    """The subset of reminder keys (`keys`: {key: person id}) whose reminder the ledger holds
    under whatever key a release wrote it (read per person: a few rows each)."""
    people = sorted(set(keys.values()))
    held = set()
    for start in range(0, len(people), KEY_CHUNK):
        rows = Notice.select(Notice.key).where(Notice.person.in_(people[start:start + KEY_CHUNK]),
                                               Notice.key.startswith(REMINDER_PREFIX))
        held.update(reminder_identity(row.key) for row in rows)
    return held & keys.keys()


def reminder_deadline(key):
    """The date a reminder key names (read from the end, as in keys written with a subject key)."""
    return dt.date.fromisoformat(key.rsplit(":", 3)[1])


def resend_barred(notice, today):
    """Why a reminder may not be sent again by hand on local `today`: its date has passed (the
    sweep would only skip it again); "" for one still ahead and for every other notice."""
    if not notice.key.startswith(REMINDER_PREFIX):
        return ""
    try:
        deadline = reminder_deadline(notice.key)
    except (IndexError, ValueError):  # not a key reminder_key wrote: nothing to tell from it
        return ""
    return NO_RESEND_OVERDUE.format(day=format_day(deadline)) if deadline < today else ""


def skip_overdue(today):
    """Mark reminders still waiting to go out (held over night, or their worker gone) whose date
    has passed as skipped: a reminder saying 今天截止 must not arrive once filing has closed.
    Return how many."""
    waiting = Notice.select(Notice.id, Notice.key).where(
        Notice.status == NoticeStatus.PENDING, Notice.key.startswith(REMINDER_PREFIX))
    overdue = [n.id for n in waiting if reminder_deadline(n.key) < today]
    if not overdue:
        return 0
    return (Notice.update(status=NoticeStatus.SKIPPED, detail=OVERDUE)
            .where(Notice.id.in_(overdue), Notice.status == NoticeStatus.PENDING).execute())


def digest_key(day, person_id):
    """One reviewer digest per person and local day."""
    return f"{DIGEST_PREFIX}{day.isoformat()}:p{person_id}"


def existing_keys(keys):
    """The subset of `keys` already in the ledger."""
    keys = list(keys)
    found = set()
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start:start + KEY_CHUNK]
        found.update(n.key for n in Notice.select(Notice.key).where(Notice.key.in_(chunk)))
    return found


def record_skip(person_id, key, kind, parts, reason):
    """Write a row that is skipped from the start (so the sweep never sends it); None if the key exists."""
    try:
        with database.atomic():
            return Notice.create(key=key, person=person_id, kind=kind, payload=parts,
                                 status=NoticeStatus.SKIPPED, detail=reason)
    except IntegrityError:
        return None
