"""A field changed in the mini-program since the chair saw it: show it, then 覆盖 or 保留 (or,
for a single value, a new one)."""
from bots.conversation import answers, flow, prompts, replies, steps
from bots.conversation.handlers import fields
from bots.conversation.matchers import plain_text
from bots.conversation.position import State, state_of
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


def new_value(turn):
    """Matches a valid value other than 覆盖/保留 while a single value's conflict is asked (a roster
    row or a text's paragraph would add to the newer content, so those wait for 覆盖 or 保留);
    anything else is not understood and the question asked again."""
    key = turn.position.scratch.get("conflict", {}).get("key", "")
    step = steps.find(turn.application, key) if turn.application and key else None
    if not plain_text(turn) or step is None or state_of(step) != State.FIELD:
        return False
    try:
        drafts.parse_answer(turn.application, key, turn.text, turn.today)
    except ValidationFailed:
        return False
    return True


def answer_anew(turn):
    """A third value: the newer one has been shown, so this answers the field over it."""
    _resolve(turn)
    turn.position.state = State.FIELD  # a refusal from here on leaves the chair at the field
    return fields.answer(turn)
