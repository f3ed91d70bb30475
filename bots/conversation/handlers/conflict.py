"""A field changed in the mini-program since the chair saw it: show it, then 覆盖 or 保留."""
from bots.conversation import answers, flow, prompts, replies, steps
from bots.conversation.position import State


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
