"""Drafts: start or resume, answer fields and items (each with its own revision), prefill."""
from dataclasses import dataclass

from peewee import IntegrityError

from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.forms import FieldError, FormCatalog
from miniapp_backend.forms.validation import parse_field
from miniapp_backend.free_text import length_error, trim_text
from miniapp_backend.models import Answer, Application, AppStatus, StatusEvent
from miniapp_backend.services import campaigns, eligibility, windows
from miniapp_backend.services.errors import (
    InvalidState, NotEligible, PermissionDenied, RevisionConflict, ValidationFailed)
from miniapp_backend.services.orgs import prefill_facts
from miniapp_backend.services.permissions import can_fill, require

EDITABLE = (AppStatus.DRAFT, AppStatus.RETURNED)
WINDOW_CLOSED = "window_closed"  # the reason of a refusal after the application's window
PREFILL_CHANNEL = "prefill"
ITEM_KEYS = frozenset({"done", "note"})  # an item answer's parts
NOTE_MAX = 200  # 字 of an item's 说明


@dataclass(frozen=True)
class AnswerKey:
    """Where an answer lives: a form of the bundle and a field key or item number."""

    form: str
    name: str

    @classmethod
    def parse(cls, text):
        """"<form>:<field>" or "<form>:item.<no>"."""
        form, _, name = text.partition(":")
        if not form or not name:
            raise ValidationFailed(f"无法识别的填报项“{text}”", key=text)
        return cls(form, name)

    def __str__(self):
        return f"{self.form}:{self.name}"

    @property
    def item_no(self):
        """The item number for an item key, else None."""
        return int(self.name[5:]) if self.name.startswith("item.") else None


_CATALOG = FormCatalog()


def catalog():
    """The form catalog (files are read once per process and cached)."""
    return _CATALOG


def templates(application):
    """The form templates of the application's parts, in bundle order.

    Worked out once per application object (one request's or job's): a chat turn asks often.
    """
    known = application.__dict__.get("_templates")
    if known is None:
        spec = campaigns.kind_spec(application.campaign, application.kind)
        known = application._templates = tuple(catalog().get(application.campaign.year, code) for code in spec.parts)
    return list(known)


def template_for(application, form_code):
    """One part's template; refuse a form that is not part of this application."""
    for template in templates(application):
        if template.code == form_code:
            return template
    raise ValidationFailed(f"表单“{form_code}”不属于这份申报", key=form_code)


def answer_place(application, key):
    """How the printed form names an answer's place: 第N项 for a checklist item, else the field's
    label (a reviewer's remark is addressed to it)."""
    try:
        answer_key = AnswerKey.parse(key)
        template = template_for(application, answer_key.form)
        if answer_key.item_no is not None:
            return f"第{template.item(answer_key.item_no).no}项"
        return field_place(template, template.field(answer_key.name))
    except (ValidationFailed, KeyError, ValueError):
        return "其他"


def field_place(template, field):
    """The field's label, after its section's title where another field of the form has the same
    label (a 小家 form asks 会员人数 twice)."""
    if sum(f.label == field.label for f in template.fields()) < 2:
        return field.label
    title = next((s.title for s in template.sections if field in s.fields and s.title), "")
    return f"{title}·{field.label}" if title else field.label


def start_or_resume(person, org, campaign, kind, station=None, today=None):
    """The org's live application of `kind` in the current round, created (and prefilled) if new."""
    require(can_fill(person, org), "只有本单位工会主席或工会工作人员可以填报")
    if station is not None and station.org_id != org.id:
        # Before resuming: another org's application for its own station is not this org's to open.
        raise NotEligible(eligibility.NOT_OWN_STATION, reasons=[eligibility.NOT_OWN_STATION])
    today = today or local_today()
    spec = campaigns.kind_spec(campaign, kind)
    round_ = windows.pick_round(campaign, kind, today)
    subject_key = f"station:{station.id}" if station is not None else f"org:{org.id}"
    existing = Application.get_or_none(round=round_, kind=kind, subject_key=subject_key) if round_ else None
    if existing:
        return existing
    if spec.subject == "station" and station is None:
        raise ValidationFailed("暖心驿站申报需要先选择或新建一个驿站", key="station_id")
    reasons = eligibility.reasons_against(org, spec, round_, today, station)
    if reasons:
        raise NotEligible("；".join(reasons), reasons=reasons)
    try:
        with database.atomic():
            application = Application.create(campaign=campaign, round=round_, kind=kind, org=org,
                                             station=station, subject_key=subject_key,
                                             created_by=person)
            StatusEvent.create(application=application, from_status="", to_status=AppStatus.DRAFT,
                               actor=person, note="创建草稿")
            prefill(application, today)
    except IntegrityError:
        # Chat and mini-program started the same draft at once: both get the one that won.
        return Application.get(round=round_, kind=kind, subject_key=subject_key)
    return application


def prefill(application, today):
    """Write prefilled values for fields the org tree knows and nobody has answered yet."""
    facts = prefill_facts(application.org)
    if application.station is not None:
        facts["station_name"] = application.station.name
    for template in templates(application):
        for field in template.fields():
            value = _prefill_value(field.prefill, facts, today)
            if value is None:
                continue
            try:
                value = parse_field(field, value)
            except FieldError:
                continue  # a stale org fact must not block the draft; the chair will answer it
            Answer.insert(application=application, key=f"{template.code}:{field.key}", value=value,
                          channel=PREFILL_CHANNEL).on_conflict_ignore().execute()


def _prefill_value(source, facts, today):
    """The value a prefill source names: "org.<fact>" or "today"."""
    if not source:
        return None
    if source == "today":
        return today.isoformat()
    if source.startswith("org."):
        return facts.get(source[4:])
    return None


def edit_lock(application, today=None):
    """Why nobody may change the application now (the InvalidState to raise), or None: after
    submission, or after the window (unless 整改截止 allows)."""
    if application.status == AppStatus.SUBMITTED:
        from miniapp_backend.services.review import reviewer_acted  # review imports this module
        from miniapp_backend.services.submissions import withdrawal_strands  # it imports this module
        if reviewer_acted(application):  # 撤回 is over: it would only be refused
            return InvalidState("申报已提交，审核人已经处理过，不能修改也不能撤回；如需修改请联系审核人退回")
        stranded = withdrawal_strands(application, today or local_today())
        return InvalidState(f"申报已提交，审核期间不能修改；{stranded or '如需修改请先撤回'}")
    if application.status not in EDITABLE:
        return InvalidState("申报已审核完毕，不能再修改")
    today = today or local_today()
    if windows.rectify_overdue(application, today):
        # The date that passed is the 整改截止, not the round's (which may be open still).
        return InvalidState(eligibility.after_rectify_deadline(application, today), reason=WINDOW_CLOSED)
    if not windows.window_open_for(application, today):
        return InvalidState(f"填报期限已过（截止{format_day(windows.editable_until(application))}）",
                            reason=WINDOW_CLOSED)
    return None


def require_editable(application, person, today=None, may_fill=None):
    """Refuse edits by outsiders, and any edit while the application is locked (edit_lock).

    `may_fill` is `can_fill(person, application.org)` if the caller has just asked, saving a read.
    """
    if may_fill is None:
        may_fill = can_fill(person, application.org_id)
    require(may_fill, "只有本单位工会主席或工会工作人员可以填报")
    lock = edit_lock(application, today)
    if lock is not None:
        raise lock


def is_editable(application, person, today=None):
    """Whether `require_editable` would let `person` edit (and so submit) the application today."""
    try:
        require_editable(application, person, today)
    except (PermissionDenied, InvalidState):
        return False
    return True


def _field_for(application, key):
    """The field an AnswerKey names, None for a checklist item; refuse a key the forms lack."""
    template = template_for(application, key.form)
    try:
        if key.item_no is not None:
            template.item(key.item_no)
            return None
        return template.field(key.name)
    except KeyError:
        raise ValidationFailed(f"表单“{template.title}”没有这一项", key=str(key)) from None


def parse_answer(application, key, raw, today=None):
    """Validate `raw` for the field or item `key` names (on `today`); return the value to store."""
    key = AnswerKey.parse(str(key))
    field = _field_for(application, key)
    try:
        if field is None:
            return _item_value(raw)
        return _not_after(field, parse_field(field, raw), today or local_today())
    except FieldError as exc:
        raise ValidationFailed(exc.message, key=str(key)) from None


def _not_after(field, value, today):
    """Refuse a past-only date after `today` (dates are stored as ISO text, which sorts)."""
    if field.past_only and value is not None and value > today.isoformat():
        raise FieldError(f"{field.label}不能晚于今天（{format_day(today)}），请核对后重发", field.key)
    return value


ITEM_SHAPE = '条目答案应为对象：{"done": true}（是）或 {"done": false}（否），不能只写文字或数字'
DONE_MISSING = "条目答案缺少 done：true（是）或 false（否）"


def _item_value(raw):
    """An item answer: {"done": bool, "note": str}; a 否 may carry a 说明."""
    if not isinstance(raw, dict):
        # "是" as the whole answer: the value is an object whose done says 是 or 否.
        raise FieldError(ITEM_SHAPE)
    if raw.get("done") is None:
        raise FieldError(DONE_MISSING)
    if not isinstance(raw["done"], bool):
        # {"done": "是"}: the answer is there, only not the JSON boolean the contract asks for.
        raise FieldError("done 应为 true（是）或 false（否）" + ("，不能是文字" if isinstance(raw["done"], str) else ""))
    unknown = sorted(set(raw) - ITEM_KEYS)
    if unknown:
        raise FieldError(f"条目答案只有 done（是否）和 note（说明），不支持：{'、'.join(unknown)}")
    note = raw.get("note")
    if not isinstance(note, (str, type(None))):
        raise FieldError("说明应填写文字")
    note = trim_text(note or "")
    if too_long := length_error("说明", note, NOTE_MAX):
        raise FieldError(too_long)
    return {"done": raw["done"], "note": note}


UNREAD = object()  # write_answer's `current` when the caller has not read the answer


def write_answer(application, person, key, raw, base_revision=None, channel="", today=None,
                 current=UNREAD, may_fill=None):
    """Store one answer; refuse when `base_revision` is older than the stored one.

    `current` is the stored Answer (or None) if the caller has just read it, saving a read;
    `may_fill` as for `require_editable`.
    """
    require_editable(application, person, today, may_fill)
    value = parse_answer(application, key, raw, today)
    key = str(AnswerKey.parse(str(key)))
    if current is UNREAD:
        current = Answer.for_key(application.id, key)
    at = utcnow()
    # Each write is one statement (the database moves the application's updated_at with it,
    # migrations/0018). A concurrent first answer wins the insert; this one then competes on
    # its revision.
    answer = Answer.add(application.id, key, value, channel, person.id, at) if current is None else None
    if answer is None:
        current = current or Answer.for_key(application.id, key)
        answer = _compare_and_set(current, base_revision, value, channel, person, at)
    return answer


def _compare_and_set(current, base_revision, value, channel, person, at):
    """Write `value` only if the answer is still at `base_revision` (default: as read).

    Of two concurrent writers of one field, the second sees a RevisionConflict carrying the
    newer value, so neither channel silently overwrites the other (unless it wrote the same).
    """
    expected = current.revision if base_revision is None else base_revision
    written = Answer.replace_at_revision(current.id, expected, value, channel, person.id, at)
    if written is None:
        latest = Answer.get_by_id(current.id)
        if latest.value == value:
            # Already so: a save retried after its answer was lost (wx.request timed out), or both
            # ends typing the same. Nothing would be overwritten, so nothing is asked.
            return latest
        raise RevisionConflict("这一项已在另一端被修改，请确认后再保存", key=current.key,
                               value=latest.value, revision=latest.revision, channel=latest.channel)
    return written


def clear_answer(application, person, key, base_revision=None, channel="", today=None,
                 may_fill=None):
    """Empty one answer (e.g. 清空 of the 主要事迹), keeping its revision history moving
    (`may_fill` as for `require_editable`)."""
    require_editable(application, person, today, may_fill)
    key = AnswerKey.parse(str(key))
    _field_for(application, key)  # clearing a key the forms lack is refused as writing it is
    current = Answer.for_key(application.id, str(key))
    if current is None:
        return None
    return _compare_and_set(current, base_revision, None, channel, person, utcnow())


def answers_of(application):
    """Every stored answer, keyed by "<form>:<name>"."""
    return {a.key: a for a in Answer.select().where(Answer.application == application)}
