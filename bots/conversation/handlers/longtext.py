"""Long texts (主要事迹): several messages appended, 重写 / 追加 / 清空, a running count."""
from bots.conversation import answers, flow, replies
from bots.conversation.matchers import Word
from miniapp_backend.free_text import count_chars, trim_paragraphs

def add(turn):
    """Append the message (or replace all after 重写); refuse when the limit would be passed."""
    step = flow.current_step(turn)
    limit = step.field.max_chars
    stored = turn.draft.value(step.key) or ""
    rewriting = flow.rewrite_armed(turn)
    existing = "" if rewriting else stored
    paragraph = trim_paragraphs(turn.incoming.text)  # its indent kept, as typed
    combined = f"{existing}\n{paragraph}" if existing else paragraph
    total = count_chars(combined)
    if total > limit:
        kept = count_chars(stored) if rewriting else 0
        turn.say(replies.text_too_long(count_chars(existing), count_chars(paragraph), total, limit, kept))
        return turn.stay()
    answers.write(turn, step, combined)
    turn.position.scratch.pop(flow.TEXT_MODE, None)
    turn.say(replies.TEXT_SAVED.format(count=total, limit=limit))
    return turn.stay()


def acknowledged(turn):
    """好的 / 收到 after “已保存”: an acknowledgement, not a paragraph of the text."""
    step = flow.current_step(turn)
    turn.say(replies.TEXT_NOT_ACKNOWLEDGED.format(word=turn.text.strip(), label=step.field.label))
    return turn.stay()


def finish(turn):
    """完成: on to the next step (a required text must not be empty)."""
    step = flow.current_step(turn)
    if step.field.required and not turn.draft.value(step.key):
        turn.say(replies.TEXT_EMPTY.format(label=step.field.label))
        return turn.stay()
    return flow.advance(turn, step)


def show(turn):
    """查看: the whole text so far (the preview shows only its opening)."""
    step = flow.current_step(turn)
    text = turn.draft.value(step.key) or ""
    if not text:
        turn.say(replies.TEXT_NOTHING_YET)
        return turn.stay()
    turn.say(replies.full_text(step.field.label, text, step.field.max_chars, flow.rewrite_armed(turn)))
    return turn.stay()


def rewrite(turn):
    """重写: the next message replaces the whole text."""
    turn.position.scratch[flow.TEXT_MODE] = Word.REWRITE
    turn.say(replies.REWRITE_ARMED)
    return turn.stay()


def append_mode(turn):
    """追加: messages are appended again (the default)."""
    turn.position.scratch.pop(flow.TEXT_MODE, None)
    return flow.go_to(turn, flow.current_step(turn))


def clear(turn):
    """清空: empty the text."""
    step = flow.current_step(turn)
    answers.clear(turn, step)
    return flow.go_to(turn, step, replies.TEXT_CLEARED)
