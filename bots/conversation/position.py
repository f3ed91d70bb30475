"""Where a user is in the conversation: kept in Redis with a TTL, rebuilt from the draft if lost.

Every answer is in the database the moment it is given, so the position is only a convenience:
when Redis is wiped (or the TTL passes) the chair resumes at the first open step of the live draft.
"""
import json
from dataclasses import dataclass, field
from enum import StrEnum

from bots.conversation.steps import FieldType, StepKind, first_open, seen_revision
from miniapp_backend.models import Application, AppStatus
from miniapp_backend.services.drafts import answers_of
from miniapp_backend.services.permissions import FILL_ROLES, orgs_where

LIVE = (AppStatus.DRAFT, AppStatus.RETURNED)


class State(StrEnum):
    """The conversation's states; the diagram is in STATES.md."""

    IDLE = "idle"
    CHOOSE_KIND = "choose_kind"
    CHOOSE_STATION = "choose_station"
    STATION_NAME = "station_name"
    STATION_ADDRESS = "station_address"
    STATION_HOURS = "station_hours"
    STATION_LOCATION = "station_location"
    HEADER = "header"
    FIELD = "field"
    ITEM = "item"
    ROSTER = "roster"
    LONGTEXT = "longtext"
    CONFLICT = "conflict"
    REVIEW = "review"
    PAUSED = "paused"
    QUALIFIED_DATE = "qualified_date"
    QUALIFIED_MINUTES = "qualified_minutes"
    QUALIFIED_CONFIRM = "qualified_confirm"


# Registering a new station, question by question (the location is last: it registers the station).
REGISTERING = (State.STATION_NAME, State.STATION_ADDRESS, State.STATION_HOURS, State.STATION_LOCATION)
# scratch: the station-registration state 暂停 left (继续 returns there, with the name and address typed)
PAUSED_IN = "paused_in"
# scratch of 合格申报: the title being declared, the 会员代表大会 date typed (ISO), the photos of its
# minutes sent (ChatMedia ids) and, when they are for a declaration made before, its Honour id
QUALIFIED_KIND, CONGRESS_DATE = "qualified_kind", "congress_date"
MINUTES_MEDIA, DECLARED_HONOUR = "minutes_media", "declared_honour"
STEP_STATES = {StepKind.HEADER: State.HEADER, StepKind.ITEM: State.ITEM, StepKind.REVIEW: State.REVIEW}
FIELD_STATES = {FieldType.ROSTER: State.ROSTER, FieldType.LONGTEXT: State.LONGTEXT}


@dataclass
class Position:
    """State, the application and step in hand, and small per-state scratch values."""

    state: State = State.IDLE
    app_id: int | None = None
    key: str = ""
    revision: int = 0  # the revision of `key`'s answer the user last saw (0: none yet)
    choices: list = field(default_factory=list)  # what the numbers of the last list stand for
    scratch: dict = field(default_factory=dict)  # a station being created, a conflict, a text mode
    last_media: int | None = None  # the last photo sent (ChatMedia id), for 这张也用于…
    pages: list = field(default_factory=list)  # the rest of a long reply, for 更多


def parse(raw):
    """The stored position, or None when there is none (or it no longer reads, after a release)."""
    if raw is None:
        return None
    try:
        data = json.loads(raw)
        data["state"] = State(data["state"])
        return Position(**data)
    except (ValueError, TypeError, KeyError):
        return None


def dumps(position):
    """The position as stored."""
    return json.dumps(vars(position), ensure_ascii=False)


def live_application(person):
    """The most recently touched draft (or returned application) of an org the person fills for."""
    orgs = orgs_where(person, FILL_ROLES)
    if not orgs:
        return None
    return (Application.select().where(Application.org.in_(orgs), Application.status.in_(LIVE))
            .order_by(Application.updated_at.desc(), Application.id.desc()).first())


def state_of(step):
    """The state that asks a step: rosters and long texts have states of their own."""
    if step.kind in (StepKind.FIELD, StepKind.HEADER_FIELD):
        return FIELD_STATES.get(step.field.type, State.FIELD)
    return STEP_STATES[step.kind]


def rebuild(person):
    """A position from the database alone: the first open step of the live draft, or idle."""
    application = live_application(person)
    if application is None:
        return Position()
    answers = answers_of(application)
    step = first_open(application, answers)
    return Position(state=state_of(step), app_id=application.id, key=step.key,
                    revision=seen_revision(step, answers.get))
