"""Rosters (工会正副主席情况): a row per line, one or more per message; 完成 ends, 清空 starts over."""
from bots.conversation import answers, flow, replies
from miniapp_backend.forms import FieldError
from miniapp_backend.forms.roster_rows import left_out_notes
from miniapp_backend.forms.validation import parse_roster_row
from miniapp_backend.services.errors import ValidationFailed


def _limits(field):
    """(minimum, maximum) rows."""
    return field.min_rows or (1 if field.required else 0), field.max_rows


def add_row(turn):
    """Validate the message's rows (one per line: several are often pasted at once), append them
    and write the whole roster at once; one bad row saves none."""
    step = flow.current_step(turn)
    rows = list(turn.draft.value(step.key) or [])
    _low, high = _limits(step.field)
    if len(rows) >= high:
        turn.say(replies.ROSTER_FULL.format(high=high))
        return turn.stay()
    lines = [line for line in turn.text.splitlines() if line.strip()]
    if len(rows) + len(lines) > high:
        turn.say(replies.ROSTER_TOO_MANY.format(count=len(lines), room=high - len(rows), high=high))
        return turn.stay()
    first = len(rows) + 1
    notes = []
    try:
        for number, line in enumerate(lines, first):
            row = parse_roster_row(step.field, line, f"第{number}行：" if len(lines) > 1 else "")
            if row in rows:  # sent again: saved once is enough
                return _refuse_repeat(turn, step, row, rows.index(row) + 1, number if len(lines) > 1 else None)
            rows.append(row)
            notes += [(number, column, note) for column, note in left_out_notes(step.field, line, row)]
    except FieldError as exc:
        raise ValidationFailed(exc.message, key=step.key) from None
    answers.write(turn, step, rows)
    # The rows as read back (党员 is 中共党员, 45岁 is 45), so a misread cell is seen at once.
    saved = {"count": "、".join(str(n) for n in range(first, len(rows) + 1)), "high": high,
             "row": "；".join(replies.roster_row(step.field, row) for row in rows[first - 1:])}
    # A 说明 after a cell's option has no room in the table: said, not dropped unmentioned.
    left_out = [replies.roster_note_left_out(column, note, number if len(lines) > 1 else None)
                for number, column, note in notes]
    if len(rows) >= high:
        return flow.advance(turn, step, replies.ROSTER_LAST_ROW_SAVED.format(**saved), *left_out)
    turn.say(replies.ROSTER_ROW_SAVED.format(**saved), *left_out)
    return turn.stay()


def _refuse_repeat(turn, step, row, same, number):
    """A row equal to row `same` (`number`: its own row number when the message had several)."""
    shown = replies.roster_row(step.field, row)
    if number is None:
        turn.say(replies.ROSTER_REPEATED.format(same=same, row=shown))
    else:
        turn.say(replies.ROSTER_REPEATED_IN_MESSAGE.format(number=number, same=same, row=shown))
    return turn.stay()


def acknowledged(turn):
    """好的 / 收到 after a row was recorded: no row; how to go on."""
    turn.say(replies.ROSTER_NOT_ACKNOWLEDGED.format(word=turn.text.strip()))
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
