"""A reviewer's decision from the admin web: guarded against stale pages, with its notices."""
from miniapp_backend.models import Decision, ReviewStep
from miniapp_backend.services import review
from miniapp_backend.services.drafts import templates
from miniapp_backend.services.errors import InvalidState, ValidationFailed

REMARK_PREFIX = "remark:"


def remarks_from_form(form):
    """{answer key: text} from "remark:<key>" fields, blanks dropped."""
    return {key[len(REMARK_PREFIX):]: text.strip() for key, text in form.items()
            if key.startswith(REMARK_PREFIX) and text.strip()}


def remark_keys(application):
    """The answer keys of the application's fields and checklist items: the rows the page offers
    remarks on."""
    return {f"{t.code}:{key}" for t in templates(application) for key in t.answer_keys()}


def decide(application, person, step_id, decision, opinion, remarks, rectify_deadline):
    """review.decide on the step the reviewer saw; return (application, the notices it queued)."""
    if decision not in set(Decision):
        raise ValidationFailed("请选择审核决定：同意、退回整改或不予通过", key="decision")
    step = review.current_step(application)
    if step is None or step.id != step_id:
        raise InvalidState(review.STALE_STEP)
    if set(remarks) - remark_keys(application):
        raise ValidationFailed("逐项意见只能填写在本申报各表的栏目和各项上，请刷新页面后重新填写", key="remarks")
    # Checked again inside the decision: another tab's decision may land in between.
    return review.decide_and_tell(application, person, decision, opinion, remarks, rectify_deadline,
                                  step_id=step_id)


def repeated(application, person, step_id, decision):
    """True when `person` already made this `decision` on the step `step_id`: the same form sent
    twice (a double click, a reload), whose first sending was done."""
    status = review.DECISION_STATUS.get(decision)
    return status is not None and ReviewStep.select().where(
        ReviewStep.id == step_id, ReviewStep.application == application, ReviewStep.reviewer == person,
        ReviewStep.status == status).exists()
