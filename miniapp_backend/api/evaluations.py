"""会员评家 for a unit's chair or staff: open a round, keep its roster, follow it, close it.

Thin over services/evaluations.py and evaluation_report.py. Ballot codes appear only in the
answer that issues them (open, add, reissue): the server keeps no copy, so that answer is marked
no-store. Voters vote at the link in their code (ballot/views.py), not through this API.
"""

from flask import jsonify

from miniapp_backend.api import access, bp, context
from miniapp_backend.api.evaluation_shapes import (
    ONCE, Delivered, EvaluationList, EvaluationOpen, IssuedCodes, ListQuery, RosterAdd, Summary,
    VoterList, code_view, delivery_view, evaluation_view, results_view, voter_view)
from miniapp_backend.api.operations import JSON_BODY_LIMIT, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import calendar_day
from miniapp_backend.api.sessions import current_person
from miniapp_backend.models.evaluations import EvaluationRound
from miniapp_backend.services import evaluation_report, evaluation_roster, evaluations

TAG = "会员评家"
# A roster of a few thousand members is sent in one body; answers elsewhere are short.
ROSTER_BODY_LIMIT = 8 * JSON_BODY_LIMIT
ROUND = "/evaluations/<id:round_id>"
VOTER = f"{ROUND}/voters/<id:voter_id>"


def _entries(body):
    """The roster typed in the mini-program, checked row by row by the domain."""
    return evaluation_roster.entered((entry["name"], entry["contact"]) for entry in body["roster"])


def _view(round_, person, turnout=None):
    """A round as listed, with its turnout counted unless given."""
    turnout = turnout or evaluations.turnouts([round_])[round_.id]
    return evaluation_view(round_, turnout, person, context.now())


def _codes(round_, issued, person):
    """The codes just issued, shown this once (201, never cached)."""
    base = context.settings().public_base_url
    response = jsonify(round=_view(round_, person), codes=[code_view(i, base) for i in issued], notice=ONCE)
    response.status_code = 201
    response.headers["Cache-Control"] = "no-store"
    return response


def _delivered(results, person):
    """A closed round, its count, and what was filled into each application."""
    counted = results.tally
    return {"round": _view(results.round, person, (counted.expected, counted.present)),
            "results": results_view(counted),
            "deliveries": [delivery_view(d) for d in results.deliveries]}


@bp.get("/evaluations")
@operation("我所在组织的会员评家：名称、状态、截止时间、参与情况", tag=TAG, query=ListQuery,
           response=EvaluationList, errors=(404,))
def list_evaluations(query):
    """Rounds of the orgs the person is chair or staff of (or the one asked for), newest first."""
    person = current_person()
    rounds = list(EvaluationRound.of_orgs(access.fill_orgs(person, query.get("org_id"))))
    counted = evaluations.turnouts(rounds)
    return {"rounds": [_view(r, person, counted[r.id]) for r in rounds]}


@bp.post("/evaluations")
@operation("开始一轮会员评家（名单、截止日期、评家标准），投票码只在回答里出现这一次", tag=TAG,
           bucket=Bucket.WRITE, body=EvaluationOpen, response=IssuedCodes, status=201,
           errors=(403, 404, 409, 422), max_bytes=ROSTER_BODY_LIMIT)
def open_evaluation(body):
    """Open a round for the chair's org and hand back every voter's code and link."""
    person = current_person()
    org = access.fill_org(person, body.get("org_id"))
    closes_at = evaluations.closes_at_end_of(calendar_day(body["closes"], "截止日期", "closes", "2018-06-30"))
    round_, issued = evaluations.open_round(
        person, org, _entries(body), closes_at, context.settings().secret_key,
        standards=body.get("standards"), title=body.get("title"), motion=body.get("motion"),
        electorate=body["electorate"], now=context.now())
    return _codes(round_, issued, person)


@bp.get(ROUND)
@operation("一轮会员评家的参与情况，结束后还有计票结果", tag=TAG, response=Summary, errors=(404,))
def get_evaluation(round_id):
    """Turnout always; the count only once the round no longer takes votes."""
    person = current_person()
    summary = evaluations.summary(person, access.evaluation_for(person, round_id), now=context.now())
    return {"round": _view(summary.round, person, (summary.expected, summary.present)),
            "results": results_view(summary.tally) if summary.tally else None}


@bp.get(f"{ROUND}/voters")
@operation("名单：谁已投票（不显示投了什么）", tag=TAG, response=VoterList, errors=(404,))
def list_voters(round_id):
    """The roster in the order it was entered, each with whether and when they voted."""
    person = current_person()
    return _voters(person, access.evaluation_for(person, round_id))


def _voters(person, round_):
    """The roster view of a round."""
    voters = evaluations.who_voted(person, round_)
    return {"voters": [voter_view(v) for v in voters], "expected": len(voters),
            "present": sum(1 for v in voters if v.voted_at is not None)}


@bp.post(f"{ROUND}/voters")
@operation("向进行中的评议补充投票人，新投票码只出现这一次", tag=TAG, bucket=Bucket.WRITE,
           body=RosterAdd, response=IssuedCodes, status=201, errors=(403, 404, 409, 422),
           max_bytes=ROSTER_BODY_LIMIT)
def add_voters(round_id, body):
    """Put more people on an open round's roster; answer their codes."""
    person = current_person()
    round_ = access.evaluation_for(person, round_id)
    issued = evaluations.add_voters(person, round_, _entries(body), context.settings().secret_key,
                                    now=context.now())
    return _codes(round_, issued, person)


@bp.post(f"{VOTER}/code")
@operation("为丢失投票码的人补发（旧码立即作废；已投票的不能补发）", tag=TAG, bucket=Bucket.WRITE,
           response=IssuedCodes, status=201, errors=(403, 404, 409))
def reissue_code(round_id, voter_id):
    """A new code for one voter who has not voted."""
    person = current_person()
    round_ = access.evaluation_for(person, round_id)
    issued = evaluations.reissue_code(person, round_, access.voter_of(round_, voter_id),
                                      context.settings().secret_key, now=context.now())
    return _codes(round_, [issued], person)


@bp.delete(VOTER)
@operation("把误加的人移出名单（已投票的不能移出）", tag=TAG, bucket=Bucket.WRITE, response=VoterList,
           errors=(403, 404, 409))
def remove_voter(round_id, voter_id):
    """Take one voter who has not voted off the roster; answer the roster."""
    person = current_person()
    round_ = access.evaluation_for(person, round_id)
    evaluations.remove_voter(person, round_, access.voter_of(round_, voter_id), now=context.now())
    return _voters(person, round_)


@bp.post(f"{ROUND}/close")
@operation("结束评议：计票结果填入本单位申报的审议情况，生成会员评家报告附到申报材料", tag=TAG,
           bucket=Bucket.WRITE, response=Delivered, errors=(403, 404, 409),
           description="还没有人投票时不能结束（409，结束前的确认见 round.close_notice）；"
                       "已手工填写的审议情况保留，与计票结果不同的列在 checks 里请核对；"
                       "本单位此后才开始的申报，用 POST /evaluations/{round_id}/deliver 填入。")
def close_evaluation(round_id):
    """Stop the votes, then deliver the count to the org's editable applications."""
    person = current_person()
    round_ = evaluations.close_round(person, access.evaluation_for(person, round_id), now=context.now())
    return _delivered(evaluation_report.deliver_results(person, round_, context.filestore(),
                                                        today=context.today()), person)


@bp.post(f"{ROUND}/deliver")
@operation("把已结束评议的结果再填入本单位的申报（结束后才开始的申报用这个）", tag=TAG,
           bucket=Bucket.WRITE, response=Delivered, errors=(403, 404, 409))
def deliver_evaluation(round_id):
    """Deliver a closed round's count again: fills what is still empty, keeps what was typed."""
    person = current_person()
    round_ = access.evaluation_for(person, round_id)
    return _delivered(evaluation_report.deliver_results(person, round_, context.filestore(),
                                                        today=context.today()), person)
