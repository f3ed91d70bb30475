"""Filtering, sorting and paging applications for admins, with each row's pending step."""
from dataclasses import dataclass

from peewee import JOIN

from miniapp_backend.clock import local_today
from miniapp_backend.models import Application, AppStatus, Org, ReviewStep, Round, Station, StepStatus
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.services.windows import OVERDUE, overdue_condition

ID_DIGITS = 9  # ids stay within PostgreSQL's 32-bit integers; a longer number names nothing

PAGE_SIZE = 30
SORTS = {
    "updated": (Application.updated_at.desc(), Application.id.desc()),
    "submitted": (Application.submitted_at.desc(nulls="LAST"), Application.id.desc()),
    "org": (Org.full_name, Application.id),
}
SORT_LABELS = {"updated": "最近更新", "submitted": "最近提交", "org": "单位名称"}
# The stamped paper copy goes to the 区总工会组宣部 with a filed application: one in review or
# approved needs it (a draft, a return to rectify or a rejection does not yet, or any more).
PAPER_NEEDED = (AppStatus.SUBMITTED, AppStatus.APPROVED)


@dataclass(frozen=True)
class Filters:
    """What an admin asked for; empty strings mean "any"."""

    campaign_id: int
    kind: str = ""
    round_id: int | None = None
    status: str = ""
    system_id: int | None = None
    text: str = ""
    mine: bool = False
    paper_missing: bool = False
    sort: str = "updated"

    @classmethod
    def from_args(cls, args, campaign_id):
        """Read filters from query-string arguments (bad numbers are ignored)."""
        return cls(campaign_id=campaign_id, kind=args.get("kind", ""), round_id=id_from_text(args.get("round")),
                   status=args.get("status", ""), system_id=id_from_text(args.get("system")),
                   text=args.get("q", "").strip()[:50], mine=args.get("mine") == "1",
                   paper_missing=args.get("paper") == "missing",
                   sort=args.get("sort") if args.get("sort") in SORTS else "updated")


def id_from_text(text):
    """A whole number of at most ID_DIGITS digits (an id, a year, a page) from a query argument,
    or None: a longer one names nothing and must not reach the database."""
    text = (text or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= ID_DIGITS else None


def query(scope, filters, today=None):
    """Applications matching `filters` within `scope`, joined with org, round and station (the
    status OVERDUE: returned ones past their 整改截止 by `today`)."""
    rows = (Application.select(Application, Org, Round, Station)
            .join(Org, on=(Application.org == Org.id))
            .switch(Application).join(Round)
            .switch(Application).join(Station, JOIN.LEFT_OUTER)
            .where(Application.campaign == filters.campaign_id, scope.application_condition(Application, Org)))
    if filters.kind:
        rows = rows.where(Application.kind == filters.kind)
    if filters.round_id:
        rows = rows.where(Application.round == filters.round_id)
    if filters.status == OVERDUE:
        rows = rows.where(overdue_condition(today or local_today()))
    elif filters.status:
        rows = rows.where(Application.status == filters.status)
    if filters.system_id:
        system = Org.get_or_none(Org.id == filters.system_id)
        rows = rows.where(Org.path.startswith(system.path)) if system else rows.where(Org.id == 0)
    if filters.text:
        rows = rows.where(Org.full_name.contains(filters.text) | Station.name.contains(filters.text))
    if filters.paper_missing:
        rows = rows.where(Application.status.in_(PAPER_NEEDED), Application.paper_received_at.is_null())
    if filters.mine:
        pending = (ReviewStep.select(ReviewStep.application)
                   .where(ReviewStep.status == StepStatus.PENDING, scope.reviewable_condition(ReviewStep)))
        rows = rows.where(Application.id.in_(pending))
    return rows.order_by(*SORTS[filters.sort])


def page_of(rows, number, size=PAGE_SIZE):
    """(the rows of the page shown, total count, page count, the page shown); refuses a page below 1.
    A page past the last (a bookmark, or a list that shrank since) shows the last one."""
    if number < 1:
        raise ValidationFailed("页码从1开始", key="page")
    total = rows.count()
    pages = max(1, -(-total // size))
    number = min(number, pages)
    return list(rows.paginate(number, size)), total, pages, number


def pending_steps(applications):
    """{application id: its pending step, with its org} for the given applications, in one query."""
    if not applications:
        return {}
    versions = {a.id: a.version for a in applications}
    steps = (ReviewStep.select(ReviewStep, Org).join(Org, JOIN.LEFT_OUTER)
             .where(ReviewStep.application.in_(list(versions)), ReviewStep.status == StepStatus.PENDING))
    return {s.application_id: s for s in steps if versions[s.application_id] == s.version}
