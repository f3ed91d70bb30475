"""会员评家 for the chair: open a round with its roster and 评家标准, manage voters, close, see
who has voted (never how).

Ballots themselves are cast through services/ballots.py; the count and what it may reveal are
defined in services/evaluation_tally.py; the count fills the 登记表's 审议情况 through
services/evaluation_prefill.py.
"""
import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError, fn

from miniapp_backend.clock import local_end_of_day_utc, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import OrgKind
from miniapp_backend.models.evaluations import (
    Ballot, Electorate, EvaluationRound, RoundStatus, Voter)
from miniapp_backend.services import ballots, campaigns
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.evaluation_targets import EVALUATION_REPORT, applications_for
from miniapp_backend.services.evaluation_tally import has_quorum, percent, tally
from miniapp_backend.services.permissions import administers, can_fill, require

DEFAULT_STANDARDS = ("组织健全", "维权到位", "工作规范", "作用明显", "职工信赖")
STANDARD_MAX_CHARS, STANDARDS_MAX = 20, 10
INSERT_BATCH = 500
MANAGE_REFUSAL = "只有本单位工会主席或工会工作人员可以组织会员评家"
VIEW_REFUSAL = "没有权限查看这轮会员评家"
ALREADY_OPEN = "本单位已有一轮进行中的会员评家，请先结束它再开始新的一轮"
# Without a ballot there is no 同意 and no 群众满意率: nothing to close on or to fill in.
NO_VOTES_YET = "还没有人投票，不能结束评议：没有投票就没有同意人数和群众满意率。请提醒名单上的人用各自的投票码投票"
NO_VOTES_LAPSED = "本轮评议到截止时间也没有人投票，没有结果可以结束或填入申报；可以直接开始新的一轮评议"
BELOW_QUORUM = "实到人数不足应到人数的三分之二，会议可能不符合法定人数，申报表会提示这一点"


@dataclass(frozen=True)
class IssuedCode:
    """A voter's personal code, returned once when issued; it is never stored."""

    name: str
    contact: str
    code: str

    @property
    def scene(self):
        """The code in the scene format (for QR codes and the /b/ link)."""
        return ballots.scene_for(self.code)


@dataclass(frozen=True)
class VoterStatus:
    """One roster entry as the chair sees it: who, and when they voted (None: not yet) — never how."""

    id: int
    name: str
    contact: str
    voted_at: dt.datetime | None


@dataclass(frozen=True)
class RoundSummary:
    """What the chair and admins see: turnout always, results only after the round ends."""

    round: EvaluationRound
    accepting: bool
    expected: int
    present: int
    tally: object = None  # evaluation_tally.Tally once the round no longer takes votes


def check_standards(standards):
    """The 评家标准 as a clean list (default: the seed's five); refuse empty, long or repeated ones."""
    cleaned = [str(s).strip() for s in (standards or DEFAULT_STANDARDS) if str(s).strip()]
    if not 1 <= len(cleaned) <= STANDARDS_MAX:
        raise ValidationFailed(f"评家标准应有1到{STANDARDS_MAX}项", key="standards")
    too_long = [s for s in cleaned if len(s) > STANDARD_MAX_CHARS]
    if too_long:
        raise ValidationFailed(f"每项评家标准不超过{STANDARD_MAX_CHARS}字：{'、'.join(too_long)}", key="standards")
    if len(set(cleaned)) != len(cleaned):
        raise ValidationFailed("评家标准有重复的项目", key="standards")
    return cleaned


def _home_word(org):
    """职工小家 for 分会/小组, else 职工之家."""
    return "职工小家" if org.kind in (OrgKind.BRANCH, OrgKind.GROUP) else "职工之家"


def default_title(org, today=None):
    """E.g. 2018年度会员评议职工之家."""
    return f"{(today or local_today()).year}年度会员评议{_home_word(org)}"


def rated_kind_labels(org, today=None):
    """What the members are asked to back, as the campaign data names it (区级先进职工之家,
    示范职工之家, …): the kinds of the org's applications that take the count, else the kinds
    open to the org that require a 会员评家报告."""
    labels = [campaigns.kind_spec(a.campaign, a.kind).label for a in applications_for(org)]
    if not labels:
        campaign = campaigns.current_campaign(today or local_today())
        specs = campaigns.kind_specs(campaign) if campaign else []
        labels = [s.label for s in specs
                  if org.kind in s.org_kinds and s.materials.get(EVALUATION_REPORT) == "required"]
    return list(dict.fromkeys(labels))


def default_motion(org, today=None):
    """The agree/disagree question of the 登记表's 审议: backing what the org applies for."""
    labels = rated_kind_labels(org, today) or [f"先进{_home_word(org)}"]
    return f"您是否同意{org.full_name}申报{'、'.join(labels)}？"


LAST_CLOSING_YEAR = 2100  # as for dates on the forms; 9999-12-31's 24:00 is past any datetime


def closes_at_end_of(day):
    """The moment a round closing on local `day` stops taking votes: that day's 24:00 (inclusive)."""
    if day.year > LAST_CLOSING_YEAR:
        raise ValidationFailed(f"截止日期“{day.isoformat()}”的年份不对，请按 2018-06-30 的格式填写", key="closes")
    return local_end_of_day_utc(day) + dt.timedelta(seconds=1)


def _text_or(text, default, limit):
    """`text` trimmed to `limit` characters, or `default` when it is missing or blank."""
    return ((text or "").strip() or default)[:limit]


def open_round(person, org, entries, closes_at, secret, standards=None, title=None, motion=None,
               electorate=Electorate.MEMBERS, now=None):
    """Open a round for `org` with its roster; return (round, [IssuedCode]) — codes shown once."""
    require(can_fill(person, org), MANAGE_REFUSAL)
    now = now or utcnow()
    if closes_at <= now:
        raise ValidationFailed("截止时间应晚于现在", key="closes")
    try:
        with database.atomic():
            _set_aside_unvoted(org, now)
            if EvaluationRound.open_for(org).exists():
                raise InvalidState(ALREADY_OPEN)
            round_ = EvaluationRound.create(
                org=org, opened_by=person, closes_at=closes_at, standards=check_standards(standards),
                title=_text_or(title, default_title(org, local_today(now)), 100),
                motion=_text_or(motion, default_motion(org, local_today(now)), 200),
                electorate=Electorate(electorate))
            issued = _add_voters(round_, entries, secret)
    except IntegrityError:
        # The one-open-round index: another round was opened since the check (a double tap).
        raise InvalidState(ALREADY_OPEN) from None
    return round_, issued


def _with_ballots():
    """The ids of rounds that have at least one ballot (a subquery)."""
    return Ballot.select(Ballot.round)


def _set_aside_unvoted(org, now):
    """Mark the org's open round closed if its closing time passed without a single vote.

    Such a round can never be closed (NO_VOTES_LAPSED) and would otherwise block every new one;
    it keeps its roster and shows 实到 0, and its count is never delivered.
    """
    (EvaluationRound.update(status=RoundStatus.CLOSED, closed_at=EvaluationRound.closes_at)
     .where(EvaluationRound.org == org, EvaluationRound.status == RoundStatus.OPEN,
            EvaluationRound.closes_at <= now, EvaluationRound.id.not_in(_with_ballots()))
     .execute())


def _refuse_repeated(round_, entries):
    """ValidationFailed naming the entries already on the round's roster, if any."""
    existing = {(v.name, v.contact) for v in Voter.of_round(round_)}
    repeated = [e.name for e in entries if (e.name, e.contact) in existing]
    if repeated:
        raise ValidationFailed(f"已在名单中：{'、'.join(repeated[:20])}", key="roster")


def _add_voters(round_, entries, secret):
    """Insert voters with fresh codes (people already on the roster are refused beforehand)."""
    issued = [IssuedCode(e.name, e.contact, ballots.new_ballot_code()) for e in entries]
    rows = [{"round": round_, "name": i.name, "contact": i.contact,
             "code_hash": ballots.voter_hash(secret, i.code)} for i in issued]
    for start in range(0, len(rows), INSERT_BATCH):
        Voter.insert_many(rows[start:start + INSERT_BATCH]).execute()
    return issued


def _require_accepting(round_, now=None):
    """Refuse roster changes once the round no longer takes votes."""
    if not round_.accepting(now):
        raise InvalidState("本轮评议已结束，名单不能再修改")


def add_voters(person, round_, entries, secret, now=None):
    """Add people to an open round's roster; return their IssuedCodes."""
    require(can_fill(person, round_.org), MANAGE_REFUSAL)
    _require_accepting(round_, now)
    _refuse_repeated(round_, entries)
    try:
        # Only writes inside: SQLite takes its write lock at the first statement, whereas a read
        # first would fail ("database is locked") when another writer got in meanwhile.
        with database.atomic():
            return _add_voters(round_, entries, secret)
    except IntegrityError:
        # The roster's unique index: the same people were added at the same moment elsewhere.
        _refuse_repeated(round_, entries)
        raise


def _unvoted(round_, voter):
    """The voter of this round, refusing one who has already voted."""
    if voter.round_id != round_.id:
        raise ValidationFailed("此人不在本轮评议名单中", key="voter")
    if voter.voted_at is not None:
        raise InvalidState(f"{voter.name}已经投票，不能再更换投票码或移出名单")
    return voter


def reissue_code(person, round_, voter, secret, now=None):
    """A new code for a voter who lost theirs; the old one stops working at once."""
    require(can_fill(person, round_.org), MANAGE_REFUSAL)
    _require_accepting(round_, now)
    voter = _unvoted(round_, voter)
    issued = IssuedCode(voter.name, voter.contact, ballots.new_ballot_code())
    updated = (Voter.update(code_hash=ballots.voter_hash(secret, issued.code))
               .where(Voter.id == voter.id, Voter.voted_at.is_null()).execute())
    if not updated:
        raise InvalidState(f"{voter.name}刚刚已经投票，投票码不再更换")
    return issued


def remove_voter(person, round_, voter, now=None):
    """Take someone added by mistake off the roster (only before they vote)."""
    require(can_fill(person, round_.org), MANAGE_REFUSAL)
    _require_accepting(round_, now)
    voter = _unvoted(round_, voter)
    if not Voter.delete().where(Voter.id == voter.id, Voter.voted_at.is_null()).execute():
        raise InvalidState(f"{voter.name}刚刚已经投票，不能移出名单")


def no_votes_refusal(round_, now=None):
    """Why a round without ballots cannot be closed: wait for votes, or (past its closing time)
    start a new round."""
    return NO_VOTES_YET if round_.accepting(now) else NO_VOTES_LAPSED


def close_round(person, round_, now=None):
    """End the round (no more votes); waits for votes in flight to commit or fail.

    A round nobody has voted in is refused: its 满意率 would be a rate of nothing.
    """
    require(can_fill(person, round_.org), MANAGE_REFUSAL)
    now = now or utcnow()
    with database.atomic():
        closed = (EvaluationRound.update(status=RoundStatus.CLOSED, closed_at=now, closed_by=person)
                  .where(EvaluationRound.id == round_.id, EvaluationRound.status == RoundStatus.OPEN,
                         EvaluationRound.id.in_(_with_ballots()))
                  .execute())
    if not closed:
        current = EvaluationRound.get_by_id(round_.id)
        if current.status == RoundStatus.CLOSED:
            raise InvalidState("本轮评议已经结束")
        raise InvalidState(no_votes_refusal(current, now))
    return EvaluationRound.get_by_id(round_.id)


def close_notice(round_, expected, present, now=None):
    """What the chair confirms before closing: the turnout, a quorum warning, what follows.

    None once closed; the refusal itself while nobody has voted.
    """
    if round_.status == RoundStatus.CLOSED:
        return None
    if not present:
        return no_votes_refusal(round_, now)
    lines = [f"应到{expected}人，已投票{present}人（参与率{percent(present, expected)}%）。"]
    if not has_quorum(present, expected):
        lines.append(f"{BELOW_QUORUM}。")
    stop = "结束后不能再投票，" if round_.accepting(now) else ""
    lines.append(f"{stop}计票结果将填入本单位申报的审议情况。确定结束本轮评议吗？")
    return "".join(lines)


def can_view_round(person, round_):
    """The org's chair or staff, or an admin above it, may follow a round."""
    return can_fill(person, round_.org) or administers(person, round_.org)


def who_voted(person, round_):
    """The roster as VoterStatus rows: who has voted and when — never their choices."""
    require(can_view_round(person, round_), VIEW_REFUSAL)
    return [VoterStatus(v.id, v.name, v.contact, v.voted_at) for v in Voter.of_round(round_)]


def turnouts(rounds):
    """{round id: (应到, 实到)} of several rounds, counted in one query."""
    counted = {round_.id: (0, 0) for round_ in rounds}
    if counted:
        rows = (Voter.select(Voter.round, fn.COUNT(Voter.id), fn.COUNT(Voter.voted_at))
                .where(Voter.round.in_(list(counted))).group_by(Voter.round).tuples())
        counted.update({round_id: (expected, present) for round_id, expected, present in rows})
    return counted


def summary(person, round_, now=None):
    """Turnout, and the count once the round no longer takes votes (see evaluation_tally)."""
    require(can_view_round(person, round_), VIEW_REFUSAL)
    accepting = round_.accepting(now)
    expected, present = turnouts([round_])[round_.id]
    return RoundSummary(round_, accepting, expected, present, None if accepting else tally(round_))


def counted_votes(round_):
    """The count of a round to deliver; a round nobody voted in has no result to use."""
    counted = tally(round_)
    if not counted.present:
        raise InvalidState(no_votes_refusal(round_))
    return counted


