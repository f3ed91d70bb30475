"""One-off notices from an admin to a filtered set of chairs and staff, previewed with the count.

Filters (a plain dict):
  kind     an application kind (district_home, …); with no status: orgs with an application of it
  status   an application status (draft, submitted, returned, approved, rejected), or
           "not_started": orgs the campaign expects to file `kind` that have no application
  system   a 系统工会 id: only orgs in its subtree
  year     the campaign year (default: the campaign of `now`)
Recipients are the chair and staff of the matching orgs, always within the subtrees the actor
administers. Each person gets one notice per broadcast, keyed broadcast:<id>:p<person>; the id
stops a form sent twice, not a reminder repeated on another day.
"""
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from peewee import JOIN, fn

from miniapp_backend.clock import local_today
from miniapp_backend.models import Application, AppStatus, AuditLog, Campaign, Notice, Org, OrgKind, Person, Role
from miniapp_backend.services import campaigns, notifications
from miniapp_backend.services.errors import InvalidState, NotFound, ValidationFailed
from miniapp_backend.services.permissions import ADMIN_ROLES, orgs_where, require
from miniapp_backend.services.reminders import texts
from miniapp_backend.services.reminders.concerns import RECIPIENT_ROLES, concerns
from miniapp_backend.services.reminders.schedule import quiet

NOTICE_KIND = "broadcast"
AUDIT_ACTION = "notice.broadcast"
NOT_STARTED = "not_started"
TITLE = "职工之家建设通知"
SAMPLE_SIZE = 10
MAX_TEXT = 500  # a 客服 text must stay under about 2,048 bytes


@dataclass(frozen=True)
class BroadcastPreview:
    """How many people a broadcast reaches, who some of them are [(name, org full name)], and the
    matching orgs it cannot reach: nobody is bound there as chair or staff [org full name]."""

    count: int
    sample: list
    unreached: list


def _campaign(filters, now):
    """The campaign the filters name, else the current one."""
    year = filters.get("year")
    found = (Campaign.get_or_none(Campaign.year == int(year)) if year
             else campaigns.current_campaign(local_today(now)))
    if found is None:
        raise NotFound("没有这一年度的申报安排")
    return found


def _check(filters, campaign):
    """Refuse a kind the campaign does not have or a status that does not exist."""
    kind, status = filters.get("kind"), filters.get("status")
    if kind and kind not in campaign.data["kinds"]:
        raise ValidationFailed(f"{campaign.year}年度没有“{kind}”这类申报", key="kind")
    if status and status != NOT_STARTED and status not in set(AppStatus):
        raise ValidationFailed(f"未知的申报状态“{status}”", key="status")


def _org_ids(filters, campaign, now, reachable_only=True):
    """Ids of orgs matching kind/status, or None for "every org" (without `reachable_only`, also
    orgs expected to file that have nobody bound to reach)."""
    _check(filters, campaign)
    kind, status = filters.get("kind") or None, filters.get("status") or None
    if status == NOT_STARTED:
        if not kind:
            raise ValidationFailed("“尚未申报”须同时选择申报类型", key="kind")
        return {c.org_id for c in concerns(campaign, local_today(now), reachable_only=reachable_only)
                if c.kind == kind and c.application_id is None}
    if not kind and not status:
        return None
    query = Application.select(Application.org).where(Application.campaign == campaign)
    if kind:
        query = query.where(Application.kind == kind)
    if status:
        query = query.where(Application.status == status)
    return {app.org_id for app in query}


def _scope(query, actor, filters):
    """Limit an Org query to the actor's admin subtrees (and the chosen 系统工会)."""
    roots = orgs_where(actor, ADMIN_ROLES)
    require(roots, "只有系统工会或区总工会管理员可以群发通知")
    allowed = Org.path.startswith(roots[0].path)
    for root in roots[1:]:
        allowed |= Org.path.startswith(root.path)
    query = query.where(allowed)
    if filters.get("system"):
        system = Org.get_or_none(Org.id == int(filters["system"]))
        if system is None:
            raise NotFound("没有这个系统工会")
        query = query.where(Org.path.startswith(system.path))
    return query


def _people(org_ids, filters, actor):
    """[(person id, name, org full name)] of the chairs and staff of `org_ids` (None: every org)."""
    query = (Role.select(Role.person, Person.name, Org.full_name).join(Person).switch(Role).join(Org)
             .where(Role.kind.in_(RECIPIENT_ROLES)))
    if org_ids is not None:
        query = query.where(Org.id.in_(list(org_ids) or [0]))
    seen = {}
    for person_id, name, org_name in _scope(query, actor, filters).order_by(Role.person).tuples().iterator():
        seen.setdefault(person_id, (person_id, name, org_name))
    return list(seen.values())


def _unreached(org_ids, filters, actor):
    """Full names of the matching orgs (not the district itself) where nobody is chair or staff."""
    query = Org.select(Org.full_name).where(
        Org.kind != OrgKind.DISTRICT,
        Org.id.not_in(Role.select(Role.org).where(Role.kind.in_(RECIPIENT_ROLES))))
    if org_ids is not None:
        query = query.where(Org.id.in_(list(org_ids) or [0]))
    return [org.full_name for org in _scope(query, actor, filters).order_by(Org.path)]


def recipients(filters, actor, now):
    """[(person id, name, org full name)] of a broadcast, one entry per person."""
    return _people(_org_ids(filters, _campaign(filters, now), now), filters, actor)


def preview_broadcast(filters, actor, now):
    """The count and a sample of the people a broadcast would reach, and the orgs it would miss."""
    org_ids = _org_ids(filters, _campaign(filters, now), now, reachable_only=False)
    found = _people(org_ids, filters, actor)
    return BroadcastPreview(len(found), [(name, org) for _, name, org in found[:SAMPLE_SIZE]],
                            _unreached(org_ids, filters, actor))


def broadcast_id(filters, text, actor, day):
    """A stable id: the same admin sending the same text to the same filter twice on one local
    day sends once (a resent form); on a later day it is a new broadcast."""
    raw = json.dumps({"f": filters, "t": text, "a": actor.id, "d": day.isoformat()},
                     sort_keys=True, ensure_ascii=False)
    return hashlib.sha1(raw.encode()).hexdigest()[:12]


def clean_text(text):
    """The text as sent (stripped), or a refusal naming what is wrong with it; the preview checks
    it too, so the admin is not offered 发送 for a text that sending would refuse."""
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(f"请填写通知内容（1至{MAX_TEXT}字）", key="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"通知内容须为1至{MAX_TEXT}字", key="text")
    return text


def send_broadcast(filters, text, actor, now, ident=None):
    """Write one notice per recipient (none twice); return (broadcast id, new notice ids) to deliver."""
    text = clean_text(text)
    if quiet(now):
        raise InvalidState("21:30至次日08:00为免打扰时段，不群发通知，请在08:00以后发送")
    ident = ident or broadcast_id(filters, text, actor, local_today(now))
    parts = texts.broadcast_parts(text, TITLE, now)
    people = recipients(filters, actor, now)
    rows = (notifications.queue(person_id, f"broadcast:{ident}:p{person_id}", NOTICE_KIND, parts)
            for person_id, _, _ in people)
    ids = [row.id for row in rows if row is not None]
    # A broadcast has no row of its own: its id and filters are in the detail.
    AuditLog.create(actor=actor, action=AUDIT_ACTION, object_type="broadcast", object_id=0,
                    detail={"broadcast": ident, "filters": filters, "text": text,
                            "recipients": len(people), "queued": len(ids)})
    return ident, ids


@dataclass(frozen=True)
class SentBroadcast:
    """A broadcast sent earlier: by whom, when, what, to how many, and its rows' count per status."""

    ident: str
    sent_at: dt.datetime
    sender_id: int | None
    sender: str
    text: str
    filters: dict
    recipients: int
    counts: dict


def _counts(ident):
    """{status: n} of a broadcast's ledger rows."""
    query = (Notice.select(Notice.status, fn.COUNT(Notice.id).alias("n"))
             .where(Notice.key.startswith(f"broadcast:{ident}:")).group_by(Notice.status))
    return {row.status: row.n for row in query}


def _first_rows(sender):
    """{broadcast id: its first audit row}, oldest first (a form sent twice has two rows)."""
    query = (AuditLog.select(AuditLog, Person).join(Person, JOIN.LEFT_OUTER, on=(AuditLog.actor == Person.id))
             .where(AuditLog.action == AUDIT_ACTION).order_by(AuditLog.id))
    if sender is not None:
        query = query.where(AuditLog.actor == sender)
    first = {}
    for row in query:
        first.setdefault(row.detail["broadcast"], row)
    return first


def _sent(ident, row):
    """A SentBroadcast from its first audit row, with its rows counted."""
    return SentBroadcast(ident, row.created_at, row.actor_id, row.actor.name if row.actor_id else "",
                         row.detail["text"], row.detail["filters"], row.detail["recipients"], _counts(ident))


def sent_broadcasts(sender=None, limit=None):
    """The newest `limit` broadcasts (only `sender`'s when given); a form sent twice is listed once."""
    newest = list(reversed(_first_rows(sender).items()))[:limit]
    return [_sent(ident, row) for ident, row in newest]


def sent_broadcast(ident, sender=None):
    """One broadcast (only if `sender`'s, when given), or None."""
    row = _first_rows(sender).get(ident)
    return _sent(ident, row) if row is not None else None
