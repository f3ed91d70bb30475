"""A 暖心驿站 application first names its station: pick one of the org's, or register a new one."""
from bots.conversation import flow, replies
from bots.conversation.position import State
from miniapp_backend.models import STATION_STATUS_LABELS, Station, StationKind, StationStatus
from miniapp_backend.services import drafts, stations
from workers import stations as station_jobs

GONE = (StationStatus.CLOSED, StationStatus.MOVED)


def _org_stations(org):
    """The org's stations that can still apply."""
    return list(Station.select().where(Station.org == org, Station.status.not_in(GONE))
                .order_by(Station.id))


def start(turn, kind):
    """List the org's stations, or go straight to registering the first one."""
    turn.position.scratch = {"kind": kind}
    found = _org_stations(turn.org)
    if not found:
        turn.say(replies.STATION_NONE_YET, replies.ASK_STATION_NAME)
        return State.STATION_NAME
    turn.position.choices = [s.id for s in found]
    lines = [replies.station_line(s.name, STATION_STATUS_LABELS[StationStatus(s.status)], s.address)
             for s in found]
    turn.say(replies.station_choices(lines))
    return State.CHOOSE_STATION


def _open_for(turn, station, *lead):
    """Start or resume the station's application."""
    application = drafts.start_or_resume(turn.person, turn.org, turn.campaign,
                                         turn.position.scratch["kind"], station=station,
                                         today=turn.today)
    turn.position.choices, turn.position.scratch = [], {}
    return flow.open_application(turn, application, *lead)


def pick(turn):
    """A station by its number."""
    choices = turn.position.choices
    if not 1 <= turn.number <= len(choices):
        turn.say(replies.PICK_NUMBER.format(count=len(choices)))
        return turn.stay()
    return _open_for(turn, Station.get_by_id(choices[turn.number - 1]))


def ask_name(turn):
    """新建: start registering a station."""
    turn.say(replies.ASK_STATION_NAME)
    return State.STATION_NAME


def take_name(turn):
    """The new station's name (2–100 characters)."""
    turn.position.scratch["name"] = stations.clean({"name": turn.text})["name"].strip()
    turn.say(replies.ASK_STATION_ADDRESS)
    return State.STATION_ADDRESS


def take_address(turn):
    """The new station's address."""
    turn.position.scratch["address"] = stations.clean({"address": turn.text})["address"].strip()
    turn.say(replies.ASK_STATION_LOCATION)
    return State.STATION_LOCATION


# A registration step's previous one: the state and its question (the name goes back to the list).
PREVIOUS = {State.STATION_ADDRESS: (State.STATION_NAME, replies.ASK_STATION_NAME),
            State.STATION_LOCATION: (State.STATION_ADDRESS, replies.ASK_STATION_ADDRESS)}
QUESTIONS = {State.STATION_NAME: replies.ASK_STATION_NAME, State.STATION_ADDRESS: replies.ASK_STATION_ADDRESS,
             State.STATION_LOCATION: replies.ASK_STATION_LOCATION}


def back(turn):
    """上一步: the registration's previous question; from the name, the org's stations again."""
    if turn.position.state not in PREVIOUS:
        return start(turn, turn.position.scratch["kind"])
    state, question = PREVIOUS[turn.position.state]
    turn.say(question)
    return state


def no_skip(turn):
    """跳过: a station needs its name, address and location; 取消 leaves."""
    turn.say(replies.STATION_NO_SKIP, QUESTIONS[turn.position.state])
    return turn.stay()


def early_location(turn):
    """A location before the name or address is answered: the question again (the location is last)."""
    turn.say(replies.STATION_LOCATION_LATER, QUESTIONS[turn.position.state])
    return turn.stay()


def take_location(turn):
    """The location message places the station; then its application opens."""
    scratch, incoming = turn.position.scratch, turn.incoming
    station = stations.create_station(turn.org, name=scratch["name"], address=scratch["address"],
                                      lat=incoming.lat, lng=incoming.lng,
                                      kind=StationKind.WARM_STATION, public=True)
    station_jobs.station_changed(turn.redis, turn.config, station)
    return _open_for(turn, station, replies.STATION_CREATED.format(name=station.name))
