"""A 暖心驿站 application first names its station: pick one of the org's, or register a new one."""
from bots.conversation import flow, replies
from bots.conversation import station_texts as texts
from bots.conversation.matchers import (
    ACKNOWLEDGEMENTS, WORD_SYNONYMS, Command, Word, command, normalized, plain_text)
from bots.conversation.position import PAUSED_IN, State
from miniapp_backend.models import STATION_STATUS_LABELS, Station, StationKind, StationStatus
from miniapp_backend.forms.validation import FieldError, is_bare_number
from miniapp_backend.services import drafts, station_changes, stations
from miniapp_backend.services.import_sheets import parse_hours_text
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
        turn.say(texts.STATION_NONE_YET, texts.ASK_STATION_NAME)
        return State.STATION_NAME
    turn.position.choices = [s.id for s in found]
    lines = [texts.station_line(s.name, STATION_STATUS_LABELS[StationStatus(s.status)], s.address)
             for s in found]
    turn.say(texts.station_choices(lines))
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
    turn.say(texts.ASK_STATION_NAME)
    return State.STATION_NAME


def already_new(turn):
    """新建 sent for the name: the new station is being registered already; its name is asked."""
    turn.say(texts.STATION_ALREADY_NEW, texts.ASK_STATION_NAME)
    return turn.stay()


def take_name(turn):
    """The new station's name (2–100 characters)."""
    turn.position.scratch["name"] = stations.clean({"name": turn.text})["name"].strip()
    turn.say(texts.ASK_STATION_ADDRESS)
    return State.STATION_ADDRESS


# Replies that agree or thank (好的, 确认, 谢谢, 没问题) said to the bot, never a station's name.
_NOT_NAMES = ACKNOWLEDGEMENTS | {s.lower() for w in (Word.CONFIRM, Word.AGREE) for s in WORD_SYNONYMS[w]}


def acknowledged(turn):
    """好的 / 收到 / 确认 / 谢谢 sent for the name: an answer to the bot, not a name."""
    return plain_text(turn) and normalized(turn.text).lower() in _NOT_NAMES


def refuse_acknowledgement(turn):
    """Not the name: why, and the name asked again."""
    turn.say(texts.STATION_ACKNOWLEDGED.format(word=normalized(turn.text)), texts.ASK_STATION_NAME)
    return turn.stay()


def stray_number(turn):
    """A bare number sent for the name: a pick meant for the list of stations (or of kinds)."""
    return plain_text(turn) and is_bare_number(turn.text)


def refuse_number(turn):
    """Not the name; back to the list is one 上一步 away when the org has stations to pick."""
    back = texts.STATION_BACK_TO_LIST if _org_stations(turn.org) else ""
    turn.say(texts.STATION_STRAY_NUMBER.format(number=normalized(turn.text), back=back), texts.ASK_STATION_NAME)
    return turn.stay()


def take_address(turn):
    """The new station's address."""
    turn.position.scratch["address"] = stations.clean({"address": turn.text})["address"].strip()
    turn.say(texts.ASK_STATION_HOURS)
    return State.STATION_HOURS


def take_hours(turn):
    """The new station's opening hours, written as the import sheet takes them (“周一至周五 9:00-17:00”)."""
    try:
        turn.position.scratch["hours"] = parse_hours_text(turn.text)
    except FieldError as exc:
        turn.say(replies.sentence(exc.message), texts.ASK_STATION_HOURS)
        return turn.stay()
    turn.say(texts.ASK_STATION_LOCATION)
    return State.STATION_LOCATION


def skip_hours(turn):
    """跳过: the station is registered without hours (workers are told they are not registered)."""
    turn.position.scratch.pop("hours", None)
    turn.say(texts.ASK_STATION_LOCATION)
    return State.STATION_LOCATION


# A registration step's previous one: the state and its question (the name goes back to the list).
PREVIOUS = {State.STATION_ADDRESS: (State.STATION_NAME, texts.ASK_STATION_NAME),
            State.STATION_HOURS: (State.STATION_ADDRESS, texts.ASK_STATION_ADDRESS),
            State.STATION_LOCATION: (State.STATION_HOURS, texts.ASK_STATION_HOURS)}
QUESTIONS = {State.STATION_NAME: texts.ASK_STATION_NAME, State.STATION_ADDRESS: texts.ASK_STATION_ADDRESS,
             State.STATION_HOURS: texts.ASK_STATION_HOURS, State.STATION_LOCATION: texts.ASK_STATION_LOCATION}


def back(turn):
    """上一步: the registration's previous question; from the name, the org's stations again."""
    if turn.position.state not in PREVIOUS:
        return start(turn, turn.position.scratch["kind"])
    state, question = PREVIOUS[turn.position.state]
    turn.say(question)
    return state


def _not_now(turn, at_choice, registering):
    """Say why a command waits (`at_choice` while a station is chosen, `registering` while one is
    registered) and ask the flow's question again."""
    if turn.position.state == State.CHOOSE_STATION:
        turn.say(at_choice)
        return start(turn, turn.position.scratch["kind"])
    turn.say(registering, QUESTIONS[turn.position.state])
    return turn.stay()


def no_skip(turn):
    """跳过: an application needs its station, a new station its name, address and location;
    取消 leaves. (Nothing of an application held from before is skipped.)"""
    return _not_now(turn, texts.STATION_CHOICE_NO_SKIP, texts.STATION_NO_SKIP)


def early_location(turn):
    """A location before the name or address is answered: the question again (the location is last)."""
    turn.say(texts.STATION_LOCATION_LATER, QUESTIONS[turn.position.state])
    return turn.stay()


def take_location(turn):
    """The location message places the station; then its application opens."""
    scratch, incoming = turn.position.scratch, turn.incoming
    station = station_changes.register_station(
        turn.org, turn.person, name=scratch["name"], address=scratch["address"], hours=scratch.get("hours", {}),
        lat=incoming.lat, lng=incoming.lng, kind=StationKind.WARM_STATION, public=True)
    station_jobs.station_changed(turn.redis, turn.config, station)
    return _open_for(turn, station, texts.STATION_CREATED.format(name=station.name))


def _typed_hours(scratch):
    """The opening hours typed for the new station, as workers will read them ("" when none)."""
    return stations.hours_written(scratch.get("hours"))


def progress(turn):
    """进度: what the registration has and still asks (an application held from before is not it)."""
    if turn.position.state == State.CHOOSE_STATION:
        turn.say(texts.STATION_CHOOSING)
        return start(turn, turn.position.scratch["kind"])
    scratch = turn.position.scratch
    missing = [label for key, label in texts.STATION_PARTS.items() if key not in scratch]
    turn.say(texts.STATION_PROGRESS.format(
        name=scratch.get("name", replies.UNFILLED), address=scratch.get("address", replies.UNFILLED),
        hours=_typed_hours(scratch) or replies.UNFILLED,
        missing="、".join(missing + [texts.STATION_LOCATION_PART])), QUESTIONS[turn.position.state])
    return turn.stay()


def finish_first(turn):
    """第N项 / 修改 N / 表头 / 提交 / 撤回: the application they concern opens once the station is
    chosen or registered (the one held from before was left for it)."""
    return _not_now(turn, texts.STATION_PICK_FIRST, texts.STATION_FINISH_FIRST)


def pause(turn):
    """暂停: keep the typed name, address and hours (in the position, nothing is registered yet)."""
    scratch, state = turn.position.scratch, turn.position.state
    scratch[PAUSED_IN] = state.value
    if state == State.CHOOSE_STATION:
        turn.say(texts.STATION_CHOICE_PAUSED)
        return State.PAUSED
    typed = [f"{label}“{scratch[key]}”" for key, label in texts.STATION_PARTS.items() if key in scratch]
    if _typed_hours(scratch):
        typed.append(f"{texts.STATION_HOURS_PART}“{_typed_hours(scratch)}”")
    typed = "、".join(typed)
    turn.say(texts.STATION_PAUSED.format(kept=texts.STATION_KEPT.format(values=typed) if typed else ""))
    return State.PAUSED


def paused_registration(turn):
    """A 暂停 that left a station registration (not a step of an application)."""
    return PAUSED_IN in turn.position.scratch


def resumes_registration(turn):
    """继续 after pausing a station registration."""
    return paused_registration(turn) and command(Command.RESUME)(turn)


def cancels_registration(turn):
    """取消 after pausing a station registration."""
    return paused_registration(turn) and command(Command.CANCEL)(turn)


def resume(turn):
    """继续: the registration's question where it was paused, with what was typed."""
    state = State(turn.position.scratch.pop(PAUSED_IN))
    if state == State.CHOOSE_STATION:
        return start(turn, turn.position.scratch["kind"])
    turn.say(QUESTIONS[state])
    return state


def cancel(turn):
    """取消 while paused: a registration's typed values go, and nothing was registered."""
    chosen = turn.position.scratch.get(PAUSED_IN) == State.CHOOSE_STATION
    turn.say(replies.CANCELLED if chosen else replies.STATION_CANCELLED)
    return turn.go_idle()
