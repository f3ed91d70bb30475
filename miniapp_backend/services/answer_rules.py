"""A form's rules across fields applied to an answer being written, so chat and mini-program refuse
the same values in the same words (a rule's message, then both values it compares)."""
from miniapp_backend.forms.cross_checks import check_cross_field
from miniapp_backend.services.drafts import AnswerKey, answers_of, field_place, parse_answer, template_for
from miniapp_backend.services.errors import ValidationFailed


def refuse_cross_field(template, key, values):
    """Refuse the answer at `key` when the form's `values` (by field key, with its new value in
    them) break one of the form's checks involving its field."""
    name = AnswerKey.parse(key).name
    errors, _ = check_cross_field(template, values)
    for rule in template.checks:
        if name in (rule.field, rule.other) and errors.get(rule.field) == rule.message:
            # Both values: correcting 应到人数 may be refused for the 实到人数 typed earlier (a label
            # the form asks twice, as 5-2 does 会员人数, after its section's title).
            compared = "，".join(f"{field_place(template, f)}为{values[f.key]}{f.unit}"
                                 for f in (template.field(rule.field), template.field(rule.other)))
            raise ValidationFailed(f"{rule.message}（{compared}）", key=key)


def refused_across(application, writes, today=None):
    """{answer key: why} for the writes ({key: (raw value or None to clear, base revision)}) that
    would break one of their form's checks, judged as the answers will stand once the others are
    saved: 应到人数 and 实到人数 lowered together pass, each alone might not. Values that do not
    parse, and writes based on an older revision (refused as conflicts), are left for the write to
    refuse: the stored value stands for them."""
    current = answers_of(application)
    stored = {key: answer.value for key, answer in current.items()}
    values, parsed = dict(stored), []
    for key, (raw, base_revision) in writes.items():
        if key in current and base_revision is not None and base_revision != current[key].revision:
            continue
        try:
            values[key] = None if raw is None else parse_answer(application, key, raw, today)
        except ValidationFailed:
            continue
        if raw is not None and AnswerKey.parse(key).item_no is None:
            parsed.append(key)
    refused = {}
    # A refused value falls back to the stored one, which may break a rule for another write.
    while True:
        newly = {}
        for key in parsed:
            message = None if key in refused else _breach(application, key, values)
            if message:
                newly[key] = message
        if not newly:
            return refused
        refused.update(newly)
        values.update({key: stored.get(key) for key in newly})


def _breach(application, key, answers):
    """Why the answer at `key` breaks a check of its form given every answer, or None."""
    template = template_for(application, AnswerKey.parse(key).form)
    values = {f.key: answers.get(f"{template.code}:{f.key}") for f in template.fields()}
    try:
        refuse_cross_field(template, key, values)
    except ValidationFailed as exc:
        return exc.message
    return None
