"""A field changed in the mini-program since the chair saw it: show it, then 覆盖 or 保留 (or,
for a single value, a new one)."""
from bots.conversation import answers, flow, prompts, replies, steps
from bots.conversation.handlers import fields
from bots.conversation.matchers import acknowledgement, normalized, plain_text
from bots.conversation.position import State, state_of
from miniapp_backend.forms.validation import is_bare_number, is_stray_number
from miniapp_backend.services import drafts
from miniapp_backend.services.errors import ValidationFailed


def ask(turn, conflict):
    """Remember both values and ask which one stands."""
    turn.position.scratch["conflict"] = {"key": conflict.key, "mine": conflict.mine,
                                         "theirs": conflict.theirs, "revision": conflict.revision,
                                         "channel": conflict.channel}
    step = steps.find(turn.application, conflict.key)
    turn.say(prompts.conflict_prompt(step, turn.position.scratch["conflict"]))
    return State.CONFLICT


def _resolve(turn):
    """The conflicting step, with the position now at the newer revision."""
    conflict = turn.position.scratch.pop("conflict")
    step = steps.find(turn.application, conflict["key"])
    turn.position.key, turn.position.revision = step.key, conflict["revision"]
    return step, conflict["mine"], conflict.get("channel", "")


def overwrite(turn):
    """覆盖: write the chair's value over the newer one."""
    step, mine, _channel = _resolve(turn)
    if mine is None:
        answers.clear(turn, step)
    else:
        answers.write(turn, step, mine)
    return flow.after_answer(turn, step, replies.OVERWRITTEN)


def keep(turn):
    """保留: the newer value stands; carry on from there."""
    step, _mine, channel = _resolve(turn)
    return flow.after_answer(turn, step, replies.KEPT_THEIRS.get(channel, replies.KEPT_CURRENT))


def _step(turn):
    """The step whose conflict is asked, or None when it is gone."""
    key = turn.position.scratch.get("conflict", {}).get("key", "")
    return steps.find(turn.application, key) if turn.application and key else None


def _takes_as_value(turn, step):
    """Whether the text is a valid value of a single value's field (a roster row or a text's
    paragraph would add to the newer content, so those wait for 覆盖 or 保留; a bare number where
    words are asked is a stray pick, not a value)."""
    if state_of(step) != State.FIELD or is_stray_number(step.field, turn.text):
        return False
    try:
        drafts.parse_answer(turn.application, step.key, turn.text, turn.today)
    except ValidationFailed:
        return False
    return True


def new_value(turn):
    """Matches a valid value other than 覆盖/保留 while a single value's conflict is asked;
    anything else is not understood and the question asked again."""
    step = _step(turn)
    # 好的 / 收到 says neither 覆盖 nor 保留, and is no text field's value either.
    return plain_text(turn) and not acknowledgement(turn) and step is not None and _takes_as_value(turn, step)


def stray_number(turn):
    """A bare number ("1", "２") while 覆盖 or 保留 is asked and that new_value (tried first, the
    one parse of the reply) did not take: neither choice, whichever it was meant for."""
    return plain_text(turn) and is_bare_number(turn.text)


def refuse_number(turn):
    """Neither choice is made for a number: say so, and ask again with both."""
    turn.say(replies.CONFLICT_NUMBER.format(number=normalized(turn.text)), flow.state_prompt(turn))
    return turn.stay()


def answer_anew(turn):
    """A third value: the newer one has been shown, so this answers the field over it."""
    _resolve(turn)
    turn.position.state = State.FIELD  # a refusal from here on leaves the chair at the field
    return fields.answer(turn)


def none_open(turn):
    """覆盖 / 保留 at a field or a long text with no conflict question open: what they answer, not
    stored (no value, no paragraph), and the step's question again."""
    step = flow.current_step(turn)
    said = replies.NO_CONFLICT_OPEN[turn.position.state]  # a FIELD's or a LONGTEXT's wording
    turn.say(said.format(word=normalized(turn.text), label=step.field.label), flow.state_prompt(turn))
    return turn.stay()
