"""The 会员评家报告 of a closed round, and delivering a round's results to the org's applications.

Delivering = for each of the org's editable applications: prefill the 登记表's 审议情况
(evaluation_prefill.prefill_deliberation) and attach the report PDF to the `report` slot, which is
what progress() checks for the required 会员评家报告 and what the packet prints.
"""
from dataclasses import dataclass, field
from fractions import Fraction

from miniapp_backend.clock import format_day, format_deadline_day, last_local_day, to_local
from miniapp_backend.models import FileKind
from miniapp_backend.models.evaluations import ELECTORATE_LABELS, Electorate, RoundStatus
from miniapp_backend.services import evaluation_pdf, evidence
from miniapp_backend.services.errors import DomainError, InvalidState
from miniapp_backend.services.evaluation_tally import MIN_CROWD, SATISFIED_SCORE, has_quorum, percent
from miniapp_backend.services.evaluation_prefill import prefill_deliberation
from miniapp_backend.services.evaluation_targets import applications_for
from miniapp_backend.services.evaluations import MANAGE_REFUSAL, close_round, counted_votes
from miniapp_backend.services.permissions import can_fill, require

REPORT_SLOT = "report"
PDF_MIME = "application/pdf"
MAJORITY = Fraction(1, 2)  # the 登记表's own warning: 同意 > 1/2 of 实到


@dataclass(frozen=True)
class ReportData:
    """Everything the PDF prints, as text and numbers."""

    org_name: str
    title: str
    expected_label: str
    tally: object
    intro: list
    findings: list
    notes: list
    withheld_note: str


@dataclass
class Delivery:
    """What happened to one application: the prefill, the attached report, or why not."""

    application: object
    prefill: object = None
    report: object = None
    error: str = ""


@dataclass
class RoundResults:
    """A closed round, its count, and one Delivery per application of the org."""

    round: object
    tally: object
    deliveries: list = field(default_factory=list)


def _period(round_):
    """E.g. 2018年5月10日至2018年6月30日."""
    end = last_local_day(round_.closed_at or round_.closes_at)
    return f"{format_day(to_local(round_.created_at).date())}至{format_day(end)}"


def _intro(round_, counted):
    """Who was asked what, how and when."""
    voters = ELECTORATE_LABELS[Electorate(round_.electorate)]
    standards = "、".join(round_.standards)
    return [f"评议事项：{round_.motion}",
            f"评议方式：本单位{voters}{counted.expected}人凭各自的投票码在手机上匿名投票，对评议事项表示同意或"
            f"不同意，并按{standards}{len(round_.standards)}项评家标准分别评价满意程度（1至5分）。",
            f"评议时间：{_period(round_)}。"]


def _findings(counted):
    """The count in sentences, with the 登记表's quorum and majority checks."""
    lines = [f"应到{counted.expected}人，实到{counted.present}人（参与率{counted.turnout}%）；同意{counted.agreed}人，"
             f"占实到人数的{percent(counted.agreed, counted.present)}%；不同意{counted.present - counted.agreed}人；"
             f"群众满意率{counted.satisfaction}%。"]
    quorum = has_quorum(counted.present, counted.expected)
    majority = counted.agreed > MAJORITY * counted.present
    lines.append(f"实到人数{'达到' if quorum else '不足'}应到人数的三分之二；"
                 f"同意人数{'超过' if majority else '未超过'}实到人数的半数。")
    rated = [r for r in counted.standards if r.satisfaction is not None]
    if len(rated) > 1:
        best = max(rated, key=lambda r: r.satisfaction)
        worst = min(rated, key=lambda r: r.satisfaction)
        lines.append(f"满意率最高的是“{best.name}”（{best.satisfaction}%），最低的是“{worst.name}”（{worst.satisfaction}%）。")
    return lines


def _notes(round_):
    """How the numbers are defined and how the vote stayed secret."""
    return [f"群众满意率：一张选票各项评分的平均分不低于{SATISFIED_SCORE}分（满意或非常满意）即计为满意；"
            "群众满意率＝满意票数÷实到人数×100%，四舍五入保留两位小数。各项标准的满意率为该项评"
            f"{SATISFIED_SCORE}分或5分的票数÷该项评分票数。",
            "投票匿名：系统只记录谁已投票，选票本身不含投票人身份，也无法与投票人对应；每个投票码只能投一次。",
            f"为保护投票人，投票少于{MIN_CROWD}张时不列出意见原文；投票进行期间不公布任何计票结果。",
            f"本报告由系统根据投票结果生成，投票结束于{format_deadline_day(round_.closed_at or round_.closes_at)}。"]


def build_report(round_):
    """The report's content for a round that no longer takes votes."""
    if round_.accepting():
        raise InvalidState("评议尚未结束，结束后才能生成会员评家报告")
    counted = counted_votes(round_)
    return ReportData(
        org_name=round_.org.full_name, title=round_.title, expected_label="应到人数", tally=counted,
        intro=_intro(round_, counted), findings=_findings(counted), notes=_notes(round_),
        withheld_note=f"本轮投票少于{MIN_CROWD}张，为保护投票人，意见原文不在报告中列出。")


def attach_report(application, round_, person, filestore, today=None):
    """Render the report, store it once by hash and attach it to the `report` slot."""
    data = evaluation_pdf.render(build_report(round_))
    stored = evidence.store(filestore, data, FileKind.PDF, PDF_MIME, uploaded_by=person)
    evidence.attach(application, person, REPORT_SLOT, stored, today=today)
    return stored


def deliver_results(person, round_, filestore, today=None):
    """Prefill and attach the report to every editable application of a closed round's org."""
    require(can_fill(person, round_.org), MANAGE_REFUSAL)
    counted = counted_votes(round_)
    if round_.status == RoundStatus.OPEN:
        raise InvalidState("本轮评议尚未结束，结束后才能把结果填入申报")
    results = RoundResults(round_, counted)
    for application in applications_for(round_.org):
        delivery = Delivery(application)
        try:
            delivery.prefill = prefill_deliberation(application, round_, person, today)
            delivery.report = attach_report(application, round_, person, filestore, today)
        except DomainError as exc:
            delivery.error = exc.message  # e.g. submitted meanwhile: the chair sees why
        results.deliveries.append(delivery)
    return results


def finish_round(person, round_, filestore, now=None, today=None):
    """Close the round (if still open) and deliver its results."""
    if round_.status == RoundStatus.OPEN:
        round_ = close_round(person, round_, now)
    return deliver_results(person, round_, filestore, today)
