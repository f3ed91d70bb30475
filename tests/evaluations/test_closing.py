"""Closing a round: refused while nobody has voted (a 满意率 of nothing), the turnout and a
quorum warning shown before the chair confirms, a round that ended without a vote set aside."""
import datetime as dt

import pytest

from miniapp_backend.clock import utcnow
from miniapp_backend.models.evaluations import EvaluationRound, RoundStatus
from miniapp_backend.services import drafts, evaluation_report, evaluations
from miniapp_backend.services.errors import InvalidState
from miniapp_backend.services.progress import progress
from miniapp_backend.storage import FileStore
from tests.evaluations.helpers import SECRET, district_home_draft, open_round, roster, vote
from tests.factories import IN_WINDOW


def test_a_round_without_votes_is_not_closed_and_fills_nothing(world, tmp_path):
    draft = district_home_draft(world)
    round_, _ = open_round(world.unit, world.chair, count=4)
    with pytest.raises(InvalidState) as err:
        evaluation_report.finish_round(world.chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    assert err.value.message == evaluations.NO_VOTES_YET
    assert EvaluationRound.get_by_id(round_.id).status == RoundStatus.OPEN
    assert "district_home_registration:present" not in drafts.answers_of(draft)
    assert "report" in {m.key for m in progress(draft).missing}  # no report of nothing attached
    assert evaluations.close_notice(round_, 4, 0) == evaluations.NO_VOTES_YET


def test_the_close_notice_says_the_turnout_and_warns_below_two_thirds(world):
    round_, issued = open_round(world.unit, world.chair, count=6)
    for code in issued[:3]:
        vote(code)
    notice = evaluations.close_notice(round_, 6, 3)
    assert notice.startswith("应到6人，已投票3人（参与率50.00%）。实到人数不足应到人数的三分之二，会议可能不符合法定人数")
    vote(issued[3])
    assert "三分之二" not in evaluations.close_notice(round_, 6, 4)  # 4 of 6 is two thirds
    assert evaluations.close_round(world.chair, round_).status == RoundStatus.CLOSED


def test_a_round_that_ended_without_a_vote_gives_way_to_the_next(world):
    round_, _ = open_round(world.unit, world.chair, count=3, days=1)
    later = utcnow() + dt.timedelta(days=2)
    with pytest.raises(InvalidState) as err:
        evaluations.close_round(world.chair, round_, now=later)
    assert err.value.message == evaluations.NO_VOTES_LAPSED
    following, _ = evaluations.open_round(world.chair, world.unit, roster(2), later + dt.timedelta(days=30),
                                          SECRET, now=later)
    set_aside = EvaluationRound.get_by_id(round_.id)
    assert (set_aside.status, set_aside.closed_at, set_aside.closed_by) == (RoundStatus.CLOSED, round_.closes_at, None)
    assert following.status == RoundStatus.OPEN
