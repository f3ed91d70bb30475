"""合格申报: the chair declares the unit's 合格职工之家/小家 after its 会员代表大会 decided it —
the title (its level's), the congress date, photos of its minutes (handlers/minutes.py), then 确认;
the admins who confirm it are told at once."""
import datetime as dt

from bots.conversation import flow, qualified_texts, replies
from bots.conversation.handlers import minutes
from bots.conversation.position import CONGRESS_DATE, MINUTES_MEDIA, QUALIFIED_KIND, State
from bots.conversation.prompts import congress_date_prompt, minutes_prompt, qualified_label
from miniapp_backend.forms.template import Field
from miniapp_backend.forms.validation import FieldError, parse_field
from miniapp_backend.models import HonourKind
from miniapp_backend.services import permissions, qualified, qualified_minutes
from miniapp_backend.services.errors import DomainError, ValidationFailed
from miniapp_backend.services.reminders import events
from workers.queues import deliver_notices

DATE_FIELD = Field(key=CONGRESS_DATE, label="会员代表大会日期", type="date")


def start(turn):
    """合格申报: the title this unit's level declares, then its congress date is asked; with a
    declaration waiting for confirmation, more photos of its minutes are."""
    if turn.org is None:
        flow.explain_not_bound(turn)
        return turn.stay()
    if not permissions.can_submit(turn.person, turn.org):
        turn.say(qualified_texts.QUALIFIED_CHAIR_ONLY)
        flow.reask_after_aside(turn)
        return turn.stay()
    kinds = qualified.declarable_kinds(turn.org)
    if not kinds and minutes.awaiting_confirmation(turn.org):
        return minutes.add_to_declared(turn)
    if not kinds:
        turn.say(qualified.not_declarable(turn.org) + "。")
        flow.reask_after_aside(turn)
        return turn.stay()
    turn.position.choices, turn.position.scratch = [], {QUALIFIED_KIND: kinds[0].value, MINUTES_MEDIA: []}
    turn.say(qualified_texts.QUALIFIED_START.format(org=turn.org.full_name, label=qualified_label(turn)),
             congress_date_prompt(turn))
    return State.QUALIFIED_DATE


def take_date(turn):
    """A date, checked (a readable day, not in the future, within a union's term); else asked again."""
    try:
        day = dt.date.fromisoformat(parse_field(DATE_FIELD, turn.text))
        qualified.check_congress_date(day, turn.today)
    except (FieldError, ValidationFailed) as exc:
        turn.say(exc.message, congress_date_prompt(turn))
        return turn.stay()
    turn.position.scratch[CONGRESS_DATE] = day.isoformat()
    turn.say(minutes_prompt(turn))
    return State.QUALIFIED_MINUTES


def confirm(turn):
    """确认: declare with the photos of the minutes sent, tell the admins who confirm it, and say
    what comes next."""
    scratch = turn.position.scratch
    try:
        honour = qualified.declare_qualified(turn.org, turn.person, HonourKind(scratch[QUALIFIED_KIND]),
                                               dt.date.fromisoformat(scratch[CONGRESS_DATE]), today=turn.today)
    except DomainError as exc:
        turn.say(exc.message + "。")
        return turn.go_idle()
    qualified_minutes.claim_chat_photos(honour, turn.person, scratch[MINUTES_MEDIA])
    deliver_notices(turn.redis, events.qualified_declared(honour, turn.now, turn.config.public_base_url))
    turn.say(qualified_texts.QUALIFIED_DECLARED.format(label=qualified_label(turn),
                                               confirmer=qualified.confirming_union(turn.org)))
    return turn.go_idle()


def back(turn):
    """上一步: from the check back to the photos (kept: more may follow), from the photos back to
    the date; the date is the first question (the photos, when adding to a declaration made before)."""
    if turn.position.state == State.QUALIFIED_CONFIRM:
        turn.say(minutes_prompt(turn))
        return State.QUALIFIED_MINUTES
    if turn.position.state == State.QUALIFIED_MINUTES and not minutes.adding(turn):
        turn.say(congress_date_prompt(turn))
        return State.QUALIFIED_DATE
    turn.say(replies.NOTHING_BEFORE, flow.state_prompt(turn))
    return turn.stay()


def not_now(turn):
    """跳过, 进度, 暂停, 第N项, 表头, 提交, 撤回: not while declaring (an application held from
    before is left alone); the question again."""
    turn.say(qualified_texts.QUALIFIED_FINISH_FIRST, flow.state_prompt(turn))
    return turn.stay()
