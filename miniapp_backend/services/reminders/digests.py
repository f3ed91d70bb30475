"""Reviewers' daily digests: one message a day listing the applications waiting at their level.

Who gets one: the reviewers of every pending digital step — 系统工会 admins for `system`
steps, the 基层工会 chair for a 小家's `base_union` step, and 区总工会 admins for `district`
steps. The district reviews in the campaign's acceptance period (验收 October → year end in
2018), so a district step of a round with an acceptance period is listed from its first day
on; a round without one is reviewed as it arrives. Digests are written in the morning
(08:00–12:00); a morning missed (downtime) is not made up: the next one lists the same anyway.
"""
from miniapp_backend.clock import local_today
from miniapp_backend.models import (
    Application, AppStatus, Org, ReviewStep, Role, RoleKind, Round, StepMode, StepStatus)
from miniapp_backend.services import campaigns, notifications
from miniapp_backend.services.notices import application_title
from miniapp_backend.services.reminders import texts
from miniapp_backend.services.reminders.rows import digest_key, existing_keys
from miniapp_backend.services.reminders.schedule import digest_hours

NOTICE_KIND = "review_digest"
REVIEWER_ROLE = {"system": RoleKind.SYSTEM_ADMIN, "base_union": RoleKind.CHAIR,
                 "district": RoleKind.DISTRICT_ADMIN}


def _waiting_steps():
    """Pending digital steps of the current version of submitted applications, oldest first."""
    return list(ReviewStep.select(ReviewStep, Application, Round)
                .join(Application).join(Round)
                .where(ReviewStep.status == StepStatus.PENDING, ReviewStep.mode == StepMode.DIGITAL,
                       Application.status == AppStatus.SUBMITTED,
                       ReviewStep.version == Application.version)
                .order_by(Application.submitted_at, Application.id))


def _listed_today(step, today):
    """District steps wait for their round's acceptance period; other levels are listed at once."""
    round_ = step.application.round
    return step.level != "district" or round_.acceptance_from is None or today >= round_.acceptance_from


def _reviewers(step):
    """Ids of the people who decide `step`."""
    role = REVIEWER_ROLE.get(step.level)
    if role is None:
        return []
    return [r.person_id for r in Role.select(Role.person).where(Role.org == step.org_id, Role.kind == role)]


def acceptance_end(campaign, today):
    """The last day of the acceptance period containing `today`, or None outside one."""
    ends = [r.acceptance_to for r in Round.select().where(
        Round.campaign == campaign, Round.acceptance_from <= today, Round.acceptance_to >= today)]
    return max(ends) if ends else None


def waiting_by_reviewer(today):
    """{person id: [(org name, title, submitted at)]} of the applications waiting for each."""
    found, titles = {}, {}
    for step in _waiting_steps():
        if not _listed_today(step, today):
            continue
        app = step.application
        if app.id not in titles:
            # A 驿站's title names its station: a unit's several stations are told apart.
            titles[app.id] = (Org.get_by_id(app.org_id).full_name, application_title(app), app.submitted_at)
        for person_id in _reviewers(step):
            found.setdefault(person_id, []).append(titles[app.id])
    return found


def queue_digests(now, base_url=""):
    """Write today's digest for every reviewer with something waiting; return the new notice ids.
    `base_url` (PUBLIC_BASE_URL) links the admin web's review page."""
    if not digest_hours(now):
        return []
    today = local_today(now)
    waiting = waiting_by_reviewer(today)
    done = existing_keys(digest_key(today, person_id) for person_id in waiting)
    campaign = campaigns.current_campaign(today)
    acceptance_to = acceptance_end(campaign, today) if campaign else None
    ids = []
    for person_id, items in waiting.items():
        key = digest_key(today, person_id)
        if key in done:
            continue
        district = Role.select().where(Role.person == person_id,
                                       Role.kind == RoleKind.DISTRICT_ADMIN).exists()
        parts = texts.digest_parts(items, now, acceptance_to if district else None, base_url)
        notice = notifications.queue(person_id, key, NOTICE_KIND, parts)
        if notice is not None:
            ids.append(notice.id)
    return ids
