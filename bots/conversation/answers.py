"""Writing chat answers into the draft at once, against the revision the chair last saw."""
from miniapp_backend.forms.cross_checks import check_cross_field
from miniapp_backend.services import answer_rules, drafts
from miniapp_backend.services.errors import RevisionConflict

CHANNEL = "chat"


class ChatConflict(Exception):
    """The field changed elsewhere since the chair saw it: ask before overwriting."""

    def __init__(self, key, mine, theirs, revision, channel=""):
        super().__init__(key)
        self.key, self.mine, self.theirs, self.revision = key, mine, theirs, revision
        self.channel = channel  # where the newer value was written (chat: by another filler)


def _form_values(draft, template, key, value):
    """The form's numeric values as they would be with `value` written to `key`."""
    values = {f.key: draft.value(f"{template.code}:{f.key}") for f in template.fields()}
    values[key.split(":", 1)[1]] = value
    return values


def refuse_cross_field(draft, step, raw, today):
    """Refuse a value that breaks one of the form's checks involving this field."""
    if step.field is None or not step.template.checks:
        return
    value = drafts.parse_answer(draft.application, step.key, raw, today)
    values = _form_values(draft, step.template, step.key, value)
    answer_rules.refuse_cross_field(step.template, step.key, values)


def warnings_for(draft, step):
    """The form's warnings (e.g. quorum) that involve the field just written."""
    if step.field is None or not step.template.warnings:
        return []
    values = _form_values(draft, step.template, step.key, draft.value(step.key))
    _, warnings = check_cross_field(step.template, values)
    involved = {r.message for r in step.template.warnings if step.field.key in (r.field, r.other)}
    return [w for w in warnings if w in involved]


def seen_revision(turn, key):
    """The revision the user saw (their own later chat write counts as seen)."""
    # A turn can fail after writing but before saving its position: that write is the user's
    # own, so it must not come back to them as a conflict.
    answer = turn.draft.answer(key)
    if answer is not None and answer.channel == CHANNEL and answer.updated_by_id == turn.person.id:
        return answer.revision
    return turn.position.revision


def write(turn, step, raw):
    """Store `raw` for the step; the position's revision guards against a newer edit elsewhere."""
    draft = turn.draft
    refuse_cross_field(draft, step, raw, turn.today)
    try:
        answer = drafts.write_answer(draft.application, turn.person, step.key, raw,
                                     base_revision=seen_revision(turn, step.key), channel=CHANNEL,
                                     today=turn.today, current=draft.answer(step.key),
                                     may_fill=turn.may_fill)
    except RevisionConflict as exc:
        draft.forget(step.key)
        raise ChatConflict(step.key, raw, exc.details["value"], exc.details["revision"],
                           exc.details.get("channel", "")) from None
    draft.wrote(step.key, answer)
    turn.position.revision = answer.revision
    return answer


def clear(turn, step):
    """Empty the step's answer (清空), with the same revision guard."""
    try:
        answer = drafts.clear_answer(turn.application, turn.person, step.key,
                                     base_revision=seen_revision(turn, step.key), today=turn.today,
                                     may_fill=turn.may_fill)
    except RevisionConflict as exc:
        turn.draft.forget(step.key)
        raise ChatConflict(step.key, None, exc.details["value"], exc.details["revision"],
                           exc.details.get("channel", "")) from None
    turn.draft.wrote(step.key, answer)
    if answer is not None:
        turn.position.revision = answer.revision
