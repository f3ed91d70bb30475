"""What the product tells people, composed once for every channel (text + template parts)."""
from miniapp_backend.clock import format_day, format_local, utcnow
from miniapp_backend.models import APP_STATUS_LABELS, AppStatus, Decision, Role, RoleKind
from miniapp_backend.services import campaigns
from miniapp_backend.services.drafts import answer_place
from miniapp_backend.services.notifications import queue

DECISION_WORDS = {Decision.APPROVE: "审核通过", Decision.RETURN: "退回整改", Decision.REJECT: "未通过"}
# An approval with a level still to review: the template's one word must not read as the result.
LEVEL_PASSED = "本级通过"
NEXT_LEVEL = "已转入下一审核环节。"


def application_title(application):
    """“2018年区级先进职工之家” style title of an application; a 驿站's names its station
    (“2018年职工暖心驿站·拱辰大街驿站”), so a unit's several stations can be told apart."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    title = campaigns.kind_title(application.campaign.year, spec.label)
    return f"{title}·{application.station.name}" if application.station_id else title


def recipients(org):
    """Who hears about an org's applications: its chair and staff."""
    return [role.person for role in Role.select().where(
        Role.org == org, Role.kind.in_([RoleKind.CHAIR, RoleKind.STAFF]))]


def reviewing_org(step):
    """The union that decided a step, by name: one printed box ("区总工会，局，集团、公司工会意见")
    serves two levels."""
    return step.org.full_name if step.org_id else step.label


def review_lines(application, step):
    """A decided step's opinion and per-item remarks, one line each (none when it has neither)."""
    lines = [f"意见：{step.opinion}"] if step.opinion else []
    if step.remarks:
        lines.append("逐项意见：" + "；".join(f"{answer_place(application, key)}：{text}"
                                            for key, text in step.remarks.items()))
    return lines


def status_changed(application, step, decision):
    """Tell the unit what a reviewer decided, with remarks and 整改截止 on a return."""
    title = application_title(application)
    word = DECISION_WORDS[Decision(decision)]
    lines = [f"【{title}】{reviewing_org(step)}：{word}。", *review_lines(application, step)]
    detail = word  # the card's fourth keyword (a thing: 20 characters)
    if decision == Decision.RETURN and application.rectify_deadline:
        day = format_day(application.rectify_deadline)
        lines.append(f"请于{day}前修改后重新提交（发送“申报”继续）。")
        detail = f"整改截止{day}"
    status = APP_STATUS_LABELS[AppStatus(application.status)]
    if decision == Decision.APPROVE and application.status == AppStatus.SUBMITTED:
        status = LEVEL_PASSED
        lines.append(NEXT_LEVEL)
    parts = {"text": "\n".join(lines), "title": title, "status": status,
             "time": format_local(utcnow()), "detail": detail, "page": f"pages/application/detail?id={application.id}"}
    key = f"status:{application.id}:v{application.version}:s{step.seq}:{Decision(decision)}"
    return [n for n in (queue(p, f"{key}:p{p.id}", "status_changed", parts)
                        for p in recipients(application.org)) if n]
