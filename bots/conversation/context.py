"""One turn of the conversation: who wrote, what, when, where they are; replies collect here."""
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from bots.conversation.draft import DraftReads
from bots.conversation.matchers import Incoming, normalized, parse_number
from bots.conversation.position import Position, State
from bots.conversation.session import UserTurn
from miniapp_backend.models import Application, Channel, Person
from miniapp_backend.services import people
from miniapp_backend.services.campaigns import current_campaign
from miniapp_backend.services.permissions import FILL_ROLES, orgs_where


@dataclass
class Inbound:
    """Who wrote, through which app services, and when (the conversation's clock)."""

    openid: str
    redis: object
    config: object
    now: dt.datetime
    today: dt.date
    turn: UserTurn  # the user's lock and stored position for this callback

    @cached_property
    def person(self):
        """The Person behind the openid (created on first sight)."""
        return people.person_for(Channel.OFFICIAL, self.openid)


@dataclass
class Turn:
    """Handlers read the turn, change `position`, `say` replies and return the next State."""

    person: Person
    openid: str
    incoming: Incoming
    position: Position
    redis: object
    config: object
    now: dt.datetime
    today: dt.date
    blocks: list = field(default_factory=list)
    hand_over: bool = False  # pass the user to a human (customer-service transfer)
    keep_pages: bool = False  # set by 更多, which hands out pages already made
    _draft: object = field(default=None, repr=False)

    def say(self, *texts):
        """Add reply paragraphs (empty ones are dropped)."""
        self.blocks.extend(text for text in texts if text)

    def stay(self):
        """The current state, for handlers that do not move."""
        return self.position.state

    @property
    def text(self):
        """The text the user sent, trimmed."""
        return self.incoming.text.strip()

    @property
    def number(self):
        """The number the user sent (the `number` matcher has checked it is one)."""
        return parse_number(normalized(self.incoming.text))

    @cached_property
    def org(self):
        """The org this person fills forms for (chair or staff), or None for everyone else."""
        orgs = sorted(orgs_where(self.person, FILL_ROLES), key=lambda org: org.id)
        return orgs[0] if orgs else None

    @property
    def human_available(self):
        """Customer-service transfer needs 客服, which verified accounts have."""
        return bool(self.config.verified_service_account)

    @cached_property
    def campaign(self):
        """The campaign of today's year (or the latest one loaded)."""
        return current_campaign(self.today)

    @property
    def draft(self):
        """What this turn reads of the application in hand (None without one); loaded once."""
        app_id = self.position.app_id
        if app_id is None:
            return None
        if self._draft is None or self._draft.application.id != app_id:
            application = Application.with_parents(app_id)
            self._draft = DraftReads(application) if application else None
        return self._draft

    @property
    def application(self):
        """The application in hand, or None."""
        draft = self.draft
        return draft.application if draft else None

    @property
    def may_fill(self):
        """Whether the person may still fill for the org of the application in hand (asked once)."""
        return self.draft.may_fill(self.person)

    def hold(self, application):
        """Make `application` (as just returned by a service) the one in hand."""
        self.position.app_id, self._draft = application.id, DraftReads(application)

    def go_idle(self):
        """Forget the sub-flow scratch values and become idle (the draft itself stays)."""
        self.position.choices, self.position.scratch = [], {}
        return State.IDLE
