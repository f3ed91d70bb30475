"""Status notices beyond review decisions: a title awarded or revoked reaches the org at once.

Eligibility's edges call these right after `eligibility.award` / `verify_qualified` /
`revoke`; the rows are written here and the caller enqueues their delivery (or the sweep
does within a minute). One row per honour, event and person, so a retried call sends nothing
twice.
"""
from miniapp_backend.models import HONOUR_LABELS, HonourKind, HonourStatus
from miniapp_backend.services import notifications
from miniapp_backend.services.notices import recipients
from miniapp_backend.services.reminders import texts

NOTICE_KIND = "honour_changed"
AWARDED, REVOKED = "awarded", "revoked"


def _queue_all(honour, event, parts):
    """One row per chair/staff of the honour's org; return the rows written now."""
    key = f"honour:{honour.id}:{event}"
    rows = (notifications.queue(person, f"{key}:p{person.id}", NOTICE_KIND, parts)
            for person in recipients(honour.org))
    return [row for row in rows if row is not None]


def honour_awarded(honour, now):
    """Tell the org it holds a title (only once the title is active)."""
    if honour.status != HonourStatus.ACTIVE:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    return _queue_all(honour, AWARDED, texts.honour_parts(label, honour.year, True, now))


def honour_revoked(honour, now):
    """Tell the org its title was revoked, with the reason given."""
    if honour.status != HonourStatus.REVOKED:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    parts = texts.honour_parts(label, honour.year, False, now, honour.revoked_reason)
    return _queue_all(honour, REVOKED, parts)
