"""The question each step and state asks, composed from the draft and the replies module."""
import datetime as dt
from functools import partial

from bots.conversation import qualified_texts, replies, station_texts, status_texts, steps
from bots.conversation.position import (
    CONGRESS_DATE, DECLARED_HONOUR, MINUTES_MEDIA, PAUSED_IN, QUALIFIED_KIND, REGISTERING, State)
from bots.conversation.steps import FieldType, StepKind, header_field_steps, is_filled
from miniapp_backend.forms.roster_rows import roster_row_hint
from miniapp_backend.free_text import count_chars
from miniapp_backend.clock import format_day
from miniapp_backend.models import APP_STATUS_LABELS, HONOUR_LABELS, AppStatus, HonourKind
from miniapp_backend.models.chat_media import ChatMedia
from miniapp_backend.services import drafts, eligibility, qualified, qualified_minutes, windows
from miniapp_backend.services.drafts import answer_place, templates
from miniapp_backend.services.notices import application_title
from miniapp_backend.services.progress import progress

PREVIEW_CHARS = 40


def _field_hint(field):
    """What to reply for a field of this type."""
    if field.choices:
        return replies.choice_hint(field.choices)
    return replies.TYPE_HINTS.get(field.type, "")


def header_prompt(draft, step):
    """The header view: every header field with its number and value."""
    rows = [(index, s.field.label, replies.value_text(s.field, draft.value(s.key)))
            for index, s in enumerate(header_field_steps(step.template), 1)]
    return replies.header_view(step.template.title, rows)


def item_prompt(draft, step):
    """One checklist item with its requirement text and current answer."""
    title = replies.step_title(step.no, step.total, step.item.category)
    current = replies.item_value(draft.value(step.key), draft.photos(step.key))
    return replies.item_prompt(title, step.item.text, step.item.evidence_required, current)


def field_prompt(draft, step):
    """One field, a roster or a long text."""
    field, value = step.field, draft.value(step.key)
    title = replies.step_title(step.no, step.total, field.label)
    if field.type == FieldType.ROSTER:
        rows = [replies.roster_row(field, row) for row in value or []]
        limits = (field.min_rows or (1 if field.required else 0), field.max_rows)
        return replies.roster_prompt(title, roster_row_hint(field), rows, limits)
    if field.type == FieldType.LONGTEXT:
        text = value or ""
        return replies.text_prompt(title, count_chars(text), field.max_chars, replies.preview(text, PREVIEW_CHARS),
                                   field.required)
    current = replies.value_text(field, value) if is_filled(value) else ""
    return replies.field_prompt(title, _field_hint(field), current, field.required, field.hint)


def review_prompt(application):
    """After the last step: ready to submit, or exactly what is missing."""
    title = application_title(application)
    if application.status not in (AppStatus.DRAFT, AppStatus.RETURNED):
        status = APP_STATUS_LABELS[AppStatus(application.status)]
        return status_texts.status_text(title, status, application.status)
    state = progress(application)
    if state.complete:  # a returned one is complete as it was sent: the reviewer's asks come first
        returned = application.status == AppStatus.RETURNED
        return (status_texts.RETURNED_READY if returned else status_texts.REVIEW_READY).format(title=title)
    absent, waiting = split_missing(application, state.missing)
    if not absent:
        return status_texts.review_waiting(title, waiting)
    return status_texts.CANNOT_SUBMIT.format(missing=missing_text(application, state.missing))


def split_missing(application, missing):
    """(really missing, item numbers whose photos are still downloading)."""
    saving = ChatMedia.photo_counts(application).saving()
    absent = [m for m in missing if not (m.kind == "photo" and m.key in saving)]
    return absent, sorted(m.item_no for m in missing if m.kind == "photo" and m.key in saving)


def missing_text(application, missing):
    """The missing list, by form; photos still downloading are told apart from absent ones;
    then how to open a missing step, where one can be opened in chat."""
    forms = {t.code: replies.FORM_NAMES[t.kind] for t in templates(application)}
    absent, waiting = split_missing(application, missing)
    in_chat = any(m.kind != "material" for m in absent)
    place = partial(_remark_place, application, editable=True)
    return "\n".join(filter(None, [status_texts.missing_report(absent, forms, len(forms) > 1, place),
                                    status_texts.photos_saving(waiting),
                                    status_texts.fill_hint(list(forms.values())) if in_chat else ""]))


def describe(step, value):
    """A value in full, for a conflict: an item's answer, a field's whole content."""
    if step.kind == StepKind.ITEM:
        return replies.yes_no_text(value) if value else replies.UNANSWERED
    if isinstance(value, str) and step.field.type != FieldType.LONGTEXT:
        return value  # what the chair typed, not yet normalised
    return replies.value_text(step.field, value, full=True)


def conflict_prompt(step, conflict):
    """The question after a conflicting edit: theirs, mine, 覆盖 or 保留."""
    label = (replies.ITEM_LABEL.format(no=step.no, category=step.item.category)
             if step.kind == StepKind.ITEM else step.field.label)
    changed = replies.CHANGED_IN.get(conflict.get("channel", ""), replies.CHANGED_ELSEWHERE)
    return replies.CONFLICT.format(label=label, changed=changed, theirs=describe(step, conflict["theirs"]),
                                   mine=describe(step, conflict["mine"]))


STEP_PROMPTS = {
    StepKind.HEADER: header_prompt,
    StepKind.ITEM: item_prompt,
    StepKind.FIELD: field_prompt,
    StepKind.HEADER_FIELD: field_prompt,
    StepKind.REVIEW: lambda draft, _step: review_prompt(draft.application),
}


def view_prompt(draft, step, lock):
    """A step of an application no one may change now (`lock`: why): its text and value only."""
    if step.kind == StepKind.HEADER:
        return replies.step_view(f"【{step.template.title}】", [
            f"{index}. {s.field.label}：{replies.value_text(s.field, draft.value(s.key))}"
            for index, s in enumerate(header_field_steps(step.template), 1)], lock)
    value = draft.value(step.key)
    if step.kind == StepKind.ITEM:
        title = replies.step_title(step.no, step.total, step.item.category)
        current = replies.item_value(value, draft.photos(step.key)) or replies.UNANSWERED
        return replies.step_view(title, [step.item.text, f"当前：{current}"], lock)
    field = step.field
    shown = replies.value_text(field, value, full=field.type != FieldType.LONGTEXT)
    if field.type == FieldType.LONGTEXT and value:
        shown += f"，开头：{replies.preview(value, PREVIEW_CHARS)}"
    return replies.step_view(replies.step_title(step.no, step.total, field.label), [f"当前：{shown}"], lock)


def step_prompt(draft, step, today):
    """The question of one step, from what the turn has read of the draft, with the reviewer's
    remark on it when the application came back for 整改; only its content while it is locked."""
    lock = drafts.edit_lock(draft.application, today) if step.kind != StepKind.REVIEW else None
    if lock is not None:
        return view_prompt(draft, step, lock.message)
    if step.kind == StepKind.REVIEW and windows.rectify_overdue(draft.application, today):
        return status_texts.RETURNED_OVERDUE.format(title=application_title(draft.application))
    prompt = STEP_PROMPTS[step.kind](draft, step)
    returned = draft.returned_by()
    remark = (returned.remarks or {}).get(step.key) if returned else None
    return f"{prompt}\n{status_texts.REVIEW_REMARK.format(text=remark)}" if remark else prompt


def return_feedback(draft, today):
    """What the reviewer who returned the application asked for: opinion, remarks in the forms'
    order, and the 整改截止 (or, once it has passed, what may still be done and whom to ask)."""
    returned = draft.returned_by()
    if returned is None:
        return ""
    application = draft.application
    order = {step.key: n for n, step in enumerate(steps.walk(application))}  # header fields: -1, first
    # Past the 整改截止 nothing can be changed, so no remark says how to change it.
    editable = not windows.rectify_overdue(application, today)
    remarks = [status_texts.REMARK_LINE.format(where=_remark_place(application, key, editable), text=text)
               for key, text in sorted((returned.remarks or {}).items(), key=lambda kv: order.get(kv[0], -1))]
    org = returned.org.full_name if returned.org else returned.label
    return status_texts.return_feedback(org, returned.opinion, remarks, returned.rectify_deadline,
                                        eligibility.after_rectify_deadline(application, today))


def _remark_place(application, key, editable):
    """Where a remark (or a missing field) points, as the chat numbers it: 第N项, with a field's label (a form may ask
    the same label twice, as the 小家 登记表 does 会员人数); a header field says how to reach it if `editable`."""
    step = steps.find(application, key)
    if step is None or (step.field is None and step.kind != StepKind.ITEM):
        return answer_place(application, key)
    if step.kind == StepKind.HEADER_FIELD and step.no is None:  # a 验收单's header: reached by 表头
        where = replies.HEADER_FIELD_PLACE if editable else replies.HEADER_FIELD
        return where.format(label=step.field.label)
    number = replies.ITEM_NO.format(no=step.no) if step.no else ""
    return number if step.kind == StepKind.ITEM else f"{number} {step.field.label}".strip()


# A paused station choice or registration asked again (what it keeps was said at 暂停).
STATION_PAUSED_AGAIN = {State.CHOOSE_STATION: station_texts.STATION_CHOICE_PAUSED,
                        **dict.fromkeys(REGISTERING, station_texts.STATION_PAUSED.format(kept=""))}

def qualified_label(turn):
    """The 合格 title being declared (合格申报)."""
    return HONOUR_LABELS[HonourKind(turn.position.scratch[QUALIFIED_KIND])]


def congress_date_prompt(turn):
    """合格申报 asks the 会员代表大会 date."""
    return qualified_texts.ASK_CONGRESS_DATE.format(label=qualified_label(turn))


def minutes_held(turn):
    """Photos of the minutes in hand: those sent while declaring or, for a declaration made before,
    those attached to it and still downloading."""
    scratch = turn.position.scratch
    if DECLARED_HONOUR not in scratch:
        return len(scratch.get(MINUTES_MEDIA, []))
    return qualified_minutes.count_held(scratch[DECLARED_HONOUR])


def minutes_prompt(turn):
    """合格申报 asks for photos of the 会员代表大会's minutes (more of them, for a declaration made before)."""
    if DECLARED_HONOUR in turn.position.scratch:
        return qualified_texts.MINUTES_MORE.format(count=minutes_held(turn))
    return qualified_texts.ASK_MINUTES.format(limit=qualified_minutes.MINUTES_LIMIT,
                                      confirmer=qualified.confirming_union(turn.org))


def qualified_confirm_prompt(turn):
    """合格申报: what will be declared, to check before 确认."""
    day = dt.date.fromisoformat(turn.position.scratch[CONGRESS_DATE])
    return qualified_texts.CONFIRM_QUALIFIED.format(org=turn.org.full_name, label=qualified_label(turn), date=format_day(day),
                                            count=minutes_held(turn))


STATE_PROMPTS = {
    State.CHOOSE_KIND: lambda turn: replies.PICK_KIND_AGAIN.format(count=len(turn.position.choices)),
    State.CHOOSE_STATION: lambda turn: station_texts.station_choices([]),
    State.STATION_NAME: lambda turn: station_texts.ASK_STATION_NAME,
    State.STATION_ADDRESS: lambda turn: station_texts.ASK_STATION_ADDRESS,
    State.STATION_HOURS: lambda turn: station_texts.ASK_STATION_HOURS,
    State.STATION_LOCATION: lambda turn: station_texts.ASK_STATION_LOCATION,
    State.QUALIFIED_DATE: lambda turn: congress_date_prompt(turn),
    State.QUALIFIED_MINUTES: lambda turn: minutes_prompt(turn),
    State.QUALIFIED_CONFIRM: lambda turn: qualified_confirm_prompt(turn),
    State.PAUSED: lambda turn: (STATION_PAUSED_AGAIN.get(turn.position.scratch.get(PAUSED_IN))
                                or replies.PAUSED.format(where=replies.PAUSED_HERE)),
}


def idle_prompt(turn):
    """The menu of what this person can do."""
    if turn.org is not None:
        return replies.CHAIR_MENU.format(org=turn.org.full_name)
    return replies.public_menu(turn.human_available)
