"""Which of an org's applications a 会员评家 serves: those whose 登记表 carries a 审议情况 to fill
from the count, or whose kind asks for a 会员评家报告 among its materials."""
from miniapp_backend.models import Application
from miniapp_backend.services import campaigns
from miniapp_backend.services.drafts import EDITABLE, templates

EVALUATION_REPORT = "member_evaluation_report"  # the material a kind's campaign data may ask for
# Field keys of each 登记表's 审议情况, in the order 应到 (5-2: 会员人数), 实到, 同意, 群众满意率.
DELIBERATION_FIELDS = {
    "district_home_registration": ("expected", "present", "agreed", "satisfaction"),
    "small_home_registration": ("member_total", "present", "agreed", "satisfaction"),
}


def deliberation_forms(application):
    """The (form code, field keys) of the application's parts that carry a 审议情况."""
    return [(t.code, DELIBERATION_FIELDS[t.code]) for t in templates(application)
            if t.code in DELIBERATION_FIELDS]


def takes_report(application):
    """Whether the application's kind has a 会员评家报告 among its materials (its `report` slot)."""
    return EVALUATION_REPORT in campaigns.kind_spec(application.campaign, application.kind).materials


def applications_for(org):
    """The org's own editable applications that take a 审议情况 or a 会员评家报告."""
    candidates = (Application.select().where(Application.org == org,
                                             Application.station.is_null(),
                                             Application.status.in_(list(EDITABLE)))
                  .order_by(Application.id))
    return [a for a in candidates if deliberation_forms(a) or takes_report(a)]
