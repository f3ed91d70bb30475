"""Casting ballots: one vote per voter, refusals that leave the count alone, no way back to the voter."""
import datetime as dt
import threading

import pytest
from peewee import IntegrityError

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models.evaluations import Ballot, EvaluationRound, Voter
from miniapp_backend.services import ballots, evaluations, scenes
from miniapp_backend.services.errors import InvalidState, PermissionDenied, ValidationFailed
from tests.evaluations.helpers import ALL_FIVES, SECRET, counts, open_round, vote


def test_a_ballot_is_counted_and_the_voter_marked(world):
    round_, issued = open_round(world.unit, world.chair, count=3)
    assert len(issued[0].scene) <= scenes.MAX_LENGTH
    assert scenes.decode(issued[0].scene) == (scenes.SceneKind.BALLOT, issued[0].code)
    vote(issued[0], agree=False, scores=[5, 4, 3, 2, 1], comment="  希望多组织活动  ")
    assert counts(round_) == (1, 1)
    ballot = Ballot.get()
    assert (ballot.agree, ballot.comment) == (False, "希望多组织活动")
    assert ballot.scores == dict(zip(evaluations.DEFAULT_STANDARDS, [5, 4, 3, 2, 1]))
    assert ballots.view(SECRET, issued[0].scene).state == "voted"
    assert ballots.view(SECRET, issued[1].code.lower()).state == "open"  # typed in lower case
    assert ballots.view(SECRET, issued[1].scene.upper()).state == "open"
    assert ballots.view(SECRET, f"qrscene_{issued[1].scene}").state == "open"  # as a follow event carries it
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in issued[1].code)  # a phone IME in 全角 mode
    assert ballots.view(SECRET, f"{full_width[:8]}　{full_width[8:]}").state == "open"


def test_the_ballot_row_cannot_be_joined_to_the_voter(world):
    round_, issued = open_round(world.unit, world.chair, count=5)
    for one in issued:
        vote(one)
    # No time, no sequence: "id" is the ballot key itself (text), see models/evaluations.py.
    assert set(Ballot._meta.columns) == {"id", "round_id", "agree", "scores", "comment"}
    assert Ballot._meta.primary_key.field_type != "AUTO"
    voter_hashes = {v.code_hash for v in Voter.select()}
    ballot_keys = {b.ballot_key for b in Ballot.select()}
    assert not voter_hashes & ballot_keys
    # Only with the code itself (which is stored nowhere) does one lead to the other.
    assert ballots.ballot_key(SECRET, issued[0].code) in ballot_keys
    assert ballots.voter_hash(SECRET, issued[0].code) in voter_hashes


def test_second_vote_and_reused_link_are_refused(world):
    round_, issued = open_round(world.unit, world.chair)
    vote(issued[0])
    with pytest.raises(ballots.AlreadyVoted) as err:
        vote(issued[0], agree=False)
    assert "只能投一次" in err.value.message
    assert counts(round_) == (1, 1)
    assert Ballot.get().agree is True


def test_votes_after_closing_are_refused(world):
    round_, issued = open_round(world.unit, world.chair)
    vote(issued[0])
    evaluations.close_round(world.chair, round_)
    with pytest.raises(ballots.RoundClosed) as err:
        vote(issued[1])
    assert "结束，不能再投票" in err.value.message
    later = utcnow() + dt.timedelta(days=31)
    other_round, other_codes = open_round(world.branch, world.branch_chair)
    with pytest.raises(ballots.RoundClosed):
        vote(other_codes[0], now=later)  # past closes_at, even before anyone closes it
    assert counts(round_) == (1, 1) and counts(other_round) == (0, 0)


@pytest.mark.parametrize("link, error", [
    ("bt.ABCDEFGHJKMNPQRS", ballots.NotOnRoster),  # well-formed, never issued: forged
    ("bt.ABCDEFGHJKMNPQR", ballots.MalformedCode),  # one character short
    ("bt.ABCDEFGHJKMNPQR0", ballots.MalformedCode),  # 0 is not in the alphabet
    ("st.abcdefghjk", ballots.MalformedCode),  # a station's scene
    ("", ballots.MalformedCode),
])
def test_forged_or_damaged_links_are_refused(world, link, error):
    round_, _ = open_round(world.unit, world.chair)
    with pytest.raises(error) as err:
        ballots.cast(SECRET, link, True, ALL_FIVES)
    assert err.value.message
    assert counts(round_) == (0, 0)


def test_someone_not_on_the_roster_is_refused(world):
    round_, issued = open_round(world.unit, world.chair, count=3)
    voter = Voter.get(Voter.name == issued[0].name)
    new = evaluations.reissue_code(world.chair, round_, voter, SECRET)
    evaluations.remove_voter(world.chair, round_, Voter.get(Voter.name == issued[1].name))
    for stale in (issued[0], issued[1]):  # a replaced code, a removed person
        with pytest.raises(ballots.NotOnRoster) as err:
            vote(stale)
        assert "不在评议名单中" in err.value.message
    vote(new)
    assert counts(round_) == (1, 1)


@pytest.mark.parametrize("agree, scores, comment, key", [
    (None, ALL_FIVES, "", "agree"),
    ("yes", ALL_FIVES, "", "agree"),
    (True, [5, 5, 5, 5], "", "scores"),
    (True, [5, 5, 5, 5, 6], "", "scores"),
    (True, [5, 5, 5, 5, None], "", "scores"),
    (True, {"组织健全": 5}, "", "scores"),
    (True, ALL_FIVES, "很" * 201, "comment"),
])
def test_incomplete_ballots_are_refused_and_the_code_stays_usable(world, agree, scores, comment, key):
    round_, issued = open_round(world.unit, world.chair)
    with pytest.raises(ValidationFailed) as err:
        ballots.cast(SECRET, issued[0].scene, agree, scores, comment)
    assert err.value.details["key"] == key
    assert counts(round_) == (0, 0)
    vote(issued[0])
    assert counts(round_) == (1, 1)


def test_two_threads_racing_with_one_code_count_once(world):
    round_, issued = open_round(world.unit, world.chair)
    racers = 8
    barrier, outcomes = threading.Barrier(racers), []

    def race(agree):
        """Cast at the same moment as the others, on this thread's own connection."""
        barrier.wait()
        try:
            outcomes.append(("ok", vote(issued[0], agree=agree)))
        except ballots.AlreadyVoted:
            outcomes.append(("refused", None))
        finally:
            database.close()

    threads = [threading.Thread(target=race, args=(n % 2 == 0,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(kind for kind, _ in outcomes) == ["ok"] + ["refused"] * (racers - 1)
    assert counts(round_) == (1, 1)


def test_the_ballot_key_alone_refuses_a_duplicate(world):
    round_, issued = open_round(world.unit, world.chair)
    vote(issued[0])
    # Were the voter row ever reset, the primary key would still refuse the second ballot.
    Voter.update(voted_at=None).execute()
    with pytest.raises(ballots.AlreadyVoted):
        vote(issued[0])
    assert Ballot.select().count() == 1 and Voter.get(Voter.name == issued[0].name).voted_at is None
    with pytest.raises(IntegrityError), database.atomic():
        Ballot.create(ballot_key=ballots.ballot_key(SECRET, issued[0].code), round=round_,
                      agree=False, scores={}, comment="")


def test_a_comment_counts_its_zi_without_line_breaks(world):
    round_, issued = open_round(world.unit, world.chair, count=2)
    paragraphs = "很好" * 50 + "\r\n" + "建议" * 50  # 200 字 in two paragraphs
    vote(issued[0], comment=paragraphs)
    with pytest.raises(ValidationFailed) as err:
        vote(issued[1], comment=paragraphs + "。")
    assert err.value.message == "意见建议共201字，超过200字上限，请删减1字后重发"
    assert [b.comment for b in Ballot.of_round(round_)] == [paragraphs]


def test_only_the_orgs_chair_or_staff_manage_a_round(world):
    with pytest.raises(PermissionDenied):
        open_round(world.unit, world.other_chair)
    round_, issued = open_round(world.unit, world.staff)
    with pytest.raises(PermissionDenied):
        evaluations.close_round(world.other_chair, round_)
    with pytest.raises(PermissionDenied):
        evaluations.who_voted(world.other_system_admin, round_)
    assert len(evaluations.who_voted(world.system_admin, round_)) == 6  # an admin above it may look


def test_one_open_round_per_org_and_sane_standards(world):
    open_round(world.unit, world.chair)
    with pytest.raises(InvalidState):
        open_round(world.unit, world.chair)
    for bad in (["组织健全", "组织健全"], ["很" * 21], [""], [f"标准{n}" for n in range(11)]):
        with pytest.raises(ValidationFailed):
            open_round(world.branch, world.branch_chair, standards=bad)
    round_, _ = open_round(world.branch, world.branch_chair, standards=["服务到位", " 职工信赖 "])
    assert EvaluationRound.get_by_id(round_.id).standards == ["服务到位", "职工信赖"]
    assert round_.motion == f"您是否同意{world.branch.full_name}申报区级先进职工小家？"


def test_closing_while_votes_race_in_freezes_the_count(world):
    round_, issued = open_round(world.unit, world.chair, count=17)
    vote(issued.pop())  # a round nobody has voted in cannot be closed
    barrier, outcomes, frozen = threading.Barrier(len(issued) + 1), [], []

    def voter(code):
        """Vote at the moment the chair closes."""
        barrier.wait()
        try:
            vote(code)
            outcomes.append("ok")
        except ballots.RoundClosed:
            outcomes.append("closed")
        finally:
            database.close()

    def chair():
        """Close, then count at once: no vote may land after this count."""
        barrier.wait()
        try:
            closed = evaluations.close_round(world.chair, EvaluationRound.get_by_id(round_.id))
            frozen.append(counts(closed))
        finally:
            database.close()

    threads = [threading.Thread(target=voter, args=(code,)) for code in issued] + [threading.Thread(target=chair)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    accepted = outcomes.count("ok") + 1
    assert len(outcomes) == len(issued)
    assert frozen == [(accepted, accepted)] and counts(round_) == (accepted, accepted)


@pytest.mark.parametrize("chair_acts", ["reissue", "remove"])
def test_a_code_reissued_or_removed_while_its_vote_is_on_the_way_is_refused(world, monkeypatch, chair_acts):
    # The chair acts between the ballot's lookup and its claim (a voter on a slow phone).
    round_, issued = open_round(world.unit, world.chair, count=2)
    voter = Voter.get(Voter.round == round_, Voter.name == issued[0].name)
    parse = ballots.parse_ballot

    def chair_acts_meanwhile(*args):
        if chair_acts == "reissue":
            evaluations.reissue_code(world.chair, round_, voter, SECRET)
        else:
            evaluations.remove_voter(world.chair, round_, voter)
        return parse(*args)

    monkeypatch.setattr(ballots, "parse_ballot", chair_acts_meanwhile)
    with pytest.raises(ballots.NotOnRoster) as err:
        vote(issued[0])
    assert "已被工会重新发放、移出名单" in err.value.message
    assert counts(round_) == (0, 0)
