"""One turn: take the user's lock, load (or rebuild) the position, route, save, paginate."""
from dataclasses import dataclass

from bots.conversation import flow, replies
from bots.conversation import position as positions
from bots.conversation.answers import ChatConflict
from bots.conversation.context import Turn
from bots.conversation.handlers import conflict
from bots.conversation.render import paginate
from bots.conversation.states import State, routes
from miniapp_backend.services.errors import DomainError, PermissionDenied

STATION_STATES = (State.CHOOSE_STATION, *positions.REGISTERING)


@dataclass(frozen=True)
class Reply:
    """What to answer: text, or a hand-over to customer service, or nothing ("success")."""

    text: str = ""
    hand_over: bool = False


def _repaired(turn):
    """A position pointing at something gone (a deleted draft, lost scratch) is rebuilt."""
    position, state = turn.position, turn.position.state
    broken = ((state in flow.STEP_STATES and flow.current_step(turn) is None)
              or (state == State.CONFLICT and "conflict" not in position.scratch)
              or (state in STATION_STATES and "kind" not in position.scratch))
    if broken:
        turn.position = positions.rebuild(turn.person)


def _lost_binding(turn):
    """The position holds an application of an org the person no longer fills for."""
    return turn.draft is not None and not turn.may_fill


def run(turn, handler=None):
    """Route the input through the table (or to `handler`); refusals are said, conflicts asked."""
    if _lost_binding(turn):  # checked before any handler shows or changes the draft
        turn.position.state = _unbound(turn)
        return
    _repaired(turn)
    handler = handler or next(h for matches, h in routes(turn.position.state) if matches(turn))
    try:
        state = handler(turn)
    except ChatConflict as exc:
        state = conflict.ask(turn, exc)
    except PermissionDenied as exc:
        state = _unbound(turn) if turn.org is None else _refused(turn, exc)
    except DomainError as exc:
        state = _refused(turn, exc)
    turn.position.state = state


def _refused(turn, exc):
    """Say the domain's refusal and stay where the user is."""
    turn.say(replies.sentence(exc.message), replies.REFUSAL_NEXT.get(exc.details.get("reason"), ""))
    return turn.stay()


def _unbound(turn):
    """An admin removed this person's binding while a draft was in hand: the position points at a
    draft they may no longer see or touch, so it is dropped and they are told how to bind again
    (one still bound to another unit is told which binding went, and resumes there)."""
    left = turn.application.org if turn.application else None
    turn.position = positions.rebuild(turn.person)
    if turn.org is None or left is None:
        flow.explain_not_bound(turn)
    else:
        turn.say(replies.NO_LONGER_FILLS.format(org=left.full_name), flow.state_prompt(turn))
    return turn.position.state


def converse(inbound, incoming, handler=None):
    """Handle one input of one user (routed, or by `handler`) and return the Reply."""
    redis, openid = inbound.redis, inbound.openid
    with inbound.turn as held:
        position = positions.parse(held.stored) or positions.rebuild(inbound.person)
        turn = Turn(inbound.person, openid, incoming, position, redis, inbound.config,
                    inbound.now, inbound.today)
        run(turn, handler)
        pages = paginate("\n\n".join(turn.blocks), replies.PAGE_FOOTER.format)
        if not turn.keep_pages:
            turn.position.pages = pages[1:]
        held.keep(positions.dumps(turn.position))
    return Reply(pages[0], turn.hand_over)
