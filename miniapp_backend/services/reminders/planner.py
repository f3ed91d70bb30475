"""Deadline reminders due at a moment: compute them, write their ledger rows, hand back the ids.

One row per person, kind, date and day: a unit's several 驿站 drafts are told in one message
(each message spends a subscribe grant or one of the five 客服 messages of a 48 h window).
Idempotent: the same `now` (or a later one the same day) writes nothing twice, whoever runs it
and however often — the ledger's unique key decides, and a row an earlier release wrote under
another key format counts as the same reminder (rows.reminder_identity). Catch-up and quiet
hours are schedule.py's.
"""
from miniapp_backend.clock import local_today
from miniapp_backend.models import Application, Org
from miniapp_backend.services import campaigns, notifications, review
from miniapp_backend.services.drafts import templates
from miniapp_backend.services.notices import review_lines, reviewing_org
from miniapp_backend.services.progress import progress
from miniapp_backend.services.reminders import reach, texts
from miniapp_backend.services.reminders.concerns import PAPER, RECTIFY, concerns, kind_title, recipients_by_org
from miniapp_backend.services.reminders.rows import KEY_CHUNK, record_skip, reminder_key, reminders_written
from miniapp_backend.services.reminders.schedule import due_offset, offset_day, quiet

BATCH = 200  # reminders per batch: bounds memory and lets deliveries start early
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
    groups = list(_grouped(due).items())
    for start in range(0, len(groups), BATCH):
        ids = _write_batch(campaign, groups[start:start + BATCH], now, today, verified)
        if ids:
            yield ids


def _grouped(due):
    """{key: (offset, person id, [concern, …])}: one reminder per person, kind, date and day
    (reminder_key), whatever number of subjects (a unit's 驿站) it tells of. Formed before
    batching, so that no subject of a group is left to a later batch, which would find it written."""
    org_ids = sorted({c.org_id for c, _ in due})
    people = {}
    for start in range(0, len(org_ids), KEY_CHUNK):
        people.update(recipients_by_org(org_ids[start:start + KEY_CHUNK]))
    groups = {}
    for concern, offset in due:
        for person_id in people.get(concern.org_id, []):
            groups.setdefault(reminder_key(concern, offset, person_id), (offset, person_id, []))[2].append(concern)
    return groups


def _write_batch(campaign, groups, now, today, verified):
    """Write the rows of one batch of groups that are not in the ledger yet; return the ids to deliver."""
    done = reminders_written({key: person_id for key, (_, person_id, _) in groups})
    ids, facts_of, parts_of = [], {}, {}  # a unit's chair and staff are told the same
    for key, (offset, person_id, told) in groups:
        if key in done:
            continue
        subjects = tuple(told)
        if subjects not in parts_of:
            parts_of[subjects] = _parts(subjects, campaign, today, facts_of)
        reason = reach.reserve_reason(campaign, person_id, offset, now, today, verified, reminder_key)
        if reason:
            record_skip(person_id, key, NOTICE_KIND, parts_of[subjects], reason)
            continue
        notice = notifications.queue(person_id, key, NOTICE_KIND, parts_of[subjects])
        if notice is not None:
            ids.append(notice.id)
    return ids


def _parts(subjects, campaign, today, facts_of):
    """The reminder's parts for one subject, or for several of one kind and date in one message."""
    for concern in subjects:
        if concern not in facts_of:
            facts_of[concern] = _facts(concern, campaign, today)
    contact = campaigns.contact(campaign)
    sections = [(concern, *facts_of[concern]) for concern in subjects]
    if len(sections) == 1:
        return texts.reminder_parts(*sections[0], today, contact)
    return texts.combined_reminder_parts(kind_title(subjects[0]), sections, today, contact)


def _facts(concern, campaign, today):
    """The subject's name and what a reminder tells of it (None: not started): what the draft
    still lacks by form, what a reviewer who returned it asked for, or the stamped pages a
    submission waits for."""
    if concern.application_id is None:
        return Org.get_by_id(concern.org_id).full_name, None
    application = Application.get_by_id(concern.application_id)
    name = application.station.name if application.station_id else application.org.full_name
    step = review.returning_step(application) if concern.label.startswith(RECTIFY) else None
    forms = [(t.code, t.title) for t in templates(application)]
    returned = (reviewing_org(step), tuple(review_lines(application, step))) if step else ("", ())
    paper = review.current_step(application).label if concern.label.startswith(PAPER) else ""
    return name, texts.DraftFacts(progress(application), forms, *returned, paper_step=paper)
