"""Workers finding stations: by location (message or picker) and by scanning a station's code."""
from urllib.parse import urlparse

from bots.conversation import flow, nearby_texts, replies
from miniapp_backend.models import Station, StationStatus
from miniapp_backend.packets.qrcodes import station_url
from miniapp_backend.services import nearby, stations


def card(turn, station, metres=None):
    """One station (a Station or a nearby card) as workers see it: services, open now or not,
    address, its page."""
    labels = stations.vocabulary()
    services = [labels.get(key, key) for key in station.services or []]
    link = station_url(turn.config.public_base_url, station.code)  # the page the sign's URL code opens
    return nearby_texts.station_card(station, services, stations.open_now(station, turn.now),
                                     stations.hours_text(station), link, metres,
                                     stations.chair_contact_text(stations.chair_contact(station)))


def ask_location(turn):
    """附近驿站: a location is needed first."""
    turn.say(replies.ASK_LOCATION)
    return turn.stay()


def answer_location(turn):
    """A location: the nearest public, open stations (then, for a chair in the middle of a form,
    its question again: the location answers nothing there)."""
    lat, lng = turn.incoming.lat, turn.incoming.lng
    found = nearby.nearest(turn.redis, lat, lng)
    turn.say(nearby_texts.nearby_list([card(turn, hit.card, hit.metres) for hit in found], stations.in_district(lat, lng)))
    flow.reask_after_aside(turn)
    return turn.stay()


def show_station(turn, station):
    """A scanned station: its card, or why it is not open and the nearest alternatives."""
    if station is None:
        turn.say(nearby_texts.STATION_UNKNOWN)
        return
    if station.status == StationStatus.ACTIVE:
        turn.say(card(turn, station))
        return
    shown = {station.id}
    moved_to = stations.open_new_site(station)
    if moved_to is not None:
        turn.say(f"{nearby_texts.STATION_MOVED_TO}\n{card(turn, moved_to)}")
        shown.add(moved_to.id)  # not listed again among the alternatives
    else:
        turn.say(nearby_texts.STATION_STATES[station.status])
    others = nearby.nearest(turn.redis, station.lat, station.lng, exclude=shown)
    turn.say(nearby_texts.alternatives([card(turn, hit.card, hit.metres) for hit in others]))


def station_of_scan(config, result):
    """The station a scanned text names: its page URL, the URL of its sign's official-account
    code, or its scene string; None otherwise."""
    text = (result or "").strip()
    if not text.startswith(("http://", "https://")):
        return stations.by_scene(text)
    code = _station_page_code(config.public_base_url, urlparse(text))
    return Station.get_or_none(Station.code == code) if code else stations.by_code_url(text)


def _station_page_code(public_base_url, scanned):
    """The station code of a scanned URL (parsed) when it is one of our station pages: under the
    base URL, path included (https://host/prefix/s/<code>); "" otherwise."""
    pages = urlparse(station_url(public_base_url, ""))
    ours = (scanned.scheme, scanned.netloc.lower()) == (pages.scheme, pages.netloc.lower())
    return scanned.path[len(pages.path):].strip("/") if ours and scanned.path.startswith(pages.path) else ""
