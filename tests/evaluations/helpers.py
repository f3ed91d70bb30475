"""Builders for the 会员评家 tests: a round with codes, votes, drafts of the 5-1 and 5-2 kinds."""
import datetime as dt

from miniapp_backend.clock import utcnow
from miniapp_backend.models import ApplicationKind, HonourKind
from miniapp_backend.models.evaluations import Ballot, Voter
from miniapp_backend.services import ballots, drafts, evaluation_roster, evaluations
from tests.factories import IN_WINDOW, make_qualified

SECRET = "test-secret"  # the test Config's SECRET_KEY, which the web edge keys ballots with
ALL_FIVES = [5, 5, 5, 5, 5]


def roster(count, prefix="会员"):
    """`count` roster entries with distinct names and phone numbers."""
    return evaluation_roster.entered([(f"{prefix}{n}", f"1380000{n:04d}") for n in range(1, count + 1)])


def open_round(org, chair, count=6, days=30, **options):
    """An open round of `count` voters closing in `days`; (round, [IssuedCode])."""
    closes_at = utcnow() + dt.timedelta(days=days)
    return evaluations.open_round(chair, org, roster(count), closes_at, SECRET, **options)


def vote(issued, agree=True, scores=ALL_FIVES, comment="", now=None):
    """Cast one ballot with an IssuedCode's scene, as the voter's link carries it."""
    return ballots.cast(SECRET, issued.scene, agree, scores, comment, now=now)


def counts(round_):
    """(ballots, voters marked as voted): both must move together, or not at all."""
    return (Ballot.select().where(Ballot.round == round_).count(),
            Voter.select().where(Voter.round == round_, Voter.voted_at.is_null(False)).count())


def district_home_draft(world):
    """A 区级先进职工之家 draft (登记表 5-1 + 验收单) of world.unit."""
    make_qualified(world.unit)
    return drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                  today=IN_WINDOW)


def small_home_draft(world):
    """A 区级先进职工小家 draft (登记表 5-2) of world.branch."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    return drafts.start_or_resume(world.branch_chair, world.branch, world.campaign,
                                  ApplicationKind.SMALL_HOME, today=IN_WINDOW)
