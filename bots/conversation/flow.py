"""Moving through an application: showing a step, answering on, resuming, asking again."""
from bots.conversation import prompts, replies, status_texts, steps
from bots.conversation.matchers import Word
from bots.conversation.position import State, state_of
from bots.conversation.steps import StepKind
from miniapp_backend.clock import format_day
from miniapp_backend.models import AppStatus
from miniapp_backend.services import windows
from miniapp_backend.services.drafts import EDITABLE, answers_of
from miniapp_backend.services.notices import application_title
from miniapp_backend.services.permissions import ADMIN_ROLES, orgs_where

ADMIN_PATH = "/admin/"  # the admin web's sign-in, where reviewers work
STEP_STATES = (State.HEADER, State.FIELD, State.ITEM, State.ROSTER, State.LONGTEXT, State.REVIEW)
# scratch: the step (key, revision seen) a chair left for 表头, where 确认 brings them back
HEADER_LEFT = "header_left"
HEADER_STEPS = (StepKind.HEADER, StepKind.HEADER_FIELD)
# scratch: a long text's 重写, armed until the next message replaces the text (or 追加, or leaving)
TEXT_MODE = "mode"
# scratch: the item just answered with a bare 否 (its 说明 may follow in the next message)
NOTE_FOR = "note_for"
# scratch: the item answered 是 that now waits for (more) photos, where a bare 没有 is ambiguous
PHOTOS_AFTER_YES = "photos_after_yes"


def current_step(turn):
    """The step the position points at, or None."""
    application = turn.application
    if application is None or not turn.position.key:
        return None
    return steps.find(application, turn.position.key)


def explain_no_application(turn):
    """Say why there is nothing to work on: no draft yet, or not bound to a unit at all."""
    if turn.org is not None:
        turn.say(replies.NO_APPLICATION)
    else:
        explain_not_bound(turn)
    return turn.stay()


def explain_not_bound(turn):
    """Not a unit's chair or staff: how to bind, or for a reviewer where reviewing is done."""
    turn.say(reviewer_note(turn) or replies.NOT_BOUND)


def reviewer_note(turn):
    """For a 系统工会/区总工会 reviewer: that reviewing is done on the admin web; else ""."""
    administered = sorted(orgs_where(turn.person, ADMIN_ROLES), key=lambda org: org.id)
    if not administered:
        return ""
    return replies.REVIEWER_NOT_FILLER.format(org=administered[0].full_name,
                                              url=turn.config.public_base_url + ADMIN_PATH)


def go_to(turn, step, *lead):
    """Show `step` (after the `lead` paragraphs) and remember the revision the chair now sees."""
    turn.position.key, turn.position.revision = step.key, steps.seen_revision(step, turn.draft.answer)
    turn.position.scratch.pop(TEXT_MODE, None)
    turn.position.scratch.pop("conflict", None)  # moved on: 覆盖 or 保留 is no longer asked
    turn.position.scratch.pop(NOTE_FOR, None)  # a 说明 after 否 comes before moving elsewhere
    turn.position.scratch.pop(PHOTOS_AFTER_YES, None)
    if step.kind not in HEADER_STEPS:
        turn.position.scratch.pop(HEADER_LEFT, None)  # out of the header by another way: no return
    turn.say(*lead, prompts.step_prompt(turn.draft, step, turn.today))
    return state_of(step)


def advance(turn, step, *lead):
    """Show the step after `step`; in an application returned with per-item remarks, the next
    remarked one (else the review): the chair fixes what was asked, not every item again."""
    returned = turn.draft.returned_by()
    if returned is None or not returned.remarks or step.kind in HEADER_STEPS:
        return go_to(turn, steps.after(turn.application, step), *lead)
    walk = steps.walk(turn.application)
    later = walk[walk.index(step) + 1:]
    return go_to(turn, next((s for s in later if s.key in returned.remarks), steps.REVIEW), *lead)


def needs_photo(draft, step, value):
    """是 on an item that needs evidence, and no photo sent yet."""
    return (step.kind == StepKind.ITEM and step.item.evidence_required and bool(value)
            and value.get("done") and not draft.photos(step.key))


def after_answer(turn, step, *lead):
    """Where an answer leads: stay for a missing photo, a roster or a text; else the next step."""
    if needs_photo(turn.draft, step, turn.draft.value(step.key)):
        turn.say(*lead, replies.NEEDS_PHOTO.format(no=step.no))
        turn.position.scratch[PHOTOS_AFTER_YES] = step.key
        return State.ITEM
    if state_of(step) in (State.ROSTER, State.LONGTEXT):
        return go_to(turn, step, *lead)
    return advance(turn, step, *lead)


def rewrite_armed(turn):
    """重写 was sent at the long text in hand: the next message replaces it."""
    return turn.position.scratch.get(TEXT_MODE) == Word.REWRITE


def closed_note(application, today):
    """For a draft whose window has closed: that it is over and where to go next; else ""."""
    if application.status != AppStatus.DRAFT or windows.window_open_for(application, today):
        return ""
    return status_texts.WINDOW_CLOSED.format(deadline=format_day(windows.editable_until(application)))


def open_application(turn, application, *lead):
    """Start or resume filling: where the chair stopped in this application, else the first open step."""
    same = turn.position.app_id == application.id and turn.position.key
    turn.hold(application)
    title = application_title(application)
    status = windows.status_text(application, turn.today)
    if application.status not in EDITABLE:
        turn.position.key = steps.REVIEW_KEY
        turn.say(*lead, status_texts.status_text(title, status, application.status))
        return State.REVIEW
    conflict = turn.position.scratch.get("conflict") if same else None
    step = steps.find(application, conflict["key"]) if conflict else None
    if step is not None:  # left (暂停, 取消) while 覆盖 or 保留 was asked: asked again, not dropped
        turn.say(*lead, replies.OPENING.format(title=title, status=status), prompts.conflict_prompt(step, conflict))
        return State.CONFLICT
    step = steps.find(application, turn.position.key) if same else None
    if step is not None and _answered_elsewhere(turn, step):
        step = None  # filled in the mini-program meanwhile: asking it again would be asking twice
    if step is None:
        step = steps.first_open(application, answers_of(application))
    return go_to(turn, step, *lead, replies.OPENING.format(title=title, status=status),
                 prompts.return_feedback(turn.draft, turn.today), closed_note(application, turn.today))


def _answered_elsewhere(turn, step):
    """The step has a value now that the chair was not shown where they left it."""
    changed = steps.seen_revision(step, turn.draft.answer) != turn.position.revision
    return changed and step.kind != StepKind.HEADER and steps.is_filled(turn.draft.value(step.key))


def reask_after_aside(turn):
    """After answering something beside the question (help, the hotline, nearby stations): the
    question the person was at, so they are not left without it; nothing when idle."""
    if turn.position.state != State.IDLE:
        turn.say(state_prompt(turn))


def state_prompt(turn):
    """The current question again (for unknown input and after commands that do not move)."""
    state = turn.position.state
    if state in STEP_STATES:
        step = current_step(turn)
        if step is None:
            return prompts.idle_prompt(turn)
        prompt = prompts.step_prompt(turn.draft, step, turn.today)
        return f"{prompt}\n{replies.REWRITE_PENDING}" if rewrite_armed(turn) else prompt
    if state == State.CONFLICT:
        conflict = turn.position.scratch.get("conflict", {})
        step = steps.find(turn.application, conflict.get("key", "")) if turn.application else None
        return prompts.conflict_prompt(step, conflict) if step else prompts.idle_prompt(turn)
    if state == State.IDLE:
        return prompts.idle_prompt(turn)
    return prompts.STATE_PROMPTS[state](turn)
