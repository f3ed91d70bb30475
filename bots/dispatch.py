"""Routing parsed WeChat messages: a registry keyed by message type, event and menu key.

Each entry turns one kind of message into conversation input (or answers it directly);
anything unregistered is answered with nothing ("success"), never an error.
"""
import logging

from bots import activity
from bots.conversation import engine, flow, replies, states
from bots.conversation.engine import Reply
from bots.conversation.handlers import account, nearby
from bots.conversation.matchers import Incoming, InputKind
from bots.menu import MENU_COMMANDS, MenuKey
from miniapp_backend.services import scenes, stations, template_reports

log = logging.getLogger(__name__)

# WeChat sends a location_select pick as an event and, on some clients, as a location message
# too: a message with the place just picked within this window is that echo, answered by the
# event already. A place the user sends twice (no pick) is answered twice.
LOCATION_ECHO_KEY = "chat:location:{}:{:.4f},{:.4f}"
LOCATION_ECHO_SECONDS = 10
# Reports WeChat makes on its own, not a user acting: no customer-service window opens.
PASSIVE_EVENTS = frozenset({"unsubscribe", "templatesendjobfinish", "masssendjobfinish",
                            "location", "view"})


class Registry:
    """Handlers by message type and by event name."""

    def __init__(self):
        self.messages, self.events = {}, {}

    def message(self, *types):
        """Register a handler for message types."""
        def register(func):
            """Add `func` under each type."""
            self.messages.update(dict.fromkeys(types, func))
            return func
        return register

    def event(self, *names):
        """Register a handler for events (lower-case, as wechatpy names them)."""
        def register(func):
            """Add `func` under each event."""
            self.events.update(dict.fromkeys(names, func))
            return func
        return register

    def handler_for(self, message):
        """The registered handler, or one that answers nothing."""
        if message.type == "event":
            return self.events.get(message.event, ignore)
        return self.messages.get(message.type, ignore)


registry = Registry()


def user_acted(message):
    """True for messages and events a user made (they open the customer-service window)."""
    return message.type != "unknown" and getattr(message, "event", "") not in PASSIVE_EVENTS


def dispatch(inbound, message):
    """The Reply to one parsed message."""
    return registry.handler_for(message)(inbound, message)


def ignore(_inbound, _message):
    """Nothing to say: WeChat gets "success"."""
    return Reply()


@registry.message("text")
def text(inbound, message):
    """Text goes to the conversation."""
    return engine.converse(inbound, Incoming(InputKind.TEXT, text=message.content or ""))


@registry.message("image")
def image(inbound, message):
    """A photo goes to the conversation (attached to the open item)."""
    return engine.converse(inbound, Incoming(InputKind.PHOTO, media_id=message.media_id))


def _place(lat, lng):
    """(lat, lng) as floats, or None for values that are not numbers."""
    try:
        return float(lat), float(lng)
    except (TypeError, ValueError):
        return None


def _location(inbound, place, label):
    """The conversation's answer to a place the user sent."""
    lat, lng = place
    return engine.converse(inbound, Incoming(InputKind.LOCATION, lat=lat, lng=lng, label=label or ""))


@registry.message("location")
def location_message(inbound, message):
    """Location_X is latitude, Location_Y longitude (GCJ-02); the echo of a pick gets "success"."""
    place = _place(message.location_x, message.location_y)
    if place is None:
        return Reply(replies.UNSUPPORTED)
    if inbound.redis.delete(LOCATION_ECHO_KEY.format(inbound.openid, *place)):
        return Reply()
    return _location(inbound, place, message.label)


@registry.event("location_select")
def location_picked(inbound, event):
    """The 附近驿站 button's location picker."""
    place = _place(event.location_x, event.location_y)
    if place is None:
        return Reply(replies.UNSUPPORTED)
    inbound.redis.set(LOCATION_ECHO_KEY.format(inbound.openid, *place), 1, ex=LOCATION_ECHO_SECONDS)
    return _location(inbound, place, event.label)


def _aside(inbound, text):
    """Say `text`, then the question the user is at (in the middle of a form they are not left
    without it); nothing else changes."""
    def handle(turn):
        """`text` and the open question again."""
        turn.say(text)
        flow.reask_after_aside(turn)
        return turn.stay()
    return engine.converse(inbound, Incoming(InputKind.TEXT), handler=handle)


@registry.message("voice")
def voice(inbound, message):
    """Voice with WeChat's speech recognition counts as text; plain voice is not understood."""
    if message.recognition:
        return engine.converse(inbound, Incoming(InputKind.TEXT, text=message.recognition))
    return _aside(inbound, replies.VOICE_UNSUPPORTED)


@registry.message("video", "shortvideo", "link", "miniprogrampage")
def unsupported(inbound, _message):
    """Messages the conversation has no use for."""
    return _aside(inbound, replies.UNSUPPORTED)


@registry.event("click")
def click(inbound, event):
    """A menu click is the command it stands for."""
    command = MENU_COMMANDS.get(event.key, MENU_COMMANDS[MenuKey.HELP])
    return engine.converse(inbound, Incoming(InputKind.TEXT, text=command), handler=states.as_command)


def _scene_handler(scene, greet=False):
    """A turn handler showing what a scanned parametric code opens (after a welcome)."""
    def handle(turn):
        """Welcome if asked, then the scanned station (or why not)."""
        if greet:
            account.welcome(turn)
        decoded = scenes.decode(scene)
        if decoded is not None and decoded[0] == scenes.SceneKind.STATION:
            nearby.show_station(turn, stations.by_scene(scene))
        elif scene:
            turn.say(replies.SCAN_UNRECOGNIZED)
        flow.reask_after_aside(turn)  # a chair in the middle of a form is not left without its question
        return turn.stay()
    return handle


@registry.event("subscribe")
def subscribed(inbound, event):
    """A new follower."""
    activity.note_followed(inbound.openid)
    return engine.converse(inbound, Incoming(InputKind.TEXT), handler=_scene_handler("", greet=True))


@registry.event("subscribe_scan")
def subscribed_by_scan(inbound, event):
    """Followed by scanning a code (qrscene_ stripped by wechatpy): welcome, then the station."""
    activity.note_followed(inbound.openid)
    return engine.converse(inbound, Incoming(InputKind.TEXT),
                           handler=_scene_handler(event.scene_id, greet=True))


@registry.event("scan")
def scanned(inbound, event):
    """A follower scanned a station's code."""
    return engine.converse(inbound, Incoming(InputKind.TEXT), handler=_scene_handler(event.scene_id))


@registry.event("scancode_push", "scancode_waitmsg")
def scanned_in_app(inbound, event):
    """The 扫码 button: a station's page URL or scene, or something else."""
    def handle(turn):
        """The scanned station, or that the code is not ours."""
        info = event.scan_code_info if isinstance(event.scan_code_info, dict) else {}
        station = nearby.station_of_scan(turn.config, info.get("ScanResult", ""))  # absent: not ours
        if station is None:
            turn.say(replies.SCAN_UNRECOGNIZED)
        else:
            nearby.show_station(turn, station)
        flow.reask_after_aside(turn)
        return turn.stay()
    return engine.converse(inbound, Incoming(InputKind.TEXT), handler=handle)


@registry.event("unsubscribe")
def unsubscribed(inbound, _event):
    """No more official-account messages to this user."""
    activity.note_unsubscribed(inbound.redis, inbound.openid)
    return Reply()


@registry.event("templatesendjobfinish")
def template_delivered(inbound, event):
    """WeChat reports how a template message ended: the ledger records one that did not arrive,
    or the outcome of one WeChat never answered for."""
    template_reports.record(inbound.redis, inbound.openid, event.id, event.status)
    return Reply()
