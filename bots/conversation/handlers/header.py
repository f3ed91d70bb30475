"""The header view: prefilled header fields confirmed with one 确认, or corrected one by one."""
from bots.conversation import flow, replies, steps
from bots.conversation.matchers import header_row_number


def confirm(turn):
    """确认: on to the body of the form, unless a required header field is still empty."""
    step = flow.current_step(turn)
    for field_step in steps.header_field_steps(step.template):
        if field_step.field.required and not steps.is_filled(turn.draft.value(field_step.key)):
            return flow.go_to(turn, field_step, replies.HEADER_BLANK.format(label=field_step.field.label))
    return flow.advance(turn, step, replies.HEADER_DONE)


def edit(turn):
    """A row number (修改3 too): correct that header field (then the header view comes back)."""
    step = flow.current_step(turn)
    fields = steps.header_field_steps(step.template)
    number = header_row_number(turn.text)
    if not 1 <= number <= len(fields):
        turn.say(replies.PICK_NUMBER.format(count=len(fields)))
        return turn.stay()
    return flow.go_to(turn, fields[number - 1])
