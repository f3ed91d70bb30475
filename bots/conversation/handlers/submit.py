"""进度, 提交 (only the chair submits) and 撤回."""

from bots.conversation import flow, prompts, replies, status_texts, steps
from bots.conversation.draft import DraftReads
from bots.conversation.position import State, live_application
from miniapp_backend.clock import format_day
from miniapp_backend.models import AppStatus, StepMode
from miniapp_backend.services import review, submissions, windows
from miniapp_backend.services.drafts import EDITABLE
from miniapp_backend.services.errors import Incomplete
from miniapp_backend.services.notices import application_title
from miniapp_backend.services.progress import progress
from workers.packets import enqueue_packet


def _application_or_explain(turn):
    """The application in hand (or the live draft), or None after saying there is none."""
    application = turn.application or live_application(turn.person)
    if application is None:
        flow.explain_no_application(turn)
    return application


def show_progress(turn):
    """进度: counts, missing items as ranges, missing photos, warnings."""
    application = _application_or_explain(turn)
    if application is None:
        return turn.stay()
    state = progress(application)
    status = AppStatus(application.status)
    if status == AppStatus.SUBMITTED:
        tail = _in_review(application)
    elif status not in EDITABLE:
        tail = ""
    elif closed := flow.closed_note(application, turn.today):
        tail = closed
    elif windows.rectify_overdue(application, turn.today):
        tail = ""  # nothing can be changed now: the return's feedback says what may still be done
    else:
        tail = status_texts.PROGRESS_COMPLETE if state.complete else prompts.missing_text(application, state.missing)
    if status == AppStatus.RETURNED:  # what the reviewer asked for comes first
        feedback = prompts.return_feedback(DraftReads(application), turn.today)
        tail = "\n\n".join(filter(None, [feedback, tail]))
    turn.say(status_texts.progress_report(application_title(application), windows.status_text(application, turn.today),
                                          state, tail))
    return turn.stay()


def _in_review(application):
    """What a submitted application waits for: the unit's own stamped pages, or a reviewer."""
    step = review.current_step(application)
    if step is not None and step.mode == StepMode.PAPER:
        return status_texts.PAPER_STEP.format(label=step.label)
    return status_texts.PROGRESS_IN_REVIEW


def submit(turn):
    """提交: precisely what is missing, or submitted and confirmed (notices go out by job)."""
    application = _application_or_explain(turn)
    if application is None:
        return turn.stay()
    try:
        application = submissions.submit(application, turn.person, turn.today)
    except Incomplete as exc:
        missing = prompts.missing_text(application, exc.details["missing"])
        turn.say(status_texts.CANNOT_SUBMIT.format(missing=missing))
        return turn.stay()
    enqueue_packet(turn.redis, application)  # the print-ready packet to sign and stamp
    # Org names, not block labels: one approval block can serve two levels under one label. The
    # paper step is the applicant's own stamp, not a reviewer: named as what the chair must get.
    chain = [status_texts.OWN_STAMP if step.mode == StepMode.PAPER else step.org.full_name
             for step in review.steps_of(application)]
    turn.say(status_texts.submitted(application_title(application), application.version, chain))
    if review.current_step(application).mode == StepMode.PAPER:
        turn.say(_in_review(application))
    turn.hold(application)
    turn.position.key = steps.REVIEW_KEY
    return State.REVIEW


def withdraw(turn):
    """撤回: back to draft while no reviewer has acted."""
    application = _application_or_explain(turn)
    if application is None:
        return turn.stay()
    application = submissions.withdraw(application, turn.person, turn.today)
    if application.status == AppStatus.RETURNED:  # a resubmission taken back: its return stands again
        said = replies.WITHDRAWN_TO_RETURN.format(deadline=format_day(application.rectify_deadline))
        return flow.open_application(turn, application, said)
    return flow.open_application(turn, application, replies.WITHDRAWN)
