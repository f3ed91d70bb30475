"""合格职工之家/小家: the chair declares the title the 会员代表大会 decided on; the union over the
unit (its 系统工会, or the 区总工会 for a 直属 unit) confirms it or refuses it with a reason."""
from peewee import IntegrityError

from miniapp_backend.clock import format_day, local_today, to_local, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import HONOUR_LABELS, Honour, HonourKind, HonourStatus, OrgKind
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services import qualified_minutes
from miniapp_backend.services.permissions import administers, can_submit, require

def confirming_union(org):
    """Who confirms the org's 合格 declaration, in words: its 系统工会, or for a 直属 unit the 区总工会."""
    return "区总工会" if org.is_direct else "系统工会"


def to_declare(org, spec):
    """The 合格 title `spec` requires when the org's chair could declare it now (neither held nor
    declared, and of the org's level), else None: where to point a unit refused for lack of it."""
    kind = spec.requires_honour
    if not kind or kind not in declarable_kinds(org):
        return None
    return HonourKind(kind)




QUALIFIED_KINDS = (HonourKind.QUALIFIED_HOME, HonourKind.QUALIFIED_SMALL_HOME)
# The 合格 title each level may declare: the one its 区级先进 kind requires (campaigns: 职工之家 in
# 系统工会 and 基层工会, 职工小家 in 车间（工会分会）、班组（工会小组）).
QUALIFIED_FOR_LEVEL = {
    OrgKind.SYSTEM: HonourKind.QUALIFIED_HOME, OrgKind.GRASSROOTS: HonourKind.QUALIFIED_HOME,
    OrgKind.JOINT: HonourKind.QUALIFIED_HOME, OrgKind.BRANCH: HonourKind.QUALIFIED_SMALL_HOME,
    OrgKind.GROUP: HonourKind.QUALIFIED_SMALL_HOME,
}
LEVEL_REFUSALS = {
    HonourKind.QUALIFIED_HOME: "合格职工之家由系统工会和基层工会申报，车间、班组请申报合格职工小家",
    HonourKind.QUALIFIED_SMALL_HOME: "合格职工小家由车间（工会分会）、科室、班组（工会小组）申报，基层工会请申报合格职工之家",
}
# A 会员代表大会 decides within its 基层工会委员会's term (three to five years): an older date is a typo.
CONGRESS_MAX_YEARS = 5


def live_qualified(org, kind):
    """The org's declared or held 合格 title of `kind` (newest first), or None."""
    return (Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.live())
            .order_by(Honour.year.desc(), Honour.id.desc()).first())


def declarable_kinds(org):
    """The 合格 titles the org may declare now: its level's, unless one is declared or held."""
    kind = QUALIFIED_FOR_LEVEL.get(OrgKind(org.kind))
    return [kind] if kind is not None and live_qualified(org, kind) is None else []


def not_declarable(org):
    """Why the org has no 合格 title to declare now, in Chinese ("" when it has one)."""
    kind = QUALIFIED_FOR_LEVEL.get(OrgKind(org.kind))
    if kind is None:
        return "区总工会不申报合格称号"
    live = live_qualified(org, kind)
    return standing_text(live) if live is not None else ""


def check_congress_date(congress_date, today):
    """Refuse a 会员代表大会 date in the future or older than a union's term."""
    if congress_date > today:
        raise ValidationFailed(f"会员代表大会日期不能晚于今天（{format_day(today)}），请填写大会实际召开的日期",
                               key="congress_date")
    earliest = today.replace(year=today.year - CONGRESS_MAX_YEARS, day=min(today.day, 28))
    if congress_date < earliest:
        raise ValidationFailed(f"会员代表大会日期早于{format_day(earliest)}，已超过一届工会委员会的任期，"
                               "请核对，或经新的会员代表大会决定后再申报", key="congress_date")


def declare_qualified(org, person, kind, congress_date, minutes=(), today=None):
    """The chair declares 合格职工之家/小家 (decided by the 会员代表大会), with the files of its
    `minutes` at hand (more may follow); the 系统工会 verifies.
    A title revoked since stays on record: a new 会员代表大会 declares it again as a new title."""
    if kind not in QUALIFIED_KINDS:
        raise ValidationFailed("只能申报合格职工之家或合格职工小家", key="kind")
    require(can_submit(person, org), "只有本单位工会主席可以申报合格称号")
    if QUALIFIED_FOR_LEVEL.get(OrgKind(org.kind)) != kind:
        raise ValidationFailed(LEVEL_REFUSALS[HonourKind(kind)] if org.kind != OrgKind.DISTRICT
                               else not_declarable(org), key="kind")
    check_congress_date(congress_date, today or local_today())
    honour = _same_declaration(live_qualified(org, kind), congress_date)
    if honour is None:
        try:
            with database.atomic():
                honour = Honour.create(org=org, kind=kind, year=congress_date.year, status=HonourStatus.DECLARED,
                                       congress_date=congress_date)
        except IntegrityError:  # declared at the same moment (a double tap): the first one stands
            honour = _same_declaration(live_qualified(org, kind), congress_date)
    for stored in minutes:
        qualified_minutes.attach_minutes(honour, person, stored)
    return honour


def _same_declaration(live, congress_date):
    """`live` when it is this very declaration (a retry), None when there is none; refused otherwise."""
    if live is None:
        return None
    if live.status == HonourStatus.DECLARED and live.congress_date == congress_date:
        return live
    raise InvalidState(standing_text(live))


def standing_text(live):
    """Why a declared or held 合格 title leaves nothing to declare, in Chinese."""
    label = HONOUR_LABELS[HonourKind(live.kind)]
    if live.status == HonourStatus.DECLARED:
        return (f"本单位已申报“{label}”（会员代表大会{format_day(live.congress_date)}），"
                f"正在等待{confirming_union(live.org)}确认，不能重复申报")
    return f"本单位已获得{live.year}年度“{label}”称号，无需再次申报"


def verify_qualified(honour, person):
    """A 系统工会 (or district) admin over the org confirms a declared 合格 title once its minutes
    are attached (read on the confirming page); a second
    confirmation (a double click, another tab, another admin) waits for the first and is refused."""
    require(administers(person, honour.org), "只有上级工会管理员可以确认合格称号")
    with database.atomic():
        honour = Honour.locked(honour)
        if honour.status != HonourStatus.DECLARED:
            raise InvalidState(no_longer_declared(honour))
        qualified_minutes.require_minutes(honour)
        honour.status, honour.verified_by, honour.verified_at = HonourStatus.ACTIVE, person, utcnow()
        honour.awarded_on = honour.congress_date
        honour.save()
    return honour


def no_longer_declared(honour):
    """Why a 合格 declaration can no longer be confirmed: what became of it, in Chinese."""
    if honour.status == HonourStatus.ACTIVE and honour.verified_at is not None:
        who = honour.verified_by.name if honour.verified_by else "上级工会管理员"
        return f"这项合格称号申报已由{who}于{format_day(to_local(honour.verified_at).date())}确认，无需再次确认，请刷新页面"
    if honour.status == HonourStatus.REFUSED:
        who = honour.revoked_by.name if honour.revoked_by else "上级工会管理员"
        return (f"这项合格称号申报已由{who}于{format_day(to_local(honour.revoked_at).date())}退回"
                f"（{honour.revoked_reason}），不能再确认或退回，请刷新页面")
    if honour.status == HonourStatus.REVOKED:
        return f"这个称号已被撤销（{honour.revoked_reason}），请刷新页面"
    return "这个称号不是待确认的合格称号申报，请刷新页面"


def refuse_declaration(honour, person, reason):
    """The admin who would confirm a declared 合格 finds it not 合格 after all: refused with the
    reason the chair is told; the declaration stays on record and the chair may declare again."""
    require(administers(person, honour.org), "只有上级工会管理员可以退回合格称号申报")
    with database.atomic():
        honour = Honour.locked(honour)
        if honour.status != HonourStatus.DECLARED:
            raise InvalidState(no_longer_declared(honour))
        if not reason.strip():
            raise ValidationFailed("不予确认须写明理由（会告知申报单位的工会主席）", key="reason")
        honour.status, honour.revoked_at, honour.revoked_by = HonourStatus.REFUSED, utcnow(), person
        honour.revoked_reason = reason.strip()
        honour.save()
    return honour
