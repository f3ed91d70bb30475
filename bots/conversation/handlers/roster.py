"""Rosters (工会正副主席情况): one row per message, 完成 to end, 清空 to start over."""
from bots.conversation import answers, flow, replies
from miniapp_backend.forms import FieldError
from miniapp_backend.forms.validation import parse_roster_row
from miniapp_backend.services.errors import ValidationFailed


def _limits(field):
    """(minimum, maximum) rows."""
    return field.min_rows or (1 if field.required else 0), field.max_rows


def add_row(turn):
    """Validate one row, append it and write the whole roster at once."""
    step = flow.current_step(turn)
    rows = list(turn.draft.value(step.key) or [])
    _low, high = _limits(step.field)
    if len(rows) >= high:
        turn.say(replies.ROSTER_FULL.format(high=high))
        return turn.stay()
    try:
        rows.append(parse_roster_row(step.field, turn.text))
    except FieldError as exc:
        raise ValidationFailed(exc.message, key=step.key) from None
    answers.write(turn, step, rows)
    # The row as read back (党员 is 中共党员, 45岁 is 45), so a misread cell is seen at once.
    saved = {"count": len(rows), "row": replies.roster_row(step.field, rows[-1]), "high": high}
    if len(rows) >= high:
        return flow.advance(turn, step, replies.ROSTER_LAST_ROW_SAVED.format(**saved))
    turn.say(replies.ROSTER_ROW_SAVED.format(**saved))
    return turn.stay()


def finish(turn):
    """完成: enough rows, then the next step."""
    step = flow.current_step(turn)
    low, _high = _limits(step.field)
    if len(turn.draft.value(step.key) or []) < low:
        turn.say(replies.ROSTER_NEEDS_ROWS.format(low=low))
        return turn.stay()
    return flow.advance(turn, step)


def clear(turn):
    """清空: remove every row."""
    step = flow.current_step(turn)
    answers.clear(turn, step)
    return flow.go_to(turn, step, replies.ROSTER_CLEARED)
