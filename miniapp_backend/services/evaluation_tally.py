"""Counting a round: 应到, 实到, 同意, 群众满意率 and per-standard results, and what may be shown.

Definitions (the 登记表 prints the four numbers without defining them):

* 应到 (5-1 应到人数; 5-2 会员人数) = voters on the round's roster.
* 实到 = ballots cast. Voting online is taking part; there is no separate attendance.
* 同意 = ballots answering 同意 to the round's question.
* A ballot is 满意 when the mean of its scores is at least 4 on the 1–5 scale (满意 or
  非常满意 on average; compared in integers: sum ≥ 4 × number of standards, so no rounding
  decides a ballot). 群众满意率 = 满意 ballots ÷ 实到 × 100, rounded half-up to two decimals
  (the form's percent field keeps two). No ballots: no rate.
* Per standard: the mean score and the share of scores of 4 or 5, same rounding.

What may be shown (DISCLOSURE):

* While a round takes votes nobody sees results, whatever the org's size — only turnout.
  The chair sees who has voted; any running count next to that list would reveal each vote by
  difference (张三 voted, 不同意 went up by one).
* After it closes the four numbers and the per-standard results are released: the 登记表
  requires them. In a round with fewer than MIN_CROWD ballots the comments are withheld: a
  handful of comments in a small group identify their authors by content and style.
"""
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from miniapp_backend.models.evaluations import Ballot, Voter

SATISFIED_SCORE = 4
MIN_CROWD = 5
QUORUM = Fraction(2, 3)  # the 登记表's own warning: 实到 ≥ 2/3 of 应到, else no valid meeting
_CENT = Decimal("0.01")


def percent(part, whole):
    """part ÷ whole × 100 rounded half-up to 0.01, or None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(_CENT, rounding=ROUND_HALF_UP)


def has_quorum(present, expected):
    """True when 实到 reaches QUORUM of 应到, as the 登记表 asks of the meeting."""
    return present >= QUORUM * expected


def mean(total, count):
    """total ÷ count rounded half-up to 0.01, or None when count is 0."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(_CENT, rounding=ROUND_HALF_UP)


def ballot_satisfied(scores):
    """True when the ballot's mean score is at least SATISFIED_SCORE (integer comparison)."""
    return sum(scores.values()) >= SATISFIED_SCORE * len(scores)


@dataclass(frozen=True)
class StandardResult:
    """One 评家标准: its mean score, 满意 share and how many gave each score."""

    name: str
    average: Decimal | None
    satisfaction: Decimal | None
    distribution: dict  # {score: count} for 5..1


@dataclass(frozen=True)
class Tally:
    """The count of one round; `comments` is empty when withheld (see DISCLOSURE above)."""

    expected: int
    present: int
    agreed: int
    satisfied: int
    standards: list = field(default_factory=list)
    comments: list = field(default_factory=list)
    comments_withheld: bool = False

    @property
    def satisfaction(self):
        """群众满意率 in percent (Decimal, two places), None without ballots."""
        return percent(self.satisfied, self.present)

    @property
    def turnout(self):
        """实到 ÷ 应到 in percent."""
        return percent(self.present, self.expected)


def _standard_results(standards, score_rows):
    """Per-standard results from every ballot's scores."""
    results = []
    for name in standards:
        values = [scores[name] for scores in score_rows if name in scores]
        distribution = {score: values.count(score) for score in range(5, 0, -1)}
        good = sum(1 for v in values if v >= SATISFIED_SCORE)
        results.append(StandardResult(name, mean(sum(values), len(values)),
                                      percent(good, len(values)), distribution))
    return results


def tally(round_):
    """Count `round_` from its ballots (no permission check: callers decide what to show)."""
    ballots = list(Ballot.select(Ballot.agree, Ballot.scores, Ballot.comment)
                   .where(Ballot.round == round_).order_by(Ballot.ballot_key))
    score_rows = [b.scores for b in ballots]
    withheld = len(ballots) < MIN_CROWD
    # Sorted by text: ballots have no time order, and comments must not gain one.
    comments = [] if withheld else sorted(b.comment for b in ballots if b.comment)
    return Tally(
        expected=Voter.select().where(Voter.round == round_).count(),
        present=len(ballots),
        agreed=sum(1 for b in ballots if b.agree),
        satisfied=sum(1 for scores in score_rows if ballot_satisfied(scores)),
        standards=_standard_results(round_.standards, score_rows),
        comments=comments,
        comments_withheld=withheld and any(b.comment for b in ballots),
    )
