"""Checklist items: 是/否 (a 否 may carry a 说明); an item needing evidence waits for a photo."""
from bots.conversation import answers, flow, replies, steps
from bots.conversation.matchers import acknowledgement, normalized, number, other_steps_word, plain_text
from miniapp_backend.forms.validation import is_bare_number
from miniapp_backend.forms.yes_no import is_figure, says_none, split_yes_no_note


def answer(turn):
    """Write the item's answer; move on unless a photo is still needed."""
    step = flow.current_step(turn)
    if _none_after_yes(turn, step):
        turn.say(replies.NONE_AFTER_YES.format(no=step.no))
        return turn.stay()
    # The answer is checked against its stored revision, and the next step's is shown next.
    turn.draft.expect(step.key, steps.after(turn.application, step).key)
    done, note = split_yes_no_note(turn.text)
    answers.write(turn, step, {"done": done, "note": note})
    value = turn.draft.value(step.key)
    photos = turn.draft.photos(step.key)
    state = flow.after_answer(turn, step, replies.item_saved(step.no, value, photos))
    if done is False and not note and turn.position.key != step.key:
        turn.position.scratch[flow.NOTE_FOR] = step.key
    return state


def _none_after_yes(turn, step):
    """A bare 没有 while the item answered 是 waits for photos: 否, or no photo (yet)? Asked once:
    any answer ends the wait, so a 没有 after the question is a 否."""
    waiting = turn.position.scratch.pop(flow.PHOTOS_AFTER_YES, None) == step.key
    return waiting and says_none(turn.text)


def _bare_no(turn):
    """The item answered with a bare 否 just before, if it still has no 说明; else None."""
    key = turn.position.scratch.get(flow.NOTE_FOR)
    value = turn.draft.value(key) if key else None
    if not value or value.get("done") is not False or value.get("note"):
        return None
    return steps.find(turn.application, key)




def late_note(turn):
    """Text that is no answer, right after a bare 否: the 说明 of that 否 (“否” then “正在筹建”)."""
    # The pending 否 first: with none (the usual case) the text is left alone, whatever it is.
    return (_bare_no(turn) is not None and plain_text(turn) and not number(turn) and not other_steps_word(turn)
            and not acknowledgement(turn) and normalized(turn.text).lower() not in ("确认", "确定"))


def stray_note(turn):
    """A bare number ("3", "３。") right after a bare 否: a pick meant for an earlier list, not its 说明."""
    return _bare_no(turn) is not None and plain_text(turn) and is_bare_number(turn.text)


def figure(turn):
    """A number with a thousands separator or a decimal ("1,500"): no 是/否 (its 1 is no 是)."""
    return plain_text(turn) and is_figure(turn.text)


def refuse_figure(turn):
    """Not recorded: the item is answered 是 or 否; its question again."""
    step = flow.current_step(turn)
    turn.say(replies.ITEM_FIGURE.format(text=turn.text.strip(), no=step.no), flow.state_prompt(turn))
    return turn.stay()


def refuse_note(turn):
    """Not stored as the 说明 (the 否 still waits for one): why, and the current question again."""
    step = _bare_no(turn)
    turn.say(replies.STRAY_NOTE.format(number=normalized(turn.text), no=step.no), flow.state_prompt(turn))
    return turn.stay()


def add_note(turn):
    """Write the 说明 to the item answered 否 and ask the current item again."""
    step = _bare_no(turn)
    here = turn.position.revision  # the revision of the item now open, which stays open
    answers.write(turn, step, {"done": False, "note": turn.text})
    turn.position.revision = here
    turn.position.scratch.pop(flow.NOTE_FOR)  # only now: a 说明 refused as too long may come again
    turn.say(replies.note_added(step.no, turn.draft.value(step.key)), flow.state_prompt(turn))
    return turn.stay()
