"""合格申报's photos of the 会员代表大会's minutes (会议记录/决议): sent before 确认 they wait for the
declaration (qualified.confirm claims them); sent for a declaration made before (合格申报 again
while it waits for confirmation) they are its at once. Each is downloaded by the chat media job."""
from bots.conversation import qualified_texts
from bots.conversation.position import DECLARED_HONOUR, MINUTES_MEDIA, QUALIFIED_KIND, State
from bots.conversation.prompts import minutes_held, minutes_prompt, qualified_confirm_prompt
from miniapp_backend.models import Honour, HonourStatus
from miniapp_backend.services import qualified, qualified_minutes
from miniapp_backend.services.errors import ValidationFailed
from workers import media as chat_media


def awaiting_confirmation(org):
    """The org's 合格 declaration of its level waiting for confirmation, or None."""
    kind = qualified.QUALIFIED_FOR_LEVEL.get(org.kind)
    live = qualified.live_qualified(org, kind) if kind else None
    return live if live is not None and live.status == HonourStatus.DECLARED else None


def adding(turn):
    """Whether the photos are for a declaration made before (not one being made)."""
    return DECLARED_HONOUR in turn.position.scratch


def add_to_declared(turn):
    """合格申报 while the unit's declaration waits: it cannot be made again, but its minutes can grow."""
    honour = awaiting_confirmation(turn.org)
    turn.position.choices = []
    turn.position.scratch = {QUALIFIED_KIND: honour.kind, DECLARED_HONOUR: honour.id, MINUTES_MEDIA: []}
    turn.say(qualified.standing_text(honour) + "。", minutes_prompt(turn))
    return State.QUALIFIED_MINUTES


def take_photo(turn):
    """A photo of the minutes: recorded now, downloaded by a job; the count says how many are in hand."""
    honour = Honour.get_by_id(turn.position.scratch[DECLARED_HONOUR]) if adding(turn) else None
    if honour is not None and honour.status != HonourStatus.DECLARED:  # decided meanwhile
        turn.say(qualified_minutes.closed_text(honour) + "。")
        return turn.go_idle()
    sent = turn.position.scratch[MINUTES_MEDIA]
    try:
        qualified_minutes.require_room(minutes_held(turn))
    except ValidationFailed as exc:
        turn.say(exc.message + "。", _next_step(turn))
        return turn.stay()
    media = chat_media.receive_minutes(turn.person, turn.incoming.media_id, honour)
    chat_media.fetch_later(turn.redis, media, turn.today)
    if media.id not in sent:
        sent.append(media.id)
    if turn.position.state == State.QUALIFIED_CONFIRM:
        turn.say(qualified_confirm_prompt(turn))
    else:
        turn.say(qualified_texts.MINUTES_RECEIVED.format(count=minutes_held(turn)))
    return turn.stay()


def remove_last(turn):
    """删除照片: the newest photo of the minutes sent in this 合格申报 comes off."""
    sent = turn.position.scratch[MINUTES_MEDIA]
    if not sent:
        turn.say(qualified_texts.NO_MINUTES_TO_REMOVE, _next_step(turn))
        return turn.stay()
    chat_media.remove_minutes_photo(sent.pop(), turn.person)
    turn.say(qualified_texts.MINUTES_REMOVED.format(count=minutes_held(turn)), _next_step(turn))
    return turn.stay()


def _next_step(turn):
    """What to ask after a photo refused or removed: the check before 确认, else for more photos."""
    return qualified_confirm_prompt(turn) if turn.position.state == State.QUALIFIED_CONFIRM else minutes_prompt(turn)


def done(turn):
    """好了: on to the check before 确认, or, for a declaration made before, the photos are its."""
    count = minutes_held(turn)
    if not count:
        turn.say(qualified_texts.MINUTES_NEEDED, minutes_prompt(turn))
        return turn.stay()
    if not adding(turn):
        turn.say(qualified_confirm_prompt(turn))
        return State.QUALIFIED_CONFIRM
    turn.say(qualified_texts.MINUTES_ADDED.format(count=count, confirmer=qualified.confirming_union(turn.org)))
    return turn.go_idle()
