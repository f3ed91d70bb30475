"""Which dates concern which subject: the campaign's rounds and each returned application's 整改截止.

Who is expected to file (and so reminded) for a round of a kind:
  1. every subject with an unfinished draft of that kind in the round — it started, so it is
     told what is still missing before the round closes; likewise a submission still waiting
     for the unit's own stamped pages (no reviewer sees it until the scan is uploaded);
  2. every returned application — its date is the 整改截止 the reviewer set, not the round's;
  3. an org with no application of the kind in the round, only when the campaign singles it out
     by its own facts: the kind has a qualifying condition (a prerequisite honour such as
     合格职工之家, or the 百人以上新建会 employee and founding-date thresholds) and the org meets
     all of them (`eligibility.reasons_against` says nothing against it), and it does not already
     hold the title the kind awards. An earlier round's application spares it only while it
     stands (in review, being rectified, passed: eligibility's one-title-a-year rule); a draft
     left unfinished there or a rejection leaves the org expected again. Kinds open to every org
     of a level (示范职工之家, 暖心驿站) are voluntary and competitive: only those who started are
     reminded, not every org.
Other submitted applications, approved and rejected ones are done: nobody is reminded about them.
Dates come from the campaign data (rounds' closes_on, 整改截止), so a new year needs no code.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from miniapp_backend.clock import local_today
from miniapp_backend.models import (
    Application, AppStatus, Honour, Org, ReviewStep, Role, RoleKind, Round, Station, StepStatus)
from miniapp_backend.services import campaigns, eligibility, review, windows
from miniapp_backend.services.reminders.schedule import due_offset

CLOSE = "close"
RECTIFY = "rectify"
PAPER = "paper"
RECIPIENT_ROLES = (RoleKind.CHAIR, RoleKind.STAFF)


@dataclass(frozen=True)
class Concern:
    """One date that concerns one subject (an org or a station) of one kind."""

    kind: str
    title: str
    org_id: int
    subject_key: str
    deadline: dt.date
    # "close" for a round's closing date, "rectify.v<version>" for a 整改截止, "paper.v<version>"
    # for the round's closing date of a submission waiting for its stamped pages
    label: str
    application_id: int | None = None
    # Offsets due on or before this day are not sent: the draft was started, or the application
    # returned (with a notice naming the date), that day — the people are on it already.
    not_before: dt.date | None = None


def singles_out(spec):
    """True when the kind names whom it expects by their own facts (so they are reminded unasked)."""
    return spec.subject == "org" and bool(
        spec.requires_honour or spec.min_employees or spec.new_union_founded_since)


STATION_MARK = "·"


def _title(campaign, spec, station_name=None):
    """“2018年区级先进职工之家”; a 驿站's names its station, as in chat and the other notices."""
    title = campaigns.kind_title(campaign.year, spec.label)
    return f"{title}{STATION_MARK}{station_name}" if station_name else title


def kind_title(concern):
    """The title of the concern's kind without its station: “2018年职工暖心驿站”."""
    return concern.title.partition(STATION_MARK)[0]


def _open_rounds(campaign, kind, today):
    """Rounds of `kind` open for filing today."""
    return list(Round.select().where(Round.campaign == campaign, Round.kind == kind,
                                     Round.opens_on <= today, Round.closes_on >= today))


def _restrict(query, field, org_ids):
    """Limit a query to `org_ids` when given."""
    return query if org_ids is None else query.where(field.in_(list(org_ids)))


def _draft_concerns(campaign, spec, round_, org_ids):
    """Unfinished drafts of the round: remind them before it closes (not on the day they began)."""
    query = _restrict(Application.select(Application.id, Application.org, Application.subject_key,
                                         Application.created_at, Station.name.alias("station_name"))
                      .join(Station, JOIN.LEFT_OUTER, on=(Application.station == Station.id))
                      .where(Application.round == round_, Application.kind == spec.kind,
                             Application.status == AppStatus.DRAFT), Application.org, org_ids)
    return [Concern(spec.kind, _title(campaign, spec, app.station_name), app.org_id, app.subject_key,
                    round_.closes_on, CLOSE, app.id, local_today(app.created_at)) for app in query.objects()]


def _paper_concerns(campaign, spec, round_, org_ids):
    """Submissions of the round waiting for the unit's own stamped pages, due by the round's close
    (not on the day they were submitted)."""
    query = _restrict(Application.select(Application.id, Application.org, Application.subject_key,
                                         Application.version, Application.submitted_at,
                                         Station.name.alias("station_name"))
                      .join(ReviewStep, on=((ReviewStep.application == Application.id)
                                            & (ReviewStep.version == Application.version)))
                      .switch(Application).join(Station, JOIN.LEFT_OUTER, on=(Application.station == Station.id))
                      .where(Application.round == round_, Application.kind == spec.kind,
                             Application.status == AppStatus.SUBMITTED, ReviewStep.level == review.PAPER_STEP,
                             ReviewStep.status == StepStatus.PENDING), Application.org, org_ids)
    return [Concern(spec.kind, _title(campaign, spec, app.station_name), app.org_id, app.subject_key,
                    round_.closes_on, f"{PAPER}.v{app.version}", app.id, local_today(app.submitted_at))
            for app in query.objects()]


def _candidate_orgs(spec, round_, org_ids, reachable_only):
    """Orgs whose kind and stored facts fit `spec`, without an application of it in `round_`
    (only those with a chair or staff to remind, if asked)."""
    query = Org.select().where(Org.kind.in_(list(spec.org_kinds)))
    if spec.requires_honour:
        query = query.where(Org.id.in_(Honour.select(Honour.org).where(
            Honour.kind == spec.requires_honour, Honour.held())))
    if spec.awards_honour:
        query = query.where(Org.id.not_in(Honour.select(Honour.org).where(
            Honour.kind == spec.awards_honour, Honour.held())))
    query = query.where(Org.id.not_in(Application.select(Application.org).where(
        Application.round == round_, Application.kind == spec.kind)))
    if reachable_only:
        # Reminders skip orgs nobody can be reminded in: an eligibility check would be for nothing.
        query = query.where(Org.id.in_(Role.select(Role.org).where(Role.kind.in_(RECIPIENT_ROLES))))
    return _restrict(query, Org.id, org_ids).order_by(Org.id)


def _expected_concerns(campaign, spec, round_, today, org_ids, reachable_only):
    """Orgs the campaign expects to file `spec` that have not started (rule 3 above)."""
    if not singles_out(spec):
        return []
    # The query only narrows; eligibility's own rules decide, so they live in one place.
    return [Concern(spec.kind, _title(campaign, spec), org.id, f"org:{org.id}", round_.closes_on, CLOSE)
            for org in _candidate_orgs(spec, round_, org_ids, reachable_only).iterator()
            if not eligibility.reasons_against(org, spec, round_, today)]


def _returned_concerns(today, org_ids):
    """Returned applications of any campaign (a December 整改截止 may fall in January), due by it."""
    query = _restrict(Application.select().where(Application.status == AppStatus.RETURNED),
                      Application.org, org_ids)
    found = []
    for app in query:
        deadline = windows.editable_until(app)  # the 整改截止, or the round's close when none was set
        if deadline < today:
            continue
        spec = campaigns.kind_spec(app.campaign, app.kind)
        step = review.returning_step(app)
        returned_on = local_today(step.decided_at) if step and step.decided_at else None
        found.append(Concern(app.kind, _title(app.campaign, spec, app.station.name if app.station_id else None),
                             app.org_id, app.subject_key, deadline,
                             f"{RECTIFY}.v{app.version}", app.id, returned_on))
    return found


def concerns(campaign, today, org_ids=None, due_only=False, reachable_only=True):
    """Every date concerning a subject from `today` on (only for `org_ids`, only due ones, if asked;
    with `reachable_only` off also orgs the campaign expects that have no chair or staff bound)."""
    found = []
    for spec in campaigns.kind_specs(campaign):
        for round_ in _open_rounds(campaign, spec.kind, today):
            # Most days no offset of a round is due: skip its (costly) eligibility checks then.
            if due_only and due_offset(round_.closes_on, today) is None:
                continue
            found += _draft_concerns(campaign, spec, round_, org_ids)
            found += _paper_concerns(campaign, spec, round_, org_ids)
            found += _expected_concerns(campaign, spec, round_, today, org_ids, reachable_only)
    returned = _returned_concerns(today, org_ids)
    if due_only:
        returned = [c for c in returned if due_offset(c.deadline, today) is not None]
    return found + returned


def recipients_by_org(org_ids):
    """Chair and staff ids of each org in `org_ids` (one query for a whole batch)."""
    found = {}
    query = (Role.select(Role.org, Role.person)
             .where(Role.org.in_(list(org_ids)), Role.kind.in_(RECIPIENT_ROLES))
             .order_by(Role.org, Role.person))
    for role in query:
        people = found.setdefault(role.org_id, [])
        if role.person_id not in people:
            people.append(role.person_id)
    return found


def orgs_of(person_id):
    """Orgs where a person is chair or staff (whose dates concern them)."""
    return [role.org_id for role in Role.select(Role.org).where(
        Role.person == person_id, Role.kind.in_(RECIPIENT_ROLES))]
