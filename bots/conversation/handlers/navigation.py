"""Moving about: 上一步, 跳过, 第N项 / 修改 N, 暂停, 继续, 取消, 更多, and asking again."""
from bots.conversation import flow, replies, steps
from bots.conversation.matchers import parse_command, parse_number
from bots.conversation.position import PAUSED_IN, REGISTERING, State, live_application
from bots.conversation.steps import StepKind
from miniapp_backend.services.drafts import templates

ECHO_CHARS = 20  # of a message not understood, quoted back


def _step_or_explain(turn):
    """The current step, or None after telling the user there is no draft in hand."""
    step = flow.current_step(turn)
    if step is None:
        flow.explain_no_application(turn)
    return step


def back(turn):
    """上一步: the step before this one."""
    step = _step_or_explain(turn)
    if step is None:
        return turn.stay()
    previous = steps.before(turn.application, step)
    return flow.go_to(turn, previous, *([replies.NOTHING_BEFORE] if previous == step else []))


def skip(turn):
    """跳过 / 下一项: leave this step (answered or not) for the next one."""
    step = _step_or_explain(turn)
    if step is None:
        return turn.stay()
    # The review has nothing to skip (it is asked again); a header view is never "answered".
    answered = step.kind == StepKind.REVIEW or (step.kind != StepKind.HEADER and turn.draft.answer(step.key))
    return flow.advance(turn, step, *([] if answered else [replies.SKIPPED]))


def _form_by_word(turn, word, step):
    """The form a jump names (登记表 / 验收单), else the current one; AMBIGUOUS outside any form
    of a bundle with several."""
    forms = templates(turn.application)
    if word:
        named = [t for t in forms if replies.FORM_NAMES[t.kind] == word]
        return named[0] if named else None
    if step is not None and step.template is not None:
        return step.template
    return forms[0] if len(forms) == 1 else AMBIGUOUS


AMBIGUOUS = object()


def jump(turn):
    """第N项 / 修改 N: open the step numbered N of the current (or named) form."""
    if turn.application is None:
        return flow.explain_no_application(turn)
    word, written = parse_command(turn.text)[1].groups()
    number = parse_number(written)
    template = _form_by_word(turn, word, flow.current_step(turn))
    if template is AMBIGUOUS:
        names = [replies.FORM_NAMES[t.kind] for t in templates(turn.application)]
        turn.say(replies.WHICH_FORM.format(number=number, first=names[0], second=names[-1]))
        return turn.stay()
    target = steps.numbered(turn.application, template, number) if template and number else None
    lead = []
    if target is None and template and number and not word:
        target, lead = _in_the_other_form(turn.application, template, number)
    if target is None:
        turn.say(replies.NO_SUCH_NUMBER.format(number=number if number is not None else written))
        return turn.stay()
    return flow.go_to(turn, target, *lead)


def _in_the_other_form(application, template, number):
    """(step, lead) of the one other form of the bundle that has number `number` when the form in
    hand has none (第16项 at a 15-item 验收单 is the 登记表's); else (None, [])."""
    others = [(t, steps.numbered(application, t, number)) for t in templates(application) if t is not template]
    found = [(t, step) for t, step in others if step is not None]
    if len(found) != 1:
        return None, []
    other, step = found[0]
    return step, [replies.OPENED_IN_OTHER_FORM.format(here=replies.FORM_NAMES[template.kind], number=number,
                                                      there=replies.FORM_NAMES[other.kind])]


def header(turn):
    """表头 / 验收单表头: the header view of the current (or named) form, to correct a field."""
    if turn.application is None:
        return flow.explain_no_application(turn)
    word = parse_command(turn.text)[1].group(1)
    template = _form_by_word(turn, word, flow.current_step(turn))
    if template is AMBIGUOUS:
        names = [replies.FORM_NAMES[t.kind] for t in templates(turn.application)]
        turn.say(replies.WHICH_HEADER.format(first=names[0], second=names[-1]))
        return turn.stay()
    if template is None:
        turn.say(replies.NO_SUCH_FORM.format(word=word))
        return turn.stay()
    left = flow.current_step(turn)
    if left is not None and left.kind not in flow.HEADER_STEPS:
        # A header is a detour: 确认 brings the chair back to this step, not to the first item.
        turn.position.scratch[flow.HEADER_LEFT] = {"key": left.key, "revision": turn.position.revision}
    return flow.go_to(turn, steps.header_of(template))


def _place(step):
    """Where a step is, for 暂停."""
    if step.kind == StepKind.HEADER:
        return replies.HEADER_PLACE
    if step.kind == StepKind.REVIEW:
        return replies.REVIEW_PLACE
    return replies.place(step.no, step.item.category if step.item else step.field.label)


def pause(turn):
    """暂停: keep the place; 继续 comes back exactly here."""
    step = _step_or_explain(turn)
    if step is None:
        return turn.stay()
    turn.position.scratch.pop(PAUSED_IN, None)  # 继续 is to this step, not a registration
    turn.say(replies.PAUSED.format(where=_place(step)))
    return State.PAUSED


def resume(turn):
    """继续: back to where the chair was, or the first open step of the live draft."""
    application = turn.application or live_application(turn.person)
    if application is None:
        return flow.explain_no_application(turn)
    return flow.open_application(turn, application)


# 取消 while registering a station: its name and address were not kept (nothing is registered yet).
CANCELLED_IN = dict.fromkeys(REGISTERING, replies.STATION_CANCELLED)


def cancel(turn):
    """取消: leave the current flow; nothing already answered is lost."""
    turn.say(CANCELLED_IN.get(turn.position.state, replies.CANCELLED))
    return turn.go_idle()


def more(turn):
    """更多: the next page of a long reply."""
    turn.keep_pages = True
    turn.say(turn.position.pages.pop(0) if turn.position.pages else replies.NO_MORE)
    return turn.stay()


def reask(turn):
    """Anything else: say what was not understood and ask the current question again."""
    if turn.text:
        shown = turn.text if len(turn.text) <= ECHO_CHARS else turn.text[:ECHO_CHARS] + "…"
        turn.say(replies.NOT_UNDERSTOOD.format(text=shown))
    turn.say(flow.state_prompt(turn))
    return turn.stay()
