"""The campaign dashboard: progress against targets and quotas, coverage, dates and funding.

Everything is computed from a handful of grouped queries, so the page costs the same at 30,000
applications as at 30.
"""
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from peewee import fn

from miniapp_backend.models import (
    Application, ApplicationKind, AppStatus, Honour, HonourKind, Org, OrgKind, Round, Target)
from miniapp_backend.models.admin_records import SystemQuota
from miniapp_backend.services import acceptance, campaigns
from miniapp_backend.services.org_groups import DIRECT, bucket, system_unions, top_segment
from miniapp_backend.services.windows import overdue_condition

# Titles that mean a unit has a 职工之家 (新建会单位100%建家 counts these).
HOME_HONOURS = (HonourKind.QUALIFIED_HOME, HonourKind.DISTRICT_HOME, HonourKind.MODEL_HOME,
                HonourKind.NEW_UNION_HOME, HonourKind.CITY_MODEL_HOME, HonourKind.NATIONAL_MODEL_HOME)
HOME_KINDS = (ApplicationKind.MODEL_HOME, ApplicationKind.NEW_UNION_HOME, ApplicationKind.DISTRICT_HOME)
FILED = (AppStatus.SUBMITTED, AppStatus.RETURNED, AppStatus.APPROVED, AppStatus.REJECTED)
MISSING_LISTED = 20


@dataclass
class Tally:
    """Counts of one slice (a kind, a 系统工会, a round) by status, and approved funding."""

    by_status: Counter = field(default_factory=Counter)
    accepted: int = 0
    revoked: int = 0  # approved, but the title awarded from them was revoked since: not 验收合格 now
    overdue: int = 0  # of the returned, those past their 整改截止
    funding_actual: int = 0
    funding_unset: int = 0

    def add(self, status, count, funding, funded, accepted=False, lost=False):
        """Add one grouped row; funding counts only for approved applications, `accepted` says
        whether the row's approved applications were 验收合格, `lost` whether their title has been
        revoked since (then they count as 已撤销 instead)."""
        self.by_status[status] += count
        if status == AppStatus.APPROVED:
            self.accepted += count if accepted and not lost else 0
            self.revoked += count if lost else 0
            self.funding_actual += funding or 0
            self.funding_unset += count - funded

    @property
    def filed(self):
        """Applications past the draft stage."""
        return sum(self.by_status[s] for s in FILED)

    @property
    def approved(self):
        """Applications the review chain approved (已通过审核)."""
        return self.by_status[AppStatus.APPROVED]


def percent_text(part, whole):
    """`part` of `whole` as the dashboard writes it: "0.5%" rather than "0%" for a first one,
    "99%" rather than "100%" while one is missing."""
    if not whole:
        return ""
    share = 100 * part / whole
    if part == 0 or share >= 1 and part >= whole:
        return f"{round(share)}%"
    if share < 0.1:
        return "<0.1%"
    if share < 1:
        return f"{share:.1f}%"
    return f"{int(share)}%"


@dataclass
class KindRow:
    """One kind of the campaign: its target, the quotas set, its tally; `goal` is what the
    viewer is measured against (the district's target, a 系统工会's allotted quota)."""

    spec: object
    target: int
    indicative_yuan: int
    quota_total: int
    tally: Tally
    goal: int = 0

    @property
    def percent(self):
        """验收合格 against the goal, 0–100 (capped for the bar)."""
        return min(100, 100 * self.tally.accepted / self.goal) if self.goal else 0

    @property
    def percent_text(self):
        """验收合格 against the goal, as text."""
        return percent_text(self.tally.accepted, self.goal)


@dataclass
class Coverage:
    """新建会单位100%建家: new unions of 100+ employees, how many have a 职工之家, who has not filed."""

    total: int
    covered: int
    not_filed_count: int
    not_filed: list

    @property
    def percent(self):
        """Covered share, 0–100 (for the bar)."""
        return 100 * self.covered / self.total if self.total else 100

    @property
    def share(self):
        """Covered share, 0–1, for a spreadsheet's whole-percent cell: rounded down while a unit is
        missing, so 199 of 200 reads 99%, not 100%."""
        if self.covered >= self.total:
            return 1
        return 100 * self.covered // self.total / 100

    @property
    def percent_text(self):
        """Covered share as text: never "100%" while a unit is missing (nothing to cover is 100%)."""
        return percent_text(self.covered, self.total) or "100%"


@dataclass
class Dashboard:
    """What the dashboard page shows for one campaign within one admin's reach."""

    campaign: object
    kinds: list
    systems: list
    by_system: dict
    quotas: dict
    rounds: list
    coverage: Coverage
    dates: list

    @property
    def funding_actual(self):
        """Granted funding of every approved application (元)."""
        return sum(row.tally.funding_actual for row in self.kinds)


def _scoped(campaign, condition, *columns):
    """Applications of `campaign` within `condition` (joined with their org), selecting `columns`."""
    return (Application.select(*columns).join(Org, on=(Application.org == Org.id))
            .where(Application.campaign == campaign, condition))


def _title_lost():
    """SQL, on Application: whether a title awarded from it has been revoked since."""
    return Application.id.in_(Honour.lost_applications())


def _tallies(campaign, condition):
    """{kind: Tally} and {(kind, round id): Tally}, with funding, from one grouped query."""
    accepted, lost = acceptance.accepted_column(), _title_lost()
    query = (_scoped(campaign, condition, Application.kind, Application.round, Application.status, accepted, lost,
                     fn.COUNT(Application.id), fn.SUM(Application.funding_yuan), fn.COUNT(Application.funding_yuan))
             .group_by(Application.kind, Application.round, Application.status, accepted, lost).tuples())
    kinds, by_round = defaultdict(Tally), defaultdict(Tally)
    for kind, round_id, status, is_accepted, is_lost, count, funding, funded in query:
        for tally in (kinds[kind], by_round[(kind, round_id)]):
            tally.add(status, count, funding, funded, bool(is_accepted), bool(is_lost))
    return kinds, by_round


def _count_overdue(campaign, condition, today, by_round):
    """Set each round's Tally.overdue from one grouped query."""
    query = (_scoped(campaign, condition & overdue_condition(today), Application.kind, Application.round,
                     fn.COUNT(Application.id))
             .group_by(Application.kind, Application.round).tuples())
    for kind, round_id, count in query:
        by_round[(kind, round_id)].overdue = count


def _system_tallies(campaign, org_condition, kinds, systems):
    """{(kind, 系统工会 id or None for 直属): Tally} of the targeted kinds, from one grouped query.

    The top segment is computed once per org in a materialized CTE, not once per application.
    """
    tops = (Org.select(Org.id, top_segment(Org).alias("seg")).where(org_condition)
            .cte("tops", materialized=True, columns=("id", "seg")))
    accepted, lost = acceptance.accepted_column(), _title_lost()
    query = (Application.select(Application.kind, Application.status, accepted, lost, tops.c.seg,
                                fn.COUNT(Application.id))
             .join(tops, on=(Application.org == tops.c.id))
             .where(Application.campaign == campaign, Application.kind.in_(kinds))
             .group_by(Application.kind, Application.status, accepted, lost, tops.c.seg)
             .with_cte(tops).tuples())
    by_system = defaultdict(Tally)
    for kind, status, is_accepted, is_lost, segment, count in query:
        system = bucket(segment, systems)
        by_system[(kind, system if system != DIRECT else None)].add(status, count, 0, count, bool(is_accepted),
                                                                      bool(is_lost))
    return by_system


def _kind_rows(campaign, kinds, quotas, district):
    """One KindRow per kind of the campaign, in file order; the district is measured against the
    targets, a 系统工会 against the quotas allotted to it."""
    targets = {t.kind: t for t in Target.select().where(Target.campaign == campaign)}
    rows = []
    for spec in campaigns.kind_specs(campaign):
        target = targets.get(spec.kind)
        count = target.count if target else 0
        quota_total = sum(n for (kind, _), n in quotas.items() if kind == spec.kind)
        rows.append(KindRow(spec, count, target.funding_yuan if target else 0, quota_total,
                            kinds.get(spec.kind, Tally()), count if district else quota_total))
    return rows


def coverage(campaign, org_condition):
    """Coverage of new unions (per the campaign's 新建会 rule) with a 职工之家."""
    spec = next((s for s in campaigns.kind_specs(campaign) if s.kind == ApplicationKind.NEW_UNION_HOME), None)
    new_unions = Org.select(Org.id).where(Org.kind == OrgKind.GRASSROOTS, org_condition)
    if spec is not None:
        if spec.new_union_founded_since:
            new_unions = new_unions.where(Org.founded_on >= spec.new_union_founded_since)
        new_unions = new_unions.where(Org.employee_count >= spec.min_employees)
    honoured = Honour.select(Honour.org).where(Honour.kind.in_(HOME_HONOURS), Honour.held())
    # An approval counts until its title is revoked (复查 found serious problems): then the unit
    # has no 职工之家 to count, whatever it was approved for.
    approved = Application.select(Application.org).where(
        Application.campaign == campaign, Application.kind.in_(HOME_KINDS), Application.status == AppStatus.APPROVED,
        ~_title_lost())
    filed = Application.select(Application.org).where(
        Application.campaign == campaign, Application.kind.in_(HOME_KINDS), Application.status.in_(FILED))
    covered = new_unions.where(Org.id.in_(honoured) | Org.id.in_(approved))
    silent = (Org.select().where(Org.id.in_(new_unions), Org.id.not_in(honoured), Org.id.not_in(filed))
              .order_by(Org.full_name))
    return Coverage(new_unions.count(), covered.count(), silent.count(), list(silent.limit(MISSING_LISTED)))


def key_dates(campaign, today):
    """(date, what, days from today) for every round's deadline and acceptance period, by date."""
    labels = {s.kind: s.label for s in campaigns.kind_specs(campaign)}
    seen = defaultdict(list)
    for round_ in Round.select().where(Round.campaign == campaign):
        for day, what in ((round_.closes_on, f"{round_.name}申报截止"),
                          (round_.acceptance_from, f"{round_.name}验收开始"),
                          (round_.acceptance_to, f"{round_.name}验收结束")):
            if day is not None:
                seen[(day, what)].append(labels.get(round_.kind, round_.kind))
    return [(day, f"{'、'.join(kinds)} {what}", (day - today).days) for (day, what), kinds in sorted(seen.items())]


def build(campaign, scope, today):
    """The Dashboard of `campaign` as `scope` sees it."""
    systems = system_unions(scope.org_condition(Org))
    quotas = {k: n for k, n in SystemQuota.of_campaign(campaign).items() if k[1] in systems}
    condition = scope.application_condition(Application, Org)
    kinds, by_round = _tallies(campaign, condition)
    _count_overdue(campaign, condition, today, by_round)
    rows = _kind_rows(campaign, kinds, quotas, scope.is_district)
    by_system = _system_tallies(campaign, scope.admin_condition(Org), [r.spec.kind for r in rows if r.target],
                                systems)
    rounds = [(r, by_round.get((r.kind, r.id), Tally()))
              for r in Round.select().where(Round.campaign == campaign).order_by(Round.kind, Round.opens_on)]
    system_rows = list(systems.values()) + ([None] if scope.is_district else [])
    return Dashboard(campaign, rows, system_rows, by_system, quotas, rounds,
                     coverage(campaign, scope.org_condition(Org)), key_dates(campaign, today))
