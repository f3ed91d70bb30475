"""How 会员评家 looks in the API: rounds, issued codes, who has voted, results and deliveries."""
from miniapp_backend.api.schemas import (
    ISO_DATE, Schema, any_value, array, boolean, identifier, integer, mapping, nullable, number, string)
from miniapp_backend.api.shapes import OrgRef, moment, org_view, timestamp
from miniapp_backend.clock import format_deadline
from miniapp_backend.models.evaluations import ELECTORATE_LABELS, Electorate, RoundStatus
from miniapp_backend.services import ballots, campaigns, evaluations, permissions
from miniapp_backend.services.evaluation_roster import CONTACT_MAX, MAX_VOTERS, NAME_MAX
from miniapp_backend.services.evaluation_tally import percent

# Names, titles and questions are printed in the report; control characters (which PostgreSQL
# also refuses as NUL) have no place in them.
PLAIN_TEXT = r"^[^\x00-\x1f\x7f]*$"
NO_CONTROLS = "不能含换行等控制字符"
ONCE = "投票码只显示这一次，请妥善分发给本人；丢失的可以补发，旧码随即作废"

# Inline rather than a named Schema: a refusal names it by its title (投票人), not a schema name.
ROSTER_ENTRY = {
    "type": "object", "title": "投票人", "additionalProperties": False, "required": ["name"],
    "properties": {
        "name": string("姓名", pattern=PLAIN_TEXT, description=f"不超过{NAME_MAX}字，{NO_CONTROLS}"),
        "contact": string("联系方式", pattern=PLAIN_TEXT, default="",
                          description=f"手机、部门或工号，同名的人靠它区分；不超过{CONTACT_MAX}字，{NO_CONTROLS}"),
    },
}
ROSTER = array("名单", ROSTER_ENTRY, max_items=MAX_VOTERS,
               description="空名单、重复的人（姓名和联系方式都相同）、过长的姓名逐行说明")
EvaluationOpen = Schema("EvaluationOpen", {
    "org_id": identifier("组织编号", description="只在一个组织任职时可不填"),
    "roster": ROSTER,
    "closes": string("截止日期", fmt="date", pattern=ISO_DATE,
                     description="含当天，如 2018-06-30：当天24:00停止投票"),
    "standards": array("评家标准", string("标准", pattern=PLAIN_TEXT), min_items=1,
                       description=f"1到{evaluations.STANDARDS_MAX}项，每项不超过{evaluations.STANDARD_MAX_CHARS}字；"
                                   f"默认：{'、'.join(evaluations.DEFAULT_STANDARDS)}"),
    "title": string("评议名称", max_length=100, pattern=PLAIN_TEXT,
                    description="默认如“2018年度会员评议职工之家”"),
    "motion": string("表决事项", max_length=200, pattern=PLAIN_TEXT,
                     description="每张选票上同意或不同意的问题；默认按本单位正在填写的申报类别，"
                                 "如“您是否同意…申报区级先进职工之家？”"),
    "electorate": string("投票人", enum=[e.value for e in Electorate], default=Electorate.MEMBERS.value,
                         description="members 为全体会员（会员大会），representatives 为会员代表（会员代表大会）"),
}, required=["roster", "closes"])
RosterAdd = Schema("EvaluationRosterAdd", {"roster": ROSTER}, required=["roster"])
ListQuery = Schema("EvaluationListQuery", {"org_id": identifier("组织编号")})

EvaluationView = Schema("Evaluation", {
    "id": integer("评议编号"), "org": OrgRef.ref, "title": string("评议名称"),
    "motion": string("表决事项"),
    "electorate": string("投票人", enum=[e.value for e in Electorate]),
    "electorate_label": string("投票人名称"), "standards": array("评家标准", string("标准")),
    "status": string("状态", enum=[s.value for s in RoundStatus],
                     description="closed 为已结束；open 为尚未结束（过了截止时间也是，须结束后才填入申报）。"
                                 "截止时无人投票的一轮不能结束，开始新的一轮时标为 closed，没有结果"),
    "status_label": string("状态名称"), "accepting": boolean("现在可以投票"),
    "closes_at": timestamp("停止投票的时刻"),
    "closes_text": string("截止时间（显示用）", description="如 2018-06-30 24:00"),
    "created_at": timestamp("开始时间"), "closed_at": timestamp("结束时间"),
    "expected": integer("名单人数（应到）"), "present": integer("已投票人数"),
    "turnout": nullable(number("参与率（%）")),
    "close_notice": nullable(string("结束前的确认", description="结束前请主席确认的话：参与情况、不足三分之二时的提醒；"
                                                              "还没有人投票时是不能结束的原因；已结束为 null")),
    "can_manage": boolean("我能管理", description="本单位工会主席或工作人员：补充名单、补发投票码、移出、结束"),
}, required=["id", "org", "title", "motion", "standards", "status", "accepting", "closes_at",
             "expected", "present", "can_manage"], closed=False)
EvaluationList = Schema("EvaluationList", {"rounds": array("会员评家（新的在前）", EvaluationView.ref)},
                        required=["rounds"], closed=False)
IssuedCode = Schema("EvaluationCode", {
    "name": string("姓名"), "contact": string("联系方式"),
    "code": string("投票码", description="bt. 开头，可作小程序码的 scene"),
    "url": string("投票链接", description="在微信或手机浏览器中打开即可投票"),
}, required=["name", "contact", "code", "url"], closed=False)
IssuedCodes = Schema("EvaluationCodes", {
    "round": EvaluationView.ref, "codes": array("新发的投票码", IssuedCode.ref), "notice": string("提醒"),
}, required=["round", "codes", "notice"], closed=False,
   description="投票码只在这一次回答里出现：服务器不保存投票码，之后无法再查看。")
VoterView = Schema("EvaluationVoter", {
    "id": integer("投票人编号"), "name": string("姓名"), "contact": string("联系方式"),
    "voted": boolean("已投票"), "voted_at": timestamp("投票时间"),
}, required=["id", "name", "contact", "voted", "voted_at"], closed=False)
VoterList = Schema("EvaluationVoters", {
    "voters": array("名单（录入顺序）", VoterView.ref), "expected": integer("名单人数"),
    "present": integer("已投票人数"),
}, required=["voters", "expected", "present"], closed=False,
   description="只显示谁已投票，不显示投了什么。")
ScoreCount = Schema("EvaluationScoreCount", {
    "score": integer("分值"), "label": string("含义"), "count": integer("票数"),
}, required=["score", "label", "count"], closed=False)
StandardResult = Schema("EvaluationStandardResult", {
    "name": string("评家标准"), "average": nullable(number("平均分")),
    "satisfaction": nullable(number("满意率（%）")), "distribution": array("各分值票数（5到1分）", ScoreCount.ref),
}, required=["name", "average", "satisfaction", "distribution"], closed=False)
Results = Schema("EvaluationResults", {
    "expected": integer("应到"), "present": integer("实到（投票数）"), "agreed": integer("同意"),
    "disagreed": integer("不同意"), "satisfied": integer("满意票数"),
    "satisfaction": nullable(number("群众满意率（%）")), "turnout": nullable(number("参与率（%）")),
    "standards": array("各项评家标准", StandardResult.ref), "comments": array("意见建议", string("意见")),
    "comments_withheld": boolean("意见原文不公布", description="投票太少时为保护投票人不列出意见"),
}, required=["expected", "present", "agreed", "satisfaction", "standards", "comments",
             "comments_withheld"], closed=False)
Summary = Schema("EvaluationSummary", {"round": EvaluationView.ref, "results": nullable(Results.ref)},
                 required=["round", "results"], closed=False,
                 description="投票进行期间 results 为 null：只公布参与情况，结束（或截止）后才有计票结果。")
Delivery = Schema("EvaluationDelivery", {
    "application_id": integer("申报编号"), "kind": string("申报类别"), "kind_label": string("类别名称"),
    "delivered": boolean("已填入审议情况并附上会员评家报告"), "error": string("未能填入的原因"),
    "filled": mapping("填入的答案", any_value("值"), description="键为答案键"),
    "checks": array("请核对", string("说明"), description="已手工填写、与计票结果不同而保留的数值"),
    "warnings": array("提醒", string("提醒")),
}, required=["application_id", "delivered", "error", "filled", "checks", "warnings"], closed=False)
Delivered = Schema("EvaluationDelivered", {
    "round": EvaluationView.ref, "results": Results.ref,
    "deliveries": array("本单位可填写的申报", Delivery.ref, description="为空：本单位还没有要填审议情况的申报"),
}, required=["round", "results", "deliveries"], closed=False)


def _number(value):
    """A Decimal result as a JSON number, None staying None."""
    return None if value is None else float(value)


def _status_label(round_, present, now):
    """投票中, 已截止 (past its closing time, waiting to be closed; or nobody voted) or 已结束."""
    if round_.accepting(now):
        return "投票中"
    if not present:
        return "已截止，无人投票"
    return "已结束" if round_.status == RoundStatus.CLOSED else "已截止，待结束"


def evaluation_view(round_, turnout, person, now):
    """A round with its turnout, given as (expected, present)."""
    expected, present = turnout
    return {
        "id": round_.id, "org": org_view(round_.org), "title": round_.title, "motion": round_.motion,
        "electorate": round_.electorate,
        "electorate_label": ELECTORATE_LABELS[Electorate(round_.electorate)],
        "standards": list(round_.standards), "status": round_.status,
        "status_label": _status_label(round_, present, now), "accepting": round_.accepting(now),
        "closes_at": moment(round_.closes_at), "closes_text": format_deadline(round_.closes_at),
        "created_at": moment(round_.created_at), "closed_at": moment(round_.closed_at),
        "expected": expected, "present": present, "turnout": _number(percent(present, expected)),
        "close_notice": evaluations.close_notice(round_, expected, present, now),
        "can_manage": permissions.can_fill(person, round_.org),
    }


def code_view(issued, public_base_url):
    """One issued code with the link its voter opens."""
    return {"name": issued.name, "contact": issued.contact, "code": issued.scene,
            "url": ballots.link_for(public_base_url, issued.scene)}


def voter_view(status):
    """One roster entry: whether and when the person voted."""
    return {"id": status.id, "name": status.name, "contact": status.contact,
            "voted": status.voted_at is not None, "voted_at": moment(status.voted_at)}


def results_view(counted):
    """A Tally as numbers (percentages and means to two places)."""
    return {
        "expected": counted.expected, "present": counted.present, "agreed": counted.agreed,
        "disagreed": counted.present - counted.agreed, "satisfied": counted.satisfied,
        "satisfaction": _number(counted.satisfaction), "turnout": _number(counted.turnout),
        "standards": [{"name": r.name, "average": _number(r.average), "satisfaction": _number(r.satisfaction),
                       "distribution": [{"score": score, "label": ballots.SCALE[score], "count": count}
                                        for score, count in r.distribution.items()]}
                      for r in counted.standards],
        "comments": list(counted.comments), "comments_withheld": counted.comments_withheld,
    }


def delivery_view(delivery):
    """What delivering the results did to one application."""
    application, prefill = delivery.application, delivery.prefill
    return {
        "application_id": application.id, "kind": application.kind,
        "kind_label": campaigns.kind_spec(application.campaign, application.kind).label,
        "delivered": not delivery.error, "error": delivery.error,
        "filled": dict(prefill.written) if prefill else {},
        "checks": prefill.mismatch_lines() if prefill else [],
        "warnings": list(prefill.warnings) if prefill else [],
    }
