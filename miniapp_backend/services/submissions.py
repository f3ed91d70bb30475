"""Submitting (freezing a snapshot and starting the review chain) and withdrawing."""
from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import AppStatus, AuditLog, ReviewStep, StepStatus, Submission
from miniapp_backend.services import campaigns, eligibility, review, windows
from miniapp_backend.services.drafts import answers_of, require_editable
from miniapp_backend.services.errors import Incomplete, InvalidState, NotEligible, PermissionDenied
from miniapp_backend.services.evidence import evidence_by_slot
from miniapp_backend.services.permissions import can_submit, require
from miniapp_backend.services.progress import progress


def snapshot(application):
    """Everything a packet and a reviewer need, frozen: answers, evidence hashes, subject."""
    return {
        "application_id": application.id,
        "kind": application.kind,
        "campaign": application.campaign.year,
        "round": application.round.name,
        "org": {"id": application.org_id, "full_name": application.org.full_name},
        "station": ({"id": application.station_id, "name": application.station.name,
                     "address": application.station.address} if application.station_id else None),
        "answers": {key: answer.value for key, answer in sorted(answers_of(application).items())},
        "evidence": {slot: [f.sha256 for f in files]
                     for slot, files in sorted(evidence_by_slot(application).items())},
    }


def submit(application, person, today=None):
    """Freeze a new version and start (or resume) the review chain; refuse listing what is missing."""
    today = today or local_today()
    with database.atomic():
        application = review.hold(application)
        require_editable(application, person, today)
        require(can_submit(person, application.org), "只有本单位工会主席可以提交，工作人员可以先填好")
        # The title a kind requires may have been revoked since the draft began (复查发现严重问题).
        spec = campaigns.kind_spec(application.campaign, application.kind)
        reasons = eligibility.missing_honour(application.org, spec)
        if reasons:
            raise NotEligible("；".join(reasons), reasons=reasons)
        state = progress(application)
        if not state.complete:
            raise Incomplete("还有未完成的内容，不能提交", missing=state.missing)
        returned_by = review.returning_step(application) if application.status == AppStatus.RETURNED else None
        carried = [s for s in review.steps_of(application) if returned_by and s.seq < returned_by.seq]
        application.version += 1
        Submission.create(application=application, version=application.version,
                          snapshot=snapshot(application), submitted_by=person)
        review.set_status(application, AppStatus.SUBMITTED, person, f"提交第{application.version}版")
        application.submitted_at = utcnow()
        application.rectify_deadline = None
        application.save()
        review.build_chain(application, application.version, carried)
        AuditLog.create(actor=person, action="application.submit", object_type="application",
                        object_id=application.id, detail={"version": application.version})
    return application


def withdraw(application, person, today=None):
    """Take a submission back to draft, allowed until a reviewer has acted on it and while it
    could be submitted again (a draft after the deadline would be stranded)."""
    today = today or local_today()
    with database.atomic():
        application = review.hold(application)
        _require_withdrawable(application, person, today)
        answered = _return_answered(application)
        for step in review.steps_of(application):
            step.delete_instance()
        if answered is None:
            review.set_status(application, AppStatus.DRAFT, person, "撤回")
        else:
            _restore_return(application, answered, person)
        application.save()
        AuditLog.create(actor=person, action="application.withdraw", object_type="application",
                        object_id=application.id, detail={"version": application.version})
    return application


def _return_answered(application):
    """The step that returned the previous version, when the current submission answers that
    return (and so resumed its chain), else None."""
    return next((s for s in review.steps_of(application, application.version - 1)
                 if s.status == StepStatus.RETURNED), None)


def _restore_return(application, returning, person):
    """Withdrawing a resubmission goes back to the return it answered: the remarks, the 整改截止
    and the approvals before the returning step stand again, as they did before it was sent."""
    for step in review.steps_of(application, returning.version):
        copied = {name: value for name, value in step.__data__.items() if name != "id"}
        ReviewStep.insert({**copied, "version": application.version}).execute()
    review.set_status(application, AppStatus.RETURNED, person, "撤回")
    application.rectify_deadline = returning.rectify_deadline


def _require_withdrawable(application, person, today):
    """Refuse, with the reason, a withdrawal `person` may not make today."""
    require(can_submit(person, application.org), "只有本单位工会主席可以撤回")
    if application.status != AppStatus.SUBMITTED:
        raise InvalidState("只有审核中的申报可以撤回")
    if review.reviewer_acted(application):
        raise InvalidState("审核人已经处理过这份申报，不能撤回；如需修改请联系审核人退回")
    stranded = withdrawal_strands(application, today)
    if stranded:
        raise InvalidState(stranded)


def withdrawal_strands(application, today):
    """Why a submission taken back today could not be submitted again (so may not be taken back),
    or None: its 整改截止, or else its round, is over."""
    answered = _return_answered(application)
    if answered is not None and answered.rectify_deadline is not None:
        if today > answered.rectify_deadline:
            return (f"整改截止（{format_day(answered.rectify_deadline)}）已过，撤回后无法重新提交，"
                    "所以不能撤回；如需修改请联系审核人退回整改")
        return None
    if not windows.round_open(application.round, today):
        return (f"{windows.round_state_text(application.round, today)}，撤回后无法重新提交，"
                "所以不能撤回；如需修改请联系审核人退回整改")
    return None


def may_withdraw(application, person, today=None):
    """Whether `withdraw` would let `person` take the application back today."""
    try:
        _require_withdrawable(application, person, today or local_today())
    except (PermissionDenied, InvalidState):
        return False
    return True


def latest_submission(application):
    """The newest frozen snapshot, or None."""
    return (Submission.select().where(Submission.application == application)
            .order_by(Submission.version.desc()).first())


