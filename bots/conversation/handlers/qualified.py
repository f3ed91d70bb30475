"""合格申报: the chair declares the unit's 合格职工之家/小家 after its 会员代表大会 decided it —
the title (its level's), the congress date, then 确认; the admins who confirm it are told at once."""
import datetime as dt

from bots.conversation import flow, replies
from bots.conversation.position import CONGRESS_DATE, QUALIFIED_KIND, State
from bots.conversation.prompts import congress_date_prompt, qualified_confirm_prompt, qualified_label
from miniapp_backend.forms.template import Field
from miniapp_backend.forms.validation import FieldError, parse_field
from miniapp_backend.models import HonourKind
from miniapp_backend.services import permissions, qualified
from miniapp_backend.services.errors import DomainError, ValidationFailed
from miniapp_backend.services.reminders import events
from workers.queues import deliver_notices

DATE_FIELD = Field(key=CONGRESS_DATE, label="会员代表大会日期", type="date")


def start(turn):
    """合格申报: the title this unit's level declares, then its congress date is asked."""
    if turn.org is None:
        flow.explain_not_bound(turn)
        return turn.stay()
    if not permissions.can_submit(turn.person, turn.org):
        turn.say(replies.QUALIFIED_CHAIR_ONLY)
        flow.reask_after_aside(turn)
        return turn.stay()
    kinds = qualified.declarable_kinds(turn.org)
    if not kinds:
        turn.say(qualified.not_declarable(turn.org) + "。")
        flow.reask_after_aside(turn)
        return turn.stay()
    turn.position.choices, turn.position.scratch = [], {QUALIFIED_KIND: kinds[0].value}
    turn.say(replies.QUALIFIED_START.format(org=turn.org.full_name, label=qualified_label(turn)),
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
    turn.say(qualified_confirm_prompt(turn))
    return State.QUALIFIED_CONFIRM


def confirm(turn):
    """确认: declare, tell the admins who confirm it, and say what comes next."""
    scratch = turn.position.scratch
    try:
        honour = qualified.declare_qualified(turn.org, turn.person, HonourKind(scratch[QUALIFIED_KIND]),
                                               dt.date.fromisoformat(scratch[CONGRESS_DATE]), today=turn.today)
    except DomainError as exc:
        turn.say(exc.message + "。")
        return turn.go_idle()
    deliver_notices(turn.redis, events.qualified_declared(honour, turn.now, turn.config.public_base_url))
    turn.say(replies.QUALIFIED_DECLARED.format(label=qualified_label(turn),
                                               confirmer=qualified.confirming_union(turn.org)))
    return turn.go_idle()


def back(turn):
    """上一步: from the check back to the date; the date is the first question."""
    if turn.position.state == State.QUALIFIED_CONFIRM:
        turn.say(congress_date_prompt(turn))
        return State.QUALIFIED_DATE
    turn.say(replies.NOTHING_BEFORE, congress_date_prompt(turn))
    return turn.stay()


def not_now(turn):
    """跳过, 进度, 暂停, 第N项, 表头, 提交, 撤回: not while declaring (an application held from
    before is left alone); the question again."""
    turn.say(replies.QUALIFIED_FINISH_FIRST, flow.state_prompt(turn))
    return turn.stay()
