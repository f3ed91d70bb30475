"""The arithmetic of 应到, 实到, 同意, 群众满意率 and per-standard results; what may be shown when."""
from dataclasses import fields
from decimal import Decimal

import pytest

from miniapp_backend.services import evaluations
from miniapp_backend.services.evaluation_tally import (
    MIN_CROWD, ballot_satisfied, mean, percent, tally)
from tests.evaluations.helpers import open_round, vote

# Six ballots over the five default standards; a ballot is 满意 when its mean is ≥ 4.
BALLOTS = [
    (True, [5, 5, 5, 5, 5], "活动丰富"),     # mean 5.0  满意
    (True, [4, 4, 4, 4, 4], ""),            # mean 4.0  满意 (the boundary counts)
    (True, [4, 4, 4, 4, 3], "食堂可以更好"),  # mean 3.8  not
    (False, [3, 3, 3, 3, 3], ""),           # mean 3.0  not
    (True, [5, 5, 5, 1, 4], "维权要加强"),    # mean 4.0  满意
    (False, [1, 2, 1, 2, 1], "不了解工会工作"),  # mean 1.4  not
]


@pytest.mark.parametrize("part, whole, expected", [
    (2, 3, "66.67"), (1, 3, "33.33"), (1, 8, "12.50"), (1, 800, "0.13"), (3, 800, "0.38"),
    (5, 5, "100.00"), (0, 7, "0.00"),
])
def test_percent_rounds_half_up_to_two_places(part, whole, expected):
    assert percent(part, whole) == Decimal(expected)


def test_no_denominator_means_no_figure():
    assert percent(0, 0) is None and mean(0, 0) is None
    assert mean(29, 8) == Decimal("3.63")  # 3.625: half-up, not half-even


def test_a_ballot_is_satisfied_at_a_mean_of_four_exactly():
    assert ballot_satisfied({"a": 4, "b": 4, "c": 4})
    assert ballot_satisfied({"a": 5, "b": 3})
    assert not ballot_satisfied({"a": 4, "b": 4, "c": 3})


def test_the_count_of_a_closed_round(world):
    round_, issued = open_round(world.unit, world.chair, count=9)
    for (agree, scores, comment), code in zip(BALLOTS, issued):
        vote(code, agree=agree, scores=scores, comment=comment)
    counted = tally(evaluations.close_round(world.chair, round_))
    assert (counted.expected, counted.present, counted.agreed, counted.satisfied) == (9, 6, 4, 3)
    assert counted.satisfaction == Decimal("50.00")
    assert counted.turnout == Decimal("66.67")
    first = counted.standards[0]  # 组织健全: 5, 4, 4, 3, 5, 1
    assert (first.name, first.average, first.satisfaction) == ("组织健全", Decimal("3.67"), Decimal("66.67"))
    assert first.distribution == {5: 2, 4: 2, 3: 1, 2: 0, 1: 1}
    fourth = counted.standards[3]  # 作用明显: 5, 4, 4, 3, 1, 2
    assert (fourth.average, fourth.satisfaction) == (Decimal("3.17"), Decimal("50.00"))
    assert counted.comments == sorted(c for _, _, c in BALLOTS if c)  # by text, never by time
    assert not counted.comments_withheld


def test_results_stay_hidden_while_votes_are_taken(world):
    round_, issued = open_round(world.unit, world.chair, count=20)
    for code in issued[:12]:
        vote(code, agree=False)
    during = evaluations.summary(world.chair, round_)
    assert during.accepting and (during.expected, during.present) == (20, 12)
    assert during.tally is None  # whatever the size: a running count beside who-voted reveals votes
    after = evaluations.summary(world.chair, evaluations.close_round(world.chair, round_))
    assert after.tally.agreed == 0 and after.tally.present == 12


def test_comments_are_withheld_below_the_crowd_size(world):
    round_, issued = open_round(world.unit, world.chair, count=MIN_CROWD)
    for code in issued[:MIN_CROWD - 1]:
        vote(code, comment="我的意见")
    few = tally(evaluations.close_round(world.chair, round_))
    assert few.comments == [] and few.comments_withheld
    assert few.agreed == MIN_CROWD - 1  # the 登记表's numbers are released regardless


def test_an_empty_round_has_no_rate(world):
    round_, _ = open_round(world.unit, world.chair, count=4)
    counted = tally(round_)
    assert (counted.expected, counted.present, counted.agreed) == (4, 0, 0)
    assert counted.satisfaction is None and counted.standards[0].average is None
    assert not counted.comments_withheld


def test_who_voted_shows_names_and_times_only(world):
    round_, issued = open_round(world.unit, world.chair, count=3)
    vote(issued[1], agree=False)
    rows = evaluations.who_voted(world.chair, round_)
    assert [(row.name, row.voted_at is not None) for row in rows] == [("会员1", False), ("会员2", True), ("会员3", False)]
    assert [f.name for f in fields(evaluations.VoterStatus)] == ["id", "name", "contact", "voted_at"]
