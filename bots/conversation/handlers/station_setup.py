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


def take_location(turn):
    """The location message places the station; then its application opens."""
    scratch, incoming = turn.position.scratch, turn.incoming
    station = stations.create_station(turn.org, name=scratch["name"], address=scratch["address"],
                                      lat=incoming.lat, lng=incoming.lng,
                                      kind=StationKind.WARM_STATION, public=True)
    station_jobs.station_changed(turn.redis, turn.config, station)
    return _open_for(turn, station, replies.STATION_CREATED.format(name=station.name))
