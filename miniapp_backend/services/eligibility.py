"""Who may apply for what, with reasons; awards, 复验 and revocation (合格 declarations: qualified.py)."""
from dataclasses import dataclass

from peewee import IntegrityError

from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import (
    ENDED, HONOUR_LABELS, PROPOSED, Application, AppStatus, Honour, HonourKind, HonourStatus, ProposalDecision,
    Reinspection, Round, StationStatus)
from miniapp_backend.services import campaigns, qualified, windows
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.permissions import administers, is_district_admin_over, require

ORG_KIND_SCOPE = {
    "district_home": "区级先进职工之家在系统工会及各级基层工会委员会中开展",
    "small_home": "先进职工小家在车间（工会分会）、科室、班组（工会小组）中开展",
    "new_union_home": "百人以上新建会企业职工之家由基层工会申报",
}
NOT_OWN_STATION = "这个驿站不属于本单位"
# 市级 needs 区级: a city title may be sought only while a district one is held.
CITY_PREREQUISITE = {
    HonourKind.CITY_MODEL_HOME: HonourKind.DISTRICT_HOME,
    HonourKind.CITY_MODEL_SMALL_HOME: HonourKind.DISTRICT_SMALL_HOME,
}


@dataclass
class KindOption:
    """One kind an org might file now: its round, existing application and why not (if not)."""

    spec: campaigns.KindSpec
    round: object
    reasons: list
    application: Application | None = None

    @property
    def allowed(self):
        """True when nothing stands in the way."""
        return not self.reasons


def holds(org, kind):
    """The org's active honour of `kind`, or None (a revoked or unverified one counts for nothing)."""
    return (Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.held())
            .order_by(Honour.year.desc()).first())


def reasons_against(org, spec, round_, today, station=None):
    """Why `org` may not file `spec` in `round_` today: a list of Chinese sentences."""
    reasons = []
    if org.kind not in spec.org_kinds:
        reasons.append(ORG_KIND_SCOPE.get(spec.kind, f"本单位类型不能申报{spec.label}"))
    if round_ is None:
        return reasons + [f"本年度没有{spec.label}的申报安排"]
    closed = windows.round_state_text(round_, today)
    if closed:
        reasons.append(closed)
    reasons.extend(missing_honour(org, spec))
    if spec.min_employees and (org.employee_count or 0) < spec.min_employees:
        reasons.append(f"职工人数需达到{spec.min_employees}人（本单位登记为{org.employee_count or 0}人）")
    since = spec.new_union_founded_since
    if since and (org.founded_on is None or org.founded_on < since):
        have = f"本单位建会日期为{format_day(org.founded_on)}" if org.founded_on else "本单位未登记建会日期"
        reasons.append(f"仅限{format_day(since)}以后新建会的企业（{have}）")
    if station is not None:
        reasons.extend(_station_reasons(org, station))
    reasons.extend(_earlier_round_reasons(spec, round_, f"station:{station.id}" if station else f"org:{org.id}",
                                          today))
    return reasons


def _latest_revoked(org, kind):
    """The org's most recently revoked title of `kind`, or None."""
    return (Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.status == HonourStatus.REVOKED)
            .order_by(Honour.revoked_at.desc()).first())


def _latest_ended(org, kind):
    """The org's latest title of `kind` that no longer stands (revoked, or a declaration refused), or None."""
    return (Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.status.in_(ENDED))
            .order_by(Honour.id.desc()).first())


def missing_honour(org, spec):
    """The reason `org` may not file `spec` for lack of the title it requires (none: []); a title
    revoked (复查发现严重问题) is named with its reason, since the unit remembers holding it."""
    if not spec.requires_honour or holds(org, spec.requires_honour):
        return []
    kind = HonourKind(spec.requires_honour)
    confirmer = qualified.confirming_union(org)
    declared = qualified.live_qualified(org, kind)
    if declared is not None:  # live but not held: declared, awaiting its confirmation
        return [f"本单位已申报“{HONOUR_LABELS[kind]}”（会员代表大会{format_day(declared.congress_date)}），"
                f"待{confirmer}确认后即可申报"]
    ended = _latest_ended(org, kind)
    if ended is not None and ended.status == HonourStatus.REFUSED:
        return [f"本单位申报的“{HONOUR_LABELS[kind]}”未获{confirmer}确认（{ended.revoked_reason}），"
                "可重新申报"]
    if ended is not None:
        return [f"本单位的“{HONOUR_LABELS[kind]}”称号已被撤销（{ended.revoked_reason}），"
                f"需重新经会员代表大会决定，并由{confirmer}确认"]
    return [f"需先获得“{HONOUR_LABELS[kind]}”称号（经会员代表大会决定，并由{confirmer}确认）"]


def lost_prerequisite(application):
    """Why `application` may not pass, nor its title be conferred, for lack of the title its kind
    requires, revoked since it was filed (复查发现严重问题); "" while the title holds."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    if not missing_honour(application.org, spec):
        return ""
    kind = HonourKind(spec.requires_honour)
    revoked = _latest_revoked(application.org, kind)
    state = f"已被撤销（{revoked.revoked_reason}）" if revoked else "已不再有效"
    return f"{application.org.full_name}的“{HONOUR_LABELS[kind]}”称号{state}，不具备{spec.label}的申报条件"


# An application of another round of the campaign that still stands: one subject, one title a year.
STANDING = {AppStatus.SUBMITTED: "正在审核", AppStatus.RETURNED: "正在退回整改",
            AppStatus.APPROVED: "已通过验收"}


def _earlier_round_reasons(spec, round_, subject_key, today):
    """The subject's application of `spec` in another round of the same campaign, if it stands
    (a return stands until its 整改截止: after it, it can no longer be rectified)."""
    rectifiable = ((Application.status != AppStatus.RETURNED) | Application.rectify_deadline.is_null()
                   | (Application.rectify_deadline >= today))
    standing = (Application.select(Application, Round).join(Round)
                .where(Application.campaign == round_.campaign_id, Application.kind == spec.kind,
                       Application.subject_key == subject_key, Application.round != round_,
                       Application.status.in_(list(STANDING)), rectifiable)
                .first())
    if standing is None:
        return []
    return [f"本年度{standing.round.name}的{spec.label}申报{STANDING[AppStatus(standing.status)]}，"
            "同一年度不能重复申报"]


def refiling_round(application, today):
    """The round of the same kind, open today or opening later, in which the subject of a return
    past its 整改截止 may file again (such a return no longer stands: _earlier_round_reasons), or None."""
    return (Round.select().where(Round.campaign == application.campaign_id, Round.kind == application.kind,
                                 Round.id != application.round_id, Round.closes_on >= today)
            .order_by(Round.opens_on).first())


def after_rectify_deadline(application, today):
    """What the unit may still do with a return past its 整改截止, in Chinese ("" when it is not
    overdue): it cannot be changed or resubmitted (drafts.edit_lock); another round may be filed."""
    if not windows.rectify_overdue(application, today):
        return ""
    head = f"整改截止（{format_day(application.rectify_deadline)}）已过，这份申报不能再修改或重新提交"
    label = campaigns.kind_spec(application.campaign, application.kind).label
    round_ = refiling_round(application, today)
    if round_ is None:
        return f"{head}；本年度{label}已没有其他申报批次。"
    when = f"{format_day(round_.opens_on)}至{format_day(round_.closes_on)}"
    now = "现在" if windows.round_open(round_, today) else ""
    return f"{head}；{now}可在{round_.name}批次（{when}）重新申报{label}。"


def _station_reasons(org, station):
    """A 暖心驿站 application needs an open station of this org."""
    if station.org_id != org.id:
        return [NOT_OWN_STATION]
    if station.status in (StationStatus.CLOSED, StationStatus.MOVED):
        return ["这个驿站已关闭或迁址，不能申报"]
    return []


def options_for(org, campaign, today):
    """Every kind of `campaign` for `org`: allowed or not, with reasons and any live application."""
    options = []
    for spec in campaigns.kind_specs(campaign):
        round_ = windows.pick_round(campaign, spec.kind, today)
        existing = None
        if round_ is not None and spec.subject == "org":
            existing = Application.get_or_none(round=round_, kind=spec.kind, subject_key=f"org:{org.id}")
        options.append(KindOption(spec, round_, reasons_against(org, spec, round_, today), existing))
    return options


FIRST_HONOUR_YEAR = 1950  # older titles are not kept; a year outside the range is a typo (20188)


def award(org, kind, year, awarded_on, application=None, today=None):
    """Record an honour (idempotent per org, kind and year), awarded no later than `today` and
    not before its year began."""
    today = today or local_today()
    if not FIRST_HONOUR_YEAR <= year <= today.year:
        raise ValidationFailed(f"年度应在{FIRST_HONOUR_YEAR}到{today.year}之间，请核对", key="year")
    if awarded_on > today:
        raise ValidationFailed(f"授予日期不能晚于今天（{format_day(today)}），请核对", key="awarded_on")
    if awarded_on.year < year:
        raise ValidationFailed(f"授予日期不能早于{year}年度，请核对年度和授予日期", key="awarded_on")
    prerequisite = CITY_PREREQUISITE.get(kind)
    if prerequisite and not holds(org, prerequisite):
        raise InvalidState(f"申报{HONOUR_LABELS[kind]}须已获得{HONOUR_LABELS[prerequisite]}称号")
    same_year = Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.year == year)
    live = same_year.where(Honour.live()).first()
    if live is not None:
        return live
    if same_year.where(Honour.status == HonourStatus.REVOKED).exists():
        raise InvalidState(f"{year}年度的{HONOUR_LABELS[kind]}称号已被撤销，不能再次授予")
    try:
        with database.atomic():
            return Honour.create(org=org, kind=kind, year=year, status=HonourStatus.ACTIVE, awarded_on=awarded_on,
                                 application=application)
    except IntegrityError:  # recorded at the same moment: that one stands
        return same_year.where(Honour.live()).get()


# Titles a 系统工会 may revoke itself: the 合格 its own check confirms. The seed gives the rest to
# the district: "区总工会……对获得称号的单位实行动态管理……对复查验收中发现严重问题的，撤销所获得的荣誉称号".
SYSTEM_REVOCABLE = (HonourKind.QUALIFIED_HOME, HonourKind.QUALIFIED_SMALL_HOME)


def may_revoke(person, honour):
    """True when `person` may revoke `honour`: a 区级 or higher title only the district admin."""
    if honour.kind in SYSTEM_REVOCABLE:
        return administers(person, honour.org)
    return is_district_admin_over(person, honour.org)


def revoke(honour, person, reason):
    """Revoke an honour with its reason (复查中发现严重问题)."""
    require(may_revoke(person, honour), "区级及以上称号由区总工会撤销")
    with database.atomic():
        current = Honour.locked(honour)
        if current.status == HonourStatus.REVOKED:
            # A second revocation (a page opened before the first) would rewrite its reason and date.
            raise InvalidState(f"这个称号已被撤销（{current.revoked_reason}），请刷新页面")
        if not reason.strip():
            raise ValidationFailed("撤销称号须写明原因", key="reason")
        honour.status, honour.revoked_at, honour.revoked_by = HonourStatus.REVOKED, utcnow(), person
        honour.revoked_reason = reason.strip()
        honour.save()
        # However the district came to revoke, every proposal waiting on this title is answered by it.
        (Reinspection.update(decision=ProposalDecision.REVOKED, decided_by=person, decided_at=honour.revoked_at)
         .where(Reinspection.honour == honour, Reinspection.kept == PROPOSED,
                Reinspection.decision == ProposalDecision.PENDING).execute())
    return honour


def reinspect(honour, person, inspected_on, keep, findings="", today=None):
    """Record a 复验 of an active title, after it took place: kept, or revoked with the findings
    as reason; a 系统工会 that finds a 区级 title lacking proposes the revocation to the district."""
    require(administers(person, honour.org), "只有上级工会管理员可以复验")
    today = today or local_today()
    if inspected_on > today:
        raise ValidationFailed(f"复验日期不能晚于今天（{format_day(today)}），请填写实际复验的日期",
                               key="inspected_on")
    if not keep and not findings.strip():
        # The reason is what the unit is told; "复验不合格" alone tells it nothing to put right.
        raise ValidationFailed("撤销称号须写明复验中发现的严重问题：勾选未达标的项目或填写复验情况", key="findings")
    outcome = "kept" if keep else "revoked" if may_revoke(person, honour) else PROPOSED
    with database.atomic():
        # Held: 复验 sent from two tabs at once make one record (and at most one revocation).
        current = Honour.locked(honour)
        same = Reinspection.select().where(Reinspection.honour == honour, Reinspection.inspected_on == inspected_on,
                                           Reinspection.inspector == person, Reinspection.kept == outcome,
                                           Reinspection.findings == findings)
        if outcome != "revoked" and current.status == HonourStatus.ACTIVE and same.exists():
            return honour  # the same 复验 sent twice (a double click): recorded once
        if current.status != HonourStatus.ACTIVE:
            # A page opened before a revocation (or a declared title) has no title left to keep.
            state = {HonourStatus.REVOKED: "已被撤销", HonourStatus.REFUSED: "的申报已被退回"}.get(
                current.status, "尚未确认")
            raise InvalidState(f"这个称号{state}，不能登记复验，请刷新页面")
        Reinspection.create(honour=honour, inspected_on=inspected_on, inspector=person, kept=outcome,
                            findings=findings)
        if outcome == "revoked":
            revoke(honour, person, findings)
    return honour


def may_seek_city_title(org, kind):
    """True when `org` holds the district title a city title requires."""
    prerequisite = CITY_PREREQUISITE.get(HonourKind(kind))
    return bool(prerequisite and holds(org, prerequisite))


