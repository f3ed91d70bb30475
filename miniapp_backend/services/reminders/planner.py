"""Deadline reminders due at a moment: compute them, write their ledger rows, hand back the ids.

Idempotent: the same `now` (or a later one the same day) writes nothing twice, whoever runs it
and however often — the ledger's unique key decides. Catch-up and quiet hours are schedule.py's.
"""
from miniapp_backend.clock import local_today
from miniapp_backend.models import Application, Org
from miniapp_backend.services import campaigns, notifications, review
from miniapp_backend.services.drafts import templates
from miniapp_backend.services.notices import review_lines, reviewing_org
from miniapp_backend.services.progress import progress
from miniapp_backend.services.reminders import reach, texts
from miniapp_backend.services.reminders.concerns import PAPER, RECTIFY, concerns, recipients_by_org
from miniapp_backend.services.reminders.rows import existing_keys, record_skip, reminder_key
from miniapp_backend.services.reminders.schedule import due_offset, offset_day, quiet

BATCH = 200  # concerns per batch: bounds memory and lets deliveries start early
NOTICE_KIND = reach.NOTICE_KIND


def offset_to_send(concern, today):
    """The offset of `concern` due today, unless its day came before the concern began."""
    offset = due_offset(concern.deadline, today)
    if offset is None or (concern.not_before and offset_day(concern.deadline, offset) <= concern.not_before):
        return None
    return offset


def queue_due(now, verified):
    """Write every reminder due at `now` (none in quiet hours); yield notice ids to deliver, per batch."""
    if quiet(now):
        return
    today = local_today(now)
    campaign = campaigns.current_campaign(today)
    if campaign is None:
        return
    due = [(c, offset) for c in concerns(campaign, today, due_only=True)
           if (offset := offset_to_send(c, today)) is not None]
    for start in range(0, len(due), BATCH):
        ids = _write_batch(campaign, due[start:start + BATCH], now, today, verified)
        if ids:
            yield ids


def _write_batch(campaign, items, now, today, verified):
    """Write the rows of one batch that are not in the ledger yet; return the ids to deliver."""
    people = recipients_by_org({c.org_id for c, _ in items})
    planned = [(c, offset, person_id, reminder_key(c, offset, person_id))
               for c, offset in items for person_id in people.get(c.org_id, [])]
    done = existing_keys(key for *_, key in planned)
    parts_of, ids = {}, []
    for concern, offset, person_id, key in planned:
        if key in done:
            continue
        if concern not in parts_of:
            parts_of[concern] = _parts(concern, campaign, today)
        reason = reach.reserve_reason(campaign, person_id, offset, now, today, verified, reminder_key)
        if reason:
            record_skip(person_id, key, NOTICE_KIND, parts_of[concern], reason)
            continue
        notice = notifications.queue(person_id, key, NOTICE_KIND, parts_of[concern])
        if notice is not None:
            ids.append(notice.id)
    return ids


def _parts(concern, campaign, today):
    """The reminder's parts: what the draft still lacks by form, what a reviewer who returned it
    asked for, or the stamped pages a submission waits for; and whom to ask."""
    if concern.application_id is None:
        name = Org.get_by_id(concern.org_id).full_name
        return texts.reminder_parts(concern, name, None, today, campaigns.contact(campaign))
    application = Application.get_by_id(concern.application_id)
    name = application.station.name if application.station_id else application.org.full_name
    step = review.returning_step(application) if concern.label.startswith(RECTIFY) else None
    forms = [(t.code, t.title) for t in templates(application)]
    returned = (reviewing_org(step), tuple(review_lines(application, step))) if step else ("", ())
    paper = review.current_step(application).label if concern.label.startswith(PAPER) else ""
    facts = texts.DraftFacts(progress(application), forms, *returned, paper_step=paper)
    return texts.reminder_parts(concern, name, facts, today, campaigns.contact(campaign))
