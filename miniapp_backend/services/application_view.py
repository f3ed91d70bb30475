"""An application laid out like its paper forms, for reviewers: answers, photos, opinions, history."""
from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN

from miniapp_backend.models import (
    Application, EvidenceLink, Org, Person, ReviewStep, StatusEvent, StoredFile, Submission)
from miniapp_backend.models.admin_records import InspectionPhoto, SiteInspection
from miniapp_backend.services import campaigns
from miniapp_backend.services.drafts import answers_of, templates
from miniapp_backend.services.evidence import evidence_by_slot

DIGITAL_LEVELS = ("base_union", "system", "district")


@dataclass
class ItemRow:
    """One checklist row: the requirement, the answer, its photos and reviewers' remarks on it."""

    key: str
    item: object
    answer: dict | None
    photos: list
    remarks: list


@dataclass
class ApprovalRow:
    """An opinion box of the paper form: the digital step that fills it, or the stamped scans."""

    block: object
    step: object = None
    scans: list = field(default_factory=list)


@dataclass
class FormView:
    """One part of the bundle in paper order."""

    template: object
    cover: list
    header: list
    sections: list
    items: list
    extra: list
    approvals: list


@dataclass
class ApplicationView:
    """Everything the detail page shows."""

    application: object
    spec: object
    forms: list
    reused: dict
    materials: dict
    steps: list
    earlier_steps: list
    events: list
    inspections: list
    versions: list
    remarks: dict  # {answer key: [(step label, version, text)]}, fields' and items' alike


def _values(fields, answers, code):
    """(field, stored value) pairs of a form's fields."""
    return [(f, answers[f"{code}:{f.key}"].value if f"{code}:{f.key}" in answers else None) for f in fields]


def _remarks_by_key(steps):
    """{answer key: [(step label, version, text)]} from every decided step, oldest version first;
    a decision carried into a later version (an approval standing after a return, a return
    standing again after a withdrawn resubmission) is listed once, with the version it was made on."""
    remarks = defaultdict(list)
    decisions = set()
    for step in steps:
        decision = (step.level, step.decided_at)
        if step.decided_at is not None and decision in decisions:
            continue
        decisions.add(decision)
        for key, text in (step.remarks or {}).items():
            remarks[key].append((step.label, step.version, text))
    return remarks


def _approvals(template, steps, evidence):
    """Opinion boxes filled from the current version's digital steps or the stamped scans."""
    by_level = {s.level: s for s in steps}
    rows = []
    for block in template.approvals:
        digital = [level for level in block.levels if level in DIGITAL_LEVELS]
        step = by_level.get(digital[0]) if digital else None
        scans = [] if digital else evidence.get("stamped:unit_paper", [])
        rows.append(ApprovalRow(block, step, scans))
    return rows


def _form_view(template, answers, evidence, steps, remarks):
    """The FormView of one template."""
    items = [ItemRow(f"{template.code}:{i.key}", i, _value(answers, f"{template.code}:{i.key}"),
                     evidence.get(f"{template.code}:{i.key}", []), remarks.get(f"{template.code}:{i.key}", []))
             for i in template.items]
    sections = [(s.title, _values(s.fields, answers, template.code)) for s in template.sections]
    return FormView(template, _values(template.cover, answers, template.code),
                    _values(template.header, answers, template.code), sections, items,
                    _values(template.extra, answers, template.code), _approvals(template, steps, evidence))


def _value(answers, key):
    """The stored value of `key`, or None."""
    answer = answers.get(key)
    return answer.value if answer else None


def reused_elsewhere(application, files, visible):
    """{file id: [(application id, org name)]} where the same photo backs another org's application;
    the name is None where that application is not within `visible` (a condition on Application
    joined with Org): a 系统工会 learns of the reuse, not the names of another system's units."""
    ids = [f.id for f in files]
    if not ids:
        return {}
    links = list(EvidenceLink.select(EvidenceLink.file, Application.id, Org.full_name)
                 .join(Application).join(Org)
                 .where(EvidenceLink.file.in_(ids), Application.org != application.org_id).distinct().tuples())
    seen = {a.id for a in Application.select(Application.id).join(Org, on=(Application.org == Org.id))
            .where(Application.id.in_([app_id for _, app_id, _ in links]), visible)}
    result = defaultdict(list)
    for file_id, app_id, org_name in links:
        result[file_id].append((app_id, org_name if app_id in seen else None))
    return result


def _steps(application):
    """Every step of every version, with reviewer and reviewing org, oldest version first."""
    reviewer = Person.alias()
    return list(ReviewStep.select(ReviewStep, reviewer, Org)
                .join(reviewer, JOIN.LEFT_OUTER, on=(ReviewStep.reviewer == reviewer.id))
                .switch(ReviewStep).join(Org, JOIN.LEFT_OUTER, on=(ReviewStep.org == Org.id))
                .where(ReviewStep.application == application)
                .order_by(ReviewStep.version, ReviewStep.seq))


def _inspections(application):
    """现场验收 records, newest first, each with `.photo_files`."""
    inspections = list(SiteInspection.select().where(SiteInspection.application == application)
                       .order_by(SiteInspection.inspected_on.desc(), SiteInspection.id.desc()))
    photos = defaultdict(list)
    if inspections:
        for photo in (InspectionPhoto.select(InspectionPhoto, StoredFile).join(StoredFile)
                      .where(InspectionPhoto.inspection.in_([i.id for i in inspections]))):
            photos[photo.inspection_id].append(photo.file)
    for inspection in inspections:
        inspection.photo_files = photos[inspection.id]
    return inspections


def view(application, visible):
    """The ApplicationView of `application` for a viewer who sees the applications within `visible`."""
    answers = answers_of(application)
    evidence = evidence_by_slot(application)
    steps = _steps(application)
    current = [s for s in steps if s.version == application.version]
    remarks = _remarks_by_key(steps)
    forms = [_form_view(t, answers, evidence, current, remarks) for t in templates(application)]
    files = {f.id: f for slot_files in evidence.values() for f in slot_files}
    events = list(StatusEvent.select(StatusEvent, Person)
                  .join(Person, JOIN.LEFT_OUTER, on=(StatusEvent.actor == Person.id))
                  .where(StatusEvent.application == application).order_by(StatusEvent.id))
    materials = {slot: files_ for slot, files_ in evidence.items() if ":item." not in slot}
    versions = list(Submission.select(Submission.version, Submission.created_at)
                    .where(Submission.application == application).order_by(Submission.version))
    return ApplicationView(application, campaigns.kind_spec(application.campaign, application.kind), forms,
                           reused_elsewhere(application, files.values(), visible), materials, current,
                           [s for s in steps if s.version != application.version and s.decided_at],
                           events, _inspections(application), versions, remarks)

