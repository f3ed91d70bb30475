"""Selection among approved applications, the 公示 list, and honours on confirmation."""
from dataclasses import dataclass

from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import Application, AppStatus, AuditLog, Honour, HonourKind, HonourStatus, Org, RoleKind
from miniapp_backend.models.admin_records import Selection, SelectionEntry, SelectionStatus
from miniapp_backend.services import acceptance, campaigns, eligibility
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.reminders import events as honour_events
from miniapp_backend.services.permissions import orgs_where, require


def selectable_specs(campaign):
    """Kinds whose approval can lead to a title (warm stations are funded, not titled)."""
    return [s for s in campaigns.kind_specs(campaign) if s.awards_honour]


def candidates(campaign, kind):
    """Accepted (验收合格) applications of `kind` in `campaign`, with their orgs, by org name: not
    those whose own title was revoked (it cannot be awarded again), nor those whose org lost the
    title the kind requires since (eligibility.lost_prerequisite)."""
    approved = (Application.select(Application, Org).join(Org)
                .where(Application.campaign == campaign, Application.kind == kind,
                       Application.status == AppStatus.APPROVED,
                       Application.id.not_in(Honour.lost_applications())).order_by(Org.full_name))
    return [application for application in approved
            if acceptance.accepted(application) and not eligibility.lost_prerequisite(application)]


@dataclass
class Row:
    """One application on the selection page: a candidate, or one chosen that is no longer (`dropped`
    says why: its title revoked since, its org's 合格 title lost)."""

    application: Application
    dropped: str = ""


def table(selection):
    """The selection page's rows: the candidates, then the chosen applications that are candidates no
    more, so a winner whose title was revoked stays in view (as the 公示 list still names it)."""
    rows = [Row(application) for application in candidates(selection.campaign, selection.kind)]
    listed = {row.application.id for row in rows}
    rows += [Row(application, dropped_reason(application))
             for application in chosen(selection) if application.id not in listed]
    return rows


def dropped_reason(application):
    """Why a chosen application is no candidate any more, in Chinese."""
    revoked = (Honour.select().where(Honour.application == application, Honour.status == HonourStatus.REVOKED)
               .order_by(Honour.revoked_at.desc()).first())
    if revoked is not None:
        return f"已撤销（{revoked.revoked_reason}）"
    return eligibility.lost_prerequisite(application) or "已不再是验收合格的申报"


def chosen(selection):
    """The chosen applications with their orgs, by org name: the 公示 list as it was decided."""
    return list(Application.select(Application, Org).join(Org)
                .where(Application.id.in_(sorted(chosen_ids(selection)))).order_by(Org.full_name))


def _selectable(campaign, kind):
    """Refuse kinds that lead to no title."""
    spec = campaigns.kind_spec(campaign, kind)
    if not spec.awards_honour:
        raise ValidationFailed(f"{spec.label}不评选称号", key="kind")


def selection_of(campaign, kind):
    """The selection of `kind` in `campaign` to look at: an unsaved draft if none yet (reading writes nothing)."""
    _selectable(campaign, kind)
    return (Selection.get_or_none(Selection.campaign == campaign, Selection.kind == kind)
            or Selection(campaign=campaign, kind=kind))


def selection_for(campaign, kind):
    """The selection of `kind` in `campaign` to act on (stored as a new draft if none yet)."""
    _selectable(campaign, kind)
    selection, _ = Selection.get_or_create(campaign=campaign, kind=kind)
    return selection


def chosen_ids(selection):
    """Ids of the applications chosen."""
    if selection.id is None:  # not started: nothing stored yet
        return set()
    return {e.application_id for e in SelectionEntry.select().where(SelectionEntry.selection == selection)}


def _require_district(person, campaign):
    """Only 区总工会 admins select (a campaign is the district's own)."""
    require(bool(orgs_where(person, (RoleKind.DISTRICT_ADMIN,))), "只有区总工会管理员可以评选")


NOT_CANDIDATE = "只能从验收合格的申报中评选"


def choose(selection, person, application_ids):
    """Replace the chosen applications; back to draft if a 公示 was under way."""
    _require_district(person, selection.campaign)
    if selection.status == SelectionStatus.CONFIRMED:
        raise InvalidState("评选结果已确认授予，不能再修改")
    allowed = {a.id for a in candidates(selection.campaign, selection.kind)}
    wanted = set(application_ids)
    if wanted - allowed:
        raise ValidationFailed(NOT_CANDIDATE, key="applications")
    # The kind's target (2 示范, 27 新建会) is what the district means to reach this year, not a
    # quota: the notice wants 新建会单位100%建家, so every unit that passed may be chosen.
    with database.atomic():
        SelectionEntry.delete().where(SelectionEntry.selection == selection).execute()
        for app_id in sorted(wanted):
            SelectionEntry.create(selection=selection, application=app_id)
        selection.status, selection.decided_by = SelectionStatus.DRAFT, person
        selection.save()
        _audit(person, "selection.choose", selection, applications=sorted(wanted))
    return selection


def publish(selection, person, notice_text, publish_until):
    """Publish the 公示 list until `publish_until`."""
    _require_district(person, selection.campaign)
    if selection.status != SelectionStatus.DRAFT:
        raise InvalidState("只有拟定中的名单可以公示")
    if not chosen_ids(selection):
        raise ValidationFailed("请先选择拟授予的单位", key="applications")
    if publish_until is None or publish_until < local_today():
        raise ValidationFailed("请设定今天或以后的公示截止日期", key="publish_until")
    selection.status, selection.published_at = SelectionStatus.PUBLISHED, utcnow()
    selection.notice_text, selection.publish_until = notice_text.strip(), publish_until
    selection.save()
    _audit(person, "selection.publish", selection)
    return selection


def publicity_over(selection, today=None):
    """Whether the 公示期 of a published list has ended (its last day is still within it)."""
    return selection.publish_until is not None and selection.publish_until < (today or local_today())


def confirm(selection, person, today=None):
    """After the 公示, award each chosen org the kind's title for the campaign year."""
    _require_district(person, selection.campaign)
    if selection.status != SelectionStatus.PUBLISHED:
        raise InvalidState("名单须先公示，再确认授予")
    today = today or local_today()
    if not publicity_over(selection, today):
        raise InvalidState(f"公示期至{format_day(selection.publish_until)}，公示期满后才能确认授予称号")
    spec = campaigns.kind_spec(selection.campaign, selection.kind)
    entries = (SelectionEntry.select(SelectionEntry, Application).join(Application)
               .where(SelectionEntry.selection == selection))
    with database.atomic():
        for entry in entries:
            app = entry.application
            lost = eligibility.lost_prerequisite(app)
            if lost:
                raise InvalidState(f"{lost}，不能授予称号；这个单位已不在候选名单中，请重新保存拟授予名单并公示")
            honour = eligibility.award(app.org, HonourKind(spec.awards_honour), selection.campaign.year, today, app,
                                      today=today)
            honour_events.honour_awarded(honour, utcnow())  # delivered by the notice sweep
        selection.status, selection.confirmed_at = SelectionStatus.CONFIRMED, utcnow()
        selection.save()
        _audit(person, "selection.confirm", selection)
    return selection


def _audit(person, action, selection, **detail):
    """One audit row about a selection."""
    AuditLog.create(actor=person, action=action, object_type="selection", object_id=selection.id,
                    detail={"kind": selection.kind, **detail})
