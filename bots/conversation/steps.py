"""An application as a walk of steps: per form a header view, then items and fields in order.

Numbers follow the printed forms: a checklist's items (and its numbered extra row) keep their
序号; a registration form's fields are numbered 1..N in document order, cover included.
"""
from dataclasses import dataclass
from enum import StrEnum

from miniapp_backend.memo import IdentityMemo
from miniapp_backend.services.drafts import PREFILL_CHANNEL, templates

HEADER_NAME = "@header"
REVIEW_KEY = "@review"


class FormKind(StrEnum):
    """The two kinds of form in the catalog."""

    CHECKLIST = "checklist"  # 验收单: header, numbered items, extra rows
    REGISTRATION = "registration"  # 登记表: cover and sections of fields


class FieldType(StrEnum):
    """Catalog field types the conversation asks in a way of their own."""

    ROSTER = "roster"
    LONGTEXT = "longtext"
    INT = "int"
    PERCENT = "percent"
    DATE = "date"


class StepKind(StrEnum):
    """What a step asks for."""

    HEADER = "header"  # the prefilled header fields shown together, confirmed with one reply
    HEADER_FIELD = "header_field"  # one header field being corrected
    FIELD = "field"
    ITEM = "item"
    REVIEW = "review"  # after the last step


@dataclass(frozen=True)
class Step:
    """One stop of the walk; `key` is the answer key ("<form>:<name>") or a pseudo key."""

    kind: StepKind
    key: str
    template: object = None
    no: int | None = None
    total: int | None = None
    field: object = None
    item: object = None

    @property
    def form(self):
        """The form code of this step ("" for the review)."""
        return self.template.code if self.template else ""


REVIEW = Step(StepKind.REVIEW, REVIEW_KEY)


def header_fields(template):
    """Fields confirmed together: a checklist's header, a registration's cover and untitled first rows."""
    if template.kind == FormKind.CHECKLIST:
        return template.header
    first = template.sections[0] if template.sections else None
    leading = first.fields if first is not None and not first.title else ()
    return template.cover + leading


# A form's steps depend on its template alone, and a bundle's walk on its templates alone;
# templates are loaded once per file version, so each is worked out once.
_FORM_STEPS = IdentityMemo(256)
_WALKS = IdentityMemo(256)  # a bundle's templates -> (steps, step index by key)


def _form_steps(template):
    """The header view, then items and body fields of one form."""
    return _FORM_STEPS.get((template,), lambda: tuple(_make_form_steps(template)))


def _make_form_steps(template):
    """The steps of one form, worked out."""
    key = f"{template.code}:{{}}".format
    steps = [Step(StepKind.HEADER, key(HEADER_NAME), template)]
    if template.kind == FormKind.CHECKLIST:
        total = len(template.items)
        steps += [Step(StepKind.ITEM, key(i.key), template, i.no, total, item=i) for i in template.items]
        steps += [Step(StepKind.FIELD, key(f.key), template, f.no, field=f) for f in template.extra]
        return steps
    fields = template.fields()
    in_header = {f.key for f in header_fields(template)}
    steps += [Step(StepKind.FIELD, key(f.key), template, no, len(fields), field=f)
              for no, f in enumerate(fields, 1) if f.key not in in_header]
    return steps


def _walk(application):
    """(steps, index by key) of the application's bundle."""
    forms = tuple(templates(application))
    return _WALKS.get(forms, lambda: _make_walk(forms))


def _make_walk(forms):
    """(steps, index by key) of a bundle of forms, worked out."""
    steps = tuple(step for template in forms for step in _form_steps(template)) + (REVIEW,)
    return steps, {step.key: n for n, step in enumerate(steps)}


def walk(application):
    """Every step of the application's forms, in bundle order, then the review."""
    return _walk(application)[0]


def seen_revision(step, answer_of):
    """The revision a chair sees at `step` (`answer_of`: key -> Answer or None): its answer's, or
    for the header view the sum of its fields' (each write raises one of them, so any shows)."""
    if step.kind == StepKind.HEADER:
        answers = (answer_of(field_step.key) for field_step in header_field_steps(step.template))
        return sum(answer.revision for answer in answers if answer is not None)
    answer = answer_of(step.key)
    return answer.revision if answer else 0


def header_field_steps(template):
    """The header fields as steps, in header-view order; a checklist's header has no 序号."""
    if template.kind == FormKind.CHECKLIST:
        return [Step(StepKind.HEADER_FIELD, f"{template.code}:{f.key}", template, field=f)
                for f in template.header]
    fields = template.fields()
    numbers = {f.key: no for no, f in enumerate(fields, 1)}
    return [Step(StepKind.HEADER_FIELD, f"{template.code}:{f.key}", template, numbers[f.key],
                 len(fields), field=f) for f in header_fields(template)]


def find(application, key):
    """The step with `key` (a header field too), or None."""
    steps, index = _walk(application)
    if key in index:
        return steps[index[key]]
    for template in templates(application):
        for step in header_field_steps(template):
            if step.key == key:
                return step
    return None


def after(application, step):
    """The step that follows `step` in the walk (a header field returns to its header view)."""
    if step.kind == StepKind.HEADER_FIELD:
        return header_of(step.template)
    steps, index = _walk(application)
    return steps[min(index[step.key] + 1, len(steps) - 1)]


def before(application, step):
    """The step before `step` (the first header view has none and returns itself)."""
    if step.kind == StepKind.HEADER_FIELD:
        return header_of(step.template)
    steps, index = _walk(application)
    return steps[max(index[step.key] - 1, 0)]


def header_of(template):
    """The header view of a form."""
    return Step(StepKind.HEADER, f"{template.code}:{HEADER_NAME}", template)


def numbered(application, template, no):
    """The step numbered `no` in `template` (an item, a body field or a header field), or None."""
    candidates = [s for s in walk(application) if s.form == template.code and s.no == no]
    if template.kind != FormKind.CHECKLIST:
        candidates += [s for s in header_field_steps(template) if s.no == no]
    return candidates[0] if candidates else None


def is_filled(value):
    """An answer counts once it is neither empty text nor an empty list or mapping."""
    return value not in (None, "", [], {})


def _untouched(template, answers):
    """No person has answered anything on this form yet (prefilled values do not count)."""
    prefix = f"{template.code}:"
    return all(a.channel == PREFILL_CHANNEL for key, a in answers.items() if key.startswith(prefix))


def first_open(application, answers):
    """Where to resume (an untouched form's header, else the first blank); `answers`: rows by key."""
    def filled(key):
        """The key has a non-empty answer."""
        return key in answers and is_filled(answers[key].value)
    for step in walk(application):
        if step.kind == StepKind.HEADER:
            if _untouched(step.template, answers) or any(
                    f.required and not filled(f"{step.form}:{f.key}") for f in header_fields(step.template)):
                return step
        elif step.kind == StepKind.ITEM and not filled(step.key):
            return step
        elif step.kind == StepKind.FIELD and step.field.required and not filled(step.key):
            return step
    return REVIEW
