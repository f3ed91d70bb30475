"""Photos: sent while an item is open they attach to it; 这张也用于… shares the last one."""
from bots.conversation import flow, replies
from bots.conversation.matchers import parse_command, parse_numbers
from bots.conversation.steps import FormKind, StepKind
from miniapp_backend.models.chat_media import ChatMedia, MediaStatus
from miniapp_backend.services import drafts, evidence
from miniapp_backend.services.drafts import templates
from miniapp_backend.services.errors import ValidationFailed
from workers import media as chat_media


def attach(turn):
    """An image on the open item: recorded now, downloaded by a job; the count includes both."""
    step = flow.current_step(turn)
    drafts.require_editable(turn.application, turn.person, turn.today, turn.may_fill)
    evidence.require_room(step.key, turn.draft.photos(step.key))
    media = chat_media.receive(turn.application, turn.person, turn.incoming.media_id, step.key, turn.today)
    chat_media.fetch_later(turn.redis, media, turn.today)
    turn.position.last_media = media.id
    turn.position.scratch.pop(flow.NOTE_FOR, None)  # a text after this photo is about this item
    turn.draft.photos_changed()
    value = turn.draft.value(step.key)
    answered = value is not None
    if answered and value.get("done"):
        turn.position.scratch[flow.PHOTOS_AFTER_YES] = step.key  # “可继续发送”: 没有 may mean no more
    turn.say(replies.photo_received(step.no, turn.draft.photos(step.key), answered))
    return turn.stay()


def _takes_no_photos(turn):
    """The application in hand has no checklist (a 登记表 alone): told so, as no item could be opened."""
    if turn.application is None or any(t.kind == FormKind.CHECKLIST for t in templates(turn.application)):
        return False
    turn.say(replies.PHOTO_NOT_ASKED)
    return True


def _item_jump(turn):
    """How to open an item: 第N项, or 验收单第N项 in a bundle (where 第N项 stays in the form in hand)."""
    several = turn.application is not None and len(templates(turn.application)) > 1
    return f"{replies.FORM_NAMES[FormKind.CHECKLIST]}第N项" if several else "第N项"


def remove(turn):
    """删除照片: the open item's newest photo comes off it."""
    if _takes_no_photos(turn):
        return turn.stay()
    step = flow.current_step(turn)
    if step is None or step.kind != StepKind.ITEM:
        turn.say(replies.REMOVE_NEEDS_ITEM.format(jump=_item_jump(turn)))
        return turn.stay()
    if not chat_media.remove_last(turn.application, turn.person, step.key, turn.today):
        turn.say(replies.NO_PHOTO_TO_REMOVE.format(no=step.no))
        return turn.stay()
    turn.position.last_media = None
    turn.draft.photos_changed()
    turn.say(replies.photo_removed(step.no, turn.draft.photos(step.key)))
    return turn.stay()


def elsewhere(turn):
    """An image with no item open: not kept, so 这张也用于… cannot mean an older photo."""
    turn.position.last_media = None
    if turn.org is not None:
        if not _takes_no_photos(turn):
            turn.say(replies.PHOTO_NEEDS_ITEM.format(jump=_item_jump(turn)))
        flow.reask_after_aside(turn)
    else:
        turn.say(replies.PHOTO_PUBLIC if turn.human_available else replies.PHOTO_PUBLIC_NO_HUMAN)
    return turn.stay()


def _item_slots(application, media, numbers):
    """Slots of items `numbers` on the checklist the photo was sent for (unknown numbers refused)."""
    form = media.slots[0].split(":", 1)[0]
    return [evidence.check_slot(application, f"{form}:item.{no}") for no in numbers]


def share(turn):
    """这张也用于第6、7项: the last photo also backs those items, all of them or, where one is full, none."""
    if _takes_no_photos(turn):
        return turn.stay()
    last = turn.position.last_media
    media = ChatMedia.get_or_none(ChatMedia.id == last) if last else None
    if media is None or media.application_id != turn.position.app_id:
        turn.say(replies.NO_LAST_PHOTO)
        return turn.stay()
    if media.status == MediaStatus.FAILED:  # nothing to share: it was never saved
        turn.say(replies.lost_not_shared(media.detail))
        return turn.stay()
    numbers = parse_numbers(parse_command(turn.text)[1].group(1))
    slots = _item_slots(turn.application, media, numbers)
    drafts.require_editable(turn.application, turn.person, turn.today, turn.may_fill)
    try:
        for slot in slots:
            if slot not in media.slots:  # where it is already, it takes no room
                evidence.require_room(slot, turn.draft.photos(slot))
    except ValidationFailed as exc:
        turn.say(replies.not_shared(exc.message))
        return turn.stay()
    chat_media.add_slots(media, slots, turn.today)
    turn.draft.photos_changed()
    counts = [(no, turn.draft.photos(slot)) for no, slot in zip(numbers, slots)]
    turn.say(replies.photo_shared(counts))
    return turn.stay()
