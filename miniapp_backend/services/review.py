"""The review chain: building it per submitted version, deciding steps, paper-stamp steps."""
import datetime as dt

from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import (
    ROLE_LABELS, Application, AppStatus, AuditLog, Decision, EvidenceLink, OrgKind, ReviewStep, StatusEvent,
    StepMode, StepStatus)
from miniapp_backend.services import campaigns, eligibility, notices, station_changes
from miniapp_backend.services.drafts import templates
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.orgs import district_of, nearest_ancestor, system_union_of
from miniapp_backend.services.permissions import REVIEWER_ROLES, can_fill, can_review_as, require

DEFAULT_LABELS = {
    "base_union": "基层工会委员会意见",
    "unit_paper": "本单位行政、党委意见（盖章页）",
    "system": "系统工会意见",
    "district": "区总工会审批意见",
}
PAPER_LEVELS = ("unit_admin", "unit_party", "unit_party_admin")
PAPER_STEP = "unit_paper"  # the chain level done on paper: the unit uploads its stamped pages


# A 整改 longer than a season is no rectification; a later date is a typo (2030 for 2018).
RECTIFY_MAX_DAYS = dt.timedelta(days=90)

def _reviewing_org(application, level):
    """The org that owns a level's decision for this application, or None to skip the level."""
    org = application.org
    if level == "base_union":
        return nearest_ancestor(org, OrgKind.GRASSROOTS, OrgKind.JOINT)
    if level == PAPER_STEP:
        return org
    if level == "system":
        # 直属 units (and 系统工会 applying themselves) go straight to the district.
        return None if org.kind == OrgKind.SYSTEM else system_union_of(org)
    return district_of(org)


def _labels(application):
    """Approval-block labels per chain level, from the bundle's forms."""
    labels = dict(DEFAULT_LABELS)
    paper = []
    for template in templates(application):
        for block in template.approvals:
            for level in block.levels:
                if level in PAPER_LEVELS:
                    paper.append(block.label)
                elif level not in labels or labels[level] == DEFAULT_LABELS.get(level):
                    labels[level] = block.label
    if paper:
        labels[PAPER_STEP] = "、".join(dict.fromkeys(paper)) + "（盖章页上传）"
    return labels


def build_chain(application, version, carried=()):
    """Create the steps of `version`; `carried` are earlier approved steps that still stand."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    labels = _labels(application)
    carried = {step.level: step for step in carried}
    seq, first_open = 0, True
    for level in spec.chain:
        org = _reviewing_org(application, level)
        if org is None:
            continue
        seq += 1
        done = carried.get(level)
        mode = StepMode.PAPER if level == PAPER_STEP else StepMode.DIGITAL
        step = ReviewStep(application=application, version=version, seq=seq, level=level,
                          mode=mode, label=labels[level], org=org, status=StepStatus.WAITING)
        if done is not None:
            step.status, step.reviewer, step.opinion = StepStatus.APPROVED, done.reviewer, done.opinion
            step.decided_at = done.decided_at
        elif first_open:
            step.status, first_open = StepStatus.PENDING, False
        step.save()


def stamped_slots(application):
    """The "stamped:<level>" slots this application's chain has: one per paper step."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    return {f"stamped:{level}" for level in spec.chain if level == PAPER_STEP}


def steps_of(application, version=None):
    """The chain of a version (default: the current one), in order."""
    version = application.version if version is None else version
    return list(ReviewStep.select().where(ReviewStep.application == application,
                                          ReviewStep.version == version).order_by(ReviewStep.seq))


def current_step(application):
    """The pending step, or None when nothing waits on anyone."""
    return next((s for s in steps_of(application) if s.status == StepStatus.PENDING), None)


def returned_by(application):
    """The step that sent the application back for 整改 (its opinion, per-item remarks and
    deadline), or None unless the application is returned now."""
    if application.status != AppStatus.RETURNED:
        return None
    return next((s for s in reversed(steps_of(application)) if s.status == StepStatus.RETURNED), None)


def reviewer_acted(application):
    """True once a reviewer decided a digital step of the current submission (ends 撤回)."""
    since = application.submitted_at
    return any(s.mode == StepMode.DIGITAL and s.decided_at is not None and since is not None
               and s.decided_at >= since for s in steps_of(application))


def hold(application):
    """The application read again inside the caller's transaction, with its row held: a submit,
    withdrawal or decision racing this one waits for it, then sees its outcome. The first
    statement writes (a no-op UPDATE), so SQLite takes its write lock before reading instead of
    failing to upgrade a read ("database is locked"); PostgreSQL locks the row."""
    Application.update(id=Application.id).where(Application.id == application.id).execute()
    return Application.get_by_id(application.id)


STALE_STEP = "这一环节已被他人处理或申报已撤回，请刷新页面后再审核"
DECISION_STATUS = {Decision.APPROVE: StepStatus.APPROVED, Decision.RETURN: StepStatus.RETURNED,
                   Decision.REJECT: StepStatus.REJECTED}


def set_status(application, to_status, actor, note=""):
    """Move the application and record the event."""
    StatusEvent.create(application=application, from_status=application.status,
                       to_status=to_status, actor=actor, note=note)
    application.status = to_status
    application.updated_at = utcnow()


def decide(application, person, decision, opinion="", remarks=None, rectify_deadline=None, today=None):
    """A reviewer's decision on the pending digital step; it becomes the digital 审批意见."""
    return decide_and_tell(application, person, decision, opinion, remarks, rectify_deadline, today)[0]


def decide_and_tell(application, person, decision, opinion="", remarks=None, rectify_deadline=None,
                    today=None, step_id=None):
    """decide, returning (application, the notices it queued for the unit) for the caller to deliver;
    with `step_id` (the step the reviewer saw), refuse when another decision came first."""
    decision = Decision(decision)
    today = today or local_today()
    with database.atomic():
        application = hold(application)
        step = current_step(application)
        if step_id is not None and (step is None or step.id != step_id):
            raise InvalidState(STALE_STEP)
        if application.status != AppStatus.SUBMITTED or step is None:
            raise InvalidState("这份申报当前没有待审核的环节")
        if step.mode != StepMode.DIGITAL:
            raise InvalidState("当前环节是单位盖章页上传，由申报单位完成")
        require(can_review_as(person, step.org, step.level), not_reviewer_message(step))
        remarks = {k: v.strip() for k, v in (remarks or {}).items() if v and v.strip()}
        _check_decision(decision, opinion, remarks, rectify_deadline, today)
        blocked = approval_blocked(application) if decision == Decision.APPROVE else ""
        if blocked:
            raise InvalidState(blocked)
        step.reviewer, step.opinion, step.remarks, step.decided_at = person, opinion.strip(), remarks, utcnow()
        step.status = DECISION_STATUS[decision]
        step.rectify_deadline = rectify_deadline if decision == Decision.RETURN else None
        step.save()
        _advance(application, step, decision, person, rectify_deadline)
        AuditLog.create(actor=person, action=f"review.{decision}", object_type="application",
                        object_id=application.id,
                        detail={"step": step.seq, "level": step.level, "opinion": step.opinion,
                                "remarks": remarks})
        queued = notices.status_changed(application, step, decision)
    return application, queued


def approval_blocked(application):
    """Why no reviewer may approve `application` now (its org lost the title its kind requires
    since it was filed), or "": a return or a rejection remains."""
    lost = eligibility.lost_prerequisite(application)
    return f"{lost}，不能审核通过；请退回整改或作出不予通过的决定" if lost else ""


def not_reviewer_message(step):
    """Why someone may not decide `step`, naming who does."""
    signer = ROLE_LABELS[REVIEWER_ROLES[step.level]]
    return f"您不是这一审核环节的审核人：“{step.label}”由{step.org.full_name}的{signer}审核"


def _check_decision(decision, opinion, remarks, rectify_deadline, today):
    """A return needs remarks or an opinion and a 整改截止 from tomorrow to RECTIFY_MAX_DAYS ahead;
    a rejection needs a reason."""
    if decision == Decision.RETURN:
        if not opinion.strip() and not remarks:
            raise ValidationFailed("退回整改须写明意见或逐项说明", key="opinion")
        if rectify_deadline is None or rectify_deadline <= today:
            # A deadline of today would leave the unit hours, and close its round early.
            raise ValidationFailed("退回整改须设定明天或以后的整改截止日期，给单位留出整改时间", key="rectify_deadline")
        latest = today + RECTIFY_MAX_DAYS
        if rectify_deadline > latest:
            raise ValidationFailed(f"整改期限最长{RECTIFY_MAX_DAYS.days}天：整改截止不能晚于{format_day(latest)}",
                                   key="rectify_deadline")
    if decision == Decision.REJECT and not opinion.strip():
        raise ValidationFailed("不予通过须写明理由", key="opinion")


def _advance(application, step, decision, person, rectify_deadline):
    """Open the next step, or finish the application."""
    if decision == Decision.APPROVE:
        following = [s for s in steps_of(application) if s.seq > step.seq]
        if following:
            following[0].status = StepStatus.PENDING
            following[0].save()
        else:
            set_status(application, AppStatus.APPROVED, person, step.opinion)
            application.decided_at = utcnow()
            station_changes.follow_approval(application, person)
    elif decision == Decision.RETURN:
        set_status(application, AppStatus.RETURNED, person, step.opinion)
        application.rectify_deadline = rectify_deadline
    else:
        set_status(application, AppStatus.REJECTED, person, step.opinion)
        application.decided_at = utcnow()
    application.save()


def require_paper_step_open(application, person):
    """Stamped pages may be uploaded by the unit while its paper step is pending."""
    require(can_fill(person, application.org), "只有本单位工会主席或工会工作人员可以上传盖章页")
    step = current_step(application)
    if application.status != AppStatus.SUBMITTED or step is None or step.mode != StepMode.PAPER:
        raise InvalidState("当前不需要上传盖章页")
    return step


def complete_paper_step(application, person):
    """The unit confirms its stamped pages are uploaded; the chain moves on."""
    with database.atomic():
        application = hold(application)
        step = require_paper_step_open(application, person)
        uploaded = EvidenceLink.select().where(EvidenceLink.application == application,
                                               EvidenceLink.slot == f"stamped:{step.level}").exists()
        if not uploaded:
            raise InvalidState(f"请先上传“{step.label}”的盖章扫描件")
        step.status, step.reviewer, step.decided_at = StepStatus.APPROVED, person, utcnow()
        step.opinion = "已上传盖章页"
        step.save()
        _advance(application, step, Decision.APPROVE, person, None)
        AuditLog.create(actor=person, action="review.paper", object_type="application",
                        object_id=application.id, detail={"step": step.seq})
    return application


def returning_step(application):
    """The step of the current version that returned the application, if any."""
    return next((s for s in steps_of(application) if s.status == StepStatus.RETURNED), None)
