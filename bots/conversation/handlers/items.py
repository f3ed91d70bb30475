"""Checklist items: 是/否 (a 否 may carry a 说明); an item needing evidence waits for a photo."""
from bots.conversation import answers, flow, replies, steps
from miniapp_backend.forms.yes_no import split_yes_no_note


def answer(turn):
    """Write the item's answer; move on unless a photo is still needed."""
    step = flow.current_step(turn)
    # The answer is checked against its stored revision, and the next step's is shown next.
    turn.draft.expect(step.key, steps.after(turn.application, step).key)
    done, note = split_yes_no_note(turn.text)
    answers.write(turn, step, {"done": done, "note": note})
    value = turn.draft.value(step.key)
    photos = turn.draft.photos(step.key)
    return flow.after_answer(turn, step, replies.item_saved(step.no, value, photos))
