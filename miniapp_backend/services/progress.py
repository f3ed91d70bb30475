"""What a draft has and lacks: the same list for chat, mini-program, admin and submit."""
from dataclasses import dataclass, field

from miniapp_backend.forms.cross_checks import check_cross_field
from miniapp_backend.services import campaigns
from miniapp_backend.services.drafts import answers_of, templates
from miniapp_backend.services.evidence import evidence_by_slot

MATERIAL_LABELS = {"member_evaluation_report": "会员评家报告（PDF）"}
MATERIAL_SLOTS = {"member_evaluation_report": "report"}


@dataclass(frozen=True)
class Missing:
    """One thing a submission still lacks; `kind` is field, item, photo, invalid or material."""

    key: str
    kind: str
    label: str
    form: str = ""
    item_no: int | None = None


@dataclass
class Progress:
    """Counts and the exact missing list of one application."""

    items_total: int = 0
    items_answered: int = 0
    fields_total: int = 0
    fields_answered: int = 0
    photos: int = 0
    missing: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    @property
    def complete(self):
        """Nothing missing: the chair may submit."""
        return not self.missing

    def missing_of(self, kind):
        """The missing entries of one kind."""
        return [m for m in self.missing if m.kind == kind]


def _filled(value):
    """An answer counts once it is neither empty text nor an empty list."""
    return value not in (None, "", [], {})


def progress(application):
    """Counts, the missing list (document order) and quorum-style warnings."""
    answers = {key: a.value for key, a in answers_of(application).items()}
    evidence = evidence_by_slot(application)
    result = Progress(photos=sum(len(files) for slot, files in evidence.items() if ":item." in slot))
    for template in templates(application):
        _fields_progress(template, answers, result)
        _items_progress(template, answers, evidence, result)
        values = {f.key: answers.get(f"{template.code}:{f.key}") for f in template.fields()}
        errors, warnings = check_cross_field(template, values)
        result.missing += [Missing(f"{template.code}:{key}", "invalid", message, template.code)
                           for key, message in errors.items()]
        result.warnings += warnings
    _materials_progress(application, evidence, result)
    return result


def _fields_progress(template, answers, result):
    """Count fields and list the required ones left empty."""
    for field_ in template.fields():
        key = f"{template.code}:{field_.key}"
        filled = _filled(answers.get(key))
        # An optional field left empty lacks nothing, so it is not counted either.
        result.fields_total += filled or field_.required
        result.fields_answered += filled
        if not filled and field_.required:
            result.missing.append(Missing(key, "field", field_.label, template.code))


def _items_progress(template, answers, evidence, result):
    """Count items and list unanswered ones and 是 answers without a required photo."""
    for item in template.items:
        key = f"{template.code}:{item.key}"
        result.items_total += 1
        answer = answers.get(key)
        if not answer:
            result.missing.append(Missing(key, "item", f"第{item.no}项 {item.category}", template.code, item.no))
            continue
        result.items_answered += 1
        if answer.get("done") and item.evidence_required and not evidence.get(key):
            result.missing.append(Missing(key, "photo", f"第{item.no}项的照片", template.code, item.no))


def _materials_progress(application, evidence, result):
    """Required materials of the kind (e.g. the 会员评家报告)."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    for material, need in spec.materials.items():
        slot = MATERIAL_SLOTS.get(material)
        if need == "required" and slot and not evidence.get(slot):
            result.missing.append(Missing(slot, "material", MATERIAL_LABELS[material]))
