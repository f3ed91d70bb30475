"""The honours register: listing titles, 复验 against a checklist, 市级 candidates, a unit's archive."""
from dataclasses import dataclass

from peewee import JOIN

from miniapp_backend.forms import FormCatalog
from miniapp_backend.models import (
    Answer, Application, Campaign, EvidenceLink, Honour, HonourKind, HonourStatus, Org, Person,
    Reinspection, StoredFile)
from miniapp_backend.models.admin_records import SiteInspection
from miniapp_backend.services import campaigns, eligibility, revocation_proposals
from miniapp_backend.services.eligibility import CITY_PREREQUISITE
from miniapp_backend.services.errors import ValidationFailed

# The checklist a 复验 of each title is scored against.
REINSPECTION_FORMS = {
    HonourKind.DISTRICT_HOME: "district_home_checklist",
    HonourKind.QUALIFIED_HOME: "district_home_checklist",
    HonourKind.MODEL_HOME: "model_home_checklist",
    HonourKind.NEW_UNION_HOME: "new_union_home_checklist",
}
SATISFACTION_KEYS = ("district_home_registration:satisfaction", "small_home_registration:satisfaction")


def query(org_condition, kind="", year=None, status="", text="", proposal_pending=False):
    """Honours of orgs within `org_condition`, filtered (`proposal_pending`: only those with a
    proposal to revoke waiting for the district), newest year first."""
    rows = Honour.select(Honour, Org).join(Org).where(org_condition)
    if proposal_pending:
        rows = rows.where(Honour.id.in_(revocation_proposals.honours_waiting()))
    if kind:
        rows = rows.where(Honour.kind == kind)
    if year:
        rows = rows.where(Honour.year == year)
    if status:
        rows = rows.where(Honour.status == status)
    if text:
        rows = rows.where(Org.full_name.contains(text))
    return rows.order_by(Honour.year.desc(), Org.full_name, Honour.id)


def awaiting_confirmation(org_condition):
    """Declared 合格 titles of orgs within `org_condition` that no admin has confirmed yet."""
    return Honour.select().join(Org).where(org_condition, Honour.status == HonourStatus.DECLARED)


def checklist_for(honour):
    """The checklist template used to re-inspect `honour` (the newest year's), or None."""
    code = REINSPECTION_FORMS.get(HonourKind(honour.kind))
    catalog = FormCatalog()
    for year in sorted(catalog.years(), reverse=True):
        if code in catalog.for_year(year):
            return catalog.get(year, code)
    return None


NOT_ON_CHECKLIST = "未达标项只能从复验清单的项目中选择"


def record_reinspection(honour, person, inspected_on, keep, failed_items, findings):
    """A 复验: the items found lacking (of the title's checklist) go into the findings; revoking needs a reason."""
    checklist = checklist_for(honour)
    if set(failed_items) - {item.no for item in (checklist.items if checklist else ())}:
        raise ValidationFailed(NOT_ON_CHECKLIST, key="failed")
    lacking = "、".join(str(no) for no in sorted(failed_items))
    text = "\n".join(part for part in (f"复验未达标：第{lacking}项" if lacking else "", findings.strip()) if part)
    return eligibility.reinspect(honour, person, inspected_on, keep, text)


def city_candidates(org_condition):
    """Active 区级 titles whose holders may seek the matching 市级 title."""
    district_titles = list(CITY_PREREQUISITE.values())
    return list(Honour.select(Honour, Org).join(Org)
                .where(org_condition, Honour.kind.in_(district_titles), Honour.held())
                .order_by(Org.full_name, Honour.year.desc()))


@dataclass
class Archive:
    """建家活动基础档案 of one unit: everything it filed and earned over the years."""

    org: object
    applications: list
    honours: list
    reinspections: dict
    inspections: list
    reports: list
    satisfaction: dict
    kind_labels: dict


def archive(org):
    """The Archive of `org` (and its 分会/小组' small homes are theirs, not its)."""
    applications = list(Application.select(Application, Campaign).join(Campaign)
                        .where(Application.org == org).order_by(Campaign.year.desc(), Application.id))
    honours = list(Honour.select().where(Honour.org == org).order_by(Honour.year.desc()))
    reinspections = {}
    inspector = Person.alias()
    for r in (Reinspection.select(Reinspection, inspector)
              .join(inspector, JOIN.LEFT_OUTER, on=(Reinspection.inspector == inspector.id))
              .where(Reinspection.honour.in_([h.id for h in honours])).order_by(Reinspection.inspected_on)):
        reinspections.setdefault(r.honour_id, []).append(r)
    app_ids = [a.id for a in applications]
    inspections = list(SiteInspection.select().where(SiteInspection.application.in_(app_ids))
                       .order_by(SiteInspection.inspected_on.desc()))
    reports = list(EvidenceLink.select(EvidenceLink, StoredFile).join(StoredFile)
                   .where(EvidenceLink.application.in_(app_ids), EvidenceLink.slot == "report"))
    satisfaction = {a.application_id: a.value for a in Answer.select().where(
        Answer.application.in_(app_ids), Answer.key.in_(SATISFACTION_KEYS))}
    labels = {a.id: campaigns.kind_spec(a.campaign, a.kind).label for a in applications}
    return Archive(org, applications, honours, reinspections, inspections, reports, satisfaction, labels)
