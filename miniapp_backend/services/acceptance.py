"""验收合格: where a round has an acceptance period (区级先进 homes, 10–12月), the 区总工会's own
现场验收 inside that period decides; elsewhere the approved 验收单 is the acceptance.

A 系统工会's visit, or one outside the period, stays on record as a check but decides nothing.
"""
from peewee import Case, fn

from miniapp_backend.models import Application, AppStatus, Role, RoleKind, Round
from miniapp_backend.models.admin_records import InspectionResult, SiteInspection


def _counting(inspections, round_):
    """`inspections` narrowed to those that count: by a 区总工会 admin, inside `round_`'s period."""
    district_admins = Role.select(Role.person).where(Role.kind == RoleKind.DISTRICT_ADMIN)
    return inspections.where(SiteInspection.recorded_by.in_(district_admins),
                             SiteInspection.inspected_on >= round_.acceptance_from,
                             SiteInspection.inspected_on <= round_.acceptance_to)


def _latest_first(query):
    """Newest visit first (by its date, then by when it was recorded)."""
    return query.order_by(SiteInspection.inspected_on.desc(), SiteInspection.id.desc())


def accepted_column():
    """SQL, correlated on Application: 1 where an approval of it is 验收合格 (its round needs no
    现场验收, or its latest counting one passed), else 0."""
    round_ = Round.alias()
    inspections = (SiteInspection.select(SiteInspection.result)
                   .join(round_, on=(round_.id == Application.round))
                   .where(SiteInspection.application == Application.id))
    latest = _latest_first(_counting(inspections, round_)).limit(1)
    inspected_round = Round.select(Round.id).where(Round.id == Application.round,
                                                   Round.acceptance_from.is_null(False))
    return Case(None, [(fn.COALESCE(latest, "") == InspectionResult.PASSED, 1),
                       (~fn.EXISTS(inspected_round), 1)], 0)


def needs_inspection(round_):
    """Whether the round's applications are accepted by a 现场验收 rather than by approval."""
    return round_.acceptance_from is not None


def accepted(application):
    """Whether an application counts as 验收合格 (one application; accepted_column for many)."""
    if application.status != AppStatus.APPROVED:
        return False
    round_ = application.round
    if not needs_inspection(round_):
        return True
    inspections = SiteInspection.select().where(SiteInspection.application == application)
    latest = _latest_first(_counting(inspections, round_)).first()
    return latest is not None and latest.result == InspectionResult.PASSED
