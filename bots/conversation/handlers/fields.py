"""Free fields: phones, counts, dates, names, 信用代码, choices by number, percentages."""
import datetime as dt

from bots.conversation import answers, flow, replies, steps
from bots.conversation.matchers import normalized, plain_text
from bots.conversation.steps import FieldType
from miniapp_backend.forms.validation import is_stray_number
from miniapp_backend.forms.yes_no import split_yes_no_note


# A date said as a day relative to the chat's own day (填表日期: “今天”).
RELATIVE_DAYS = {"今天": 0, "今日": 0, "昨天": -1, "昨日": -1, "前天": -2, "明天": 1}


def answer(turn):
    """The reply is the field's value: validated, written at once, then the next step."""
    step = flow.current_step(turn)
    answers.write(turn, step, _as_typed(step.field, turn))
    value = turn.draft.value(step.key)
    warnings = answers.warnings_for(turn.draft, step)
    lead = replies.SAVED.format(label=step.field.label, value=replies.value_text(step.field, value))
    note = _left_out_note(step.field, turn.text)
    if note:
        lead += "\n" + replies.NOTE_LEFT_OUT.format(note=note)
    return flow.after_answer(turn, step, lead, replies.warnings(warnings))


def _as_typed(field, turn):
    """The value to check: the text, or for a date said as 今天 / 昨天 that day."""
    shift = RELATIVE_DAYS.get(normalized(turn.text)) if field.type == FieldType.DATE else None
    return turn.text if shift is None else (turn.today + dt.timedelta(days=shift)).isoformat()


def _left_out_note(field, text):
    """The 说明 after a 是/否 given to a 是/否 field, which stores the choice alone; else ""."""
    if set(field.choices or ()) != {"是", "否"}:
        return ""
    answer, note = split_yes_no_note(text)
    return note if answer is not None else ""


def stray_word(turn):
    """完成, 查看, 重写… belong to other steps (a long text, a roster): not this field's value."""
    step = flow.current_step(turn)
    turn.say(replies.STRAY_WORD.format(word=turn.text.strip(), label=step.field.label))
    turn.say(flow.state_prompt(turn))
    return turn.stay()


def stray_number(turn):
    """A bare number sent where words are asked (a unit's name, honours, a description)."""
    if not plain_text(turn):
        return False
    step = flow.current_step(turn)
    return step is not None and step.field is not None and is_stray_number(step.field, turn.text)


def refuse_number(turn):
    """Not stored: a number meant for a list shown earlier; the field's question again."""
    step = flow.current_step(turn)
    turn.say(replies.STRAY_NUMBER.format(number=normalized(turn.text), label=step.field.label))
    turn.say(flow.state_prompt(turn))
    return turn.stay()


def keep(turn):
    """确认: keep the value already there (prefilled or from the mini-program), once it is the
    value the chair was shown."""
    step = flow.current_step(turn)
    answer = turn.draft.answer(step.key)
    if answer is None or not steps.is_filled(answer.value):
        turn.say(replies.NOTHING_TO_KEEP)
        return turn.stay()
    if answer.revision != answers.seen_revision(turn, step.key):  # changed since shown
        changed = replies.CHANGED_IN.get(answer.channel, replies.CHANGED_ELSEWHERE)
        lead = replies.CHANGED_SINCE_SHOWN.format(label=step.field.label, changed=changed)
        return flow.go_to(turn, step, lead)
    return flow.after_answer(turn, step)
