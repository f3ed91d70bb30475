"""The header view: prefilled header fields confirmed with one 确认, or corrected one by one."""
from bots.conversation import flow, replies, steps
from bots.conversation.matchers import header_row_number
from miniapp_backend.services.drafts import answers_of


def confirm(turn):
    """确认: on to the body of the form, unless a required header field is still empty."""
    step = flow.current_step(turn)
    for field_step in steps.header_field_steps(step.template):
        if field_step.field.required and not steps.is_filled(turn.draft.value(field_step.key)):
            return flow.go_to(turn, field_step, replies.HEADER_BLANK.format(label=field_step.field.label))
    if steps.seen_revision(step, turn.draft.answer) != turn.position.revision:  # changed since shown
        changed = replies.CHANGED_SINCE_SHOWN.format(label="表头", changed=replies.CHANGED_ELSEWHERE)
        return flow.go_to(turn, step, changed)
    return flow.go_to(turn, _next_step(turn, step), replies.HEADER_DONE)


def _next_step(turn, header_step):
    """After the header: the step the chair left for 表头 while it is still theirs to answer (blank,
    or as they last saw it), else the first open step; a header reached on the way, the body."""
    left = turn.position.scratch.pop(flow.HEADER_LEFT, None)
    body = steps.after(turn.application, header_step)
    if left is None:
        return body
    step = steps.find(turn.application, left["key"])
    answer = turn.draft.answer(left["key"]) if step else None
    if step is not None and (answer is None or answer.revision == left["revision"]
                             or not steps.is_filled(answer.value)):
        return step
    # Gone, or answered meanwhile (the mini-program): asking it again would be asking twice.
    first = steps.first_open(turn.application, answers_of(turn.application))
    return body if first.key == header_step.key else first


def edit(turn):
    """A row number (修改3 too): correct that header field (then the header view comes back)."""
    step = flow.current_step(turn)
    fields = steps.header_field_steps(step.template)
    number = header_row_number(turn.text)
    if not 1 <= number <= len(fields):
        turn.say(replies.PICK_NUMBER.format(count=len(fields)))
        return turn.stay()
    return flow.go_to(turn, fields[number - 1])
