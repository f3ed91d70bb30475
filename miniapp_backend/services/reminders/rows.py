"""Ledger keys of reminders and digests, and rows recorded as skipped without a send.

Reminders use the foundation's Notice ledger rather than a table of their own: its unique key
already gives "written before the send, completed after, at most once", the sweep already
re-enqueues rows a dead worker or a flushed Redis left pending, and the admin ledger then has
one place to look. The key spells out what makes a reminder unique.
"""
from peewee import IntegrityError

from miniapp_backend.db import database
from miniapp_backend.models import Notice, NoticeStatus

REMINDER_PREFIX = "remind:"
DIGEST_PREFIX = "digest:"
KEY_CHUNK = 500  # keys per IN (...) query, well under SQLite's variable limit


def reminder_key(concern, offset, person_id):
    """One row per (kind, subject, date, offset, person): remind:<kind>:<subject>:<label>:<date>:T<n>:p<id>."""
    return (f"{REMINDER_PREFIX}{concern.kind}:{concern.subject_key}:{concern.label}:"
            f"{concern.deadline.isoformat()}:T{offset}:p{person_id}")


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
