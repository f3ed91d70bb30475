"""Ballot codes and casting a vote: one vote per voter, and no stored way back from vote to voter.

How the secrecy works
---------------------
Each voter gets a random personal code (16 characters, about 79 bits), shown once when the
round is opened and never stored. From it the server derives two unrelated-looking values
with an HMAC keyed by SECRET_KEY (each purpose under its own label):

* ``voter_hash(code)``  is stored on the Voter row: it recognises the code as being on the roster;
* ``ballot_key(code)``  is the primary key of the Ballot row: the same code can never insert a
  second ballot, however two requests race (the database refuses the duplicate key).

Neither value can be computed from the other without the code itself, and the code is kept
nowhere. So the chair (who handed out the codes but lacks SECRET_KEY), an admin reading every
table, or anyone holding a backup, sees who has voted (``Voter.voted_at``) and the ballots, but
not which ballot is whose. Ballots carry no timestamp and no sequential id (see
models/evaluations.py) so ordering cannot join them either. Only someone holding all three —
the list of codes, SECRET_KEY and the database — could link them; and the running server sees
the code during the request, so access logs must not keep /b/<code> paths (gunicorn's
--access-logfile writes them; with SECRET_KEY such a log would link voters to ballots).
What remains: the physical order rows are written in (SQLite rowid, PostgreSQL heap order)
follows the order of voting; it is visible to whoever reads the raw database files.

Rotating SECRET_KEY while a round is open voids every code of that round (reissue them).

Casting claims the voter (``voted_at``) only while the round is open — one UPDATE, which on
PostgreSQL share-locks the round row — and inserts the ballot in the same transaction, so a
round closed mid-vote either counts the vote or refuses it, never half of it.
"""
import hashlib
import hmac
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from peewee import IntegrityError

from miniapp_backend.clock import format_deadline, utcnow
from miniapp_backend.db import database, is_postgres
from miniapp_backend.free_text import length_error, trim_text
from miniapp_backend.models.evaluations import Ballot, EvaluationRound, RoundStatus, Voter
from miniapp_backend.services import scenes
from miniapp_backend.services.codes import ALPHABET, new_code
from miniapp_backend.services.errors import InvalidState, NotFound, ValidationFailed
from miniapp_backend.text_input import BROKEN_REFUSAL, NUL, NUL_REFUSAL, contains_broken_character

CODE_LENGTH = 16
COMMENT_MAX = 200
VOTED_MESSAGE = "这个投票码已经投过票了。每人只能投一次，投票后不能修改"
NOT_ON_ROSTER_MESSAGE = ("这个投票码不在评议名单中：可能输错了，或已被工会重新发放、移出名单。"
                         "请向本单位工会索取您本人的投票码")
SCALE = {5: "非常满意", 4: "满意", 3: "一般", 2: "不满意", 1: "很不满意"}
_KEY_LABEL = b"zgzj/ballot/v1"
_SCENE_PREFIX = f"{scenes.SceneKind.BALLOT}."


class MalformedCode(NotFound):
    """The link or code is cut short or altered: it cannot be any code we issued."""

    code = "ballot_code_malformed"


class NotOnRoster(NotFound):
    """A well-formed code that no voter holds (mistyped, forged, reissued or removed)."""

    code = "not_on_roster"


class AlreadyVoted(InvalidState):
    """The code has been used: one vote per voter, no changes afterwards."""

    code = "already_voted"


class RoundClosed(InvalidState):
    """The round is closed or past its closing time."""

    code = "round_closed"


@dataclass(frozen=True)
class BallotView:
    """What a voter's page shows: the round, the voter's name, and whether they may vote."""

    round: EvaluationRound
    voter_name: str
    state: str  # "open", "voted" or "closed"


@lru_cache(maxsize=4)
def _ballot_secret(secret):
    """The key ballot HMACs use, derived from SECRET_KEY so it serves no other purpose."""
    return hmac.new(secret.encode(), _KEY_LABEL, hashlib.sha256).digest()


def _derive(secret, purpose, code):
    """HMAC-SHA256 of the code, labelled with its `purpose` ("voter" or "ballot")."""
    return hmac.new(_ballot_secret(secret), f"{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def voter_hash(secret, code):
    """The value stored on the Voter row for `code`."""
    return _derive(secret, "voter", code)


def ballot_key(secret, code):
    """The Ballot primary key for `code`; unrelated to voter_hash without the code."""
    return _derive(secret, "ballot", code)


def new_ballot_code():
    """A fresh personal code from the unambiguous alphabet (no 0/O, 1/I/L)."""
    return new_code(CODE_LENGTH)


def scene_for(code):
    """The scene string ("bt.<code>", 19 characters) for QR codes, mini-program codes and links."""
    return scenes.encode(scenes.SceneKind.BALLOT, code)


def link_for(public_base_url, scene):
    """The voter's ballot page for a code's scene (served by ballot/views.py at /b/<code>)."""
    return f"{public_base_url.rstrip('/')}/b/{scene}"


def parse_code(text):
    """The code in a scene ("bt.…"), a link's last part or a typed code; MalformedCode if none."""
    # NFKC: a code typed on a phone keyboard in full-width mode (ＡＢ２３) is the same code.
    text = unicodedata.normalize("NFKC", text or "").strip()
    decoded = scenes.decode(text)
    if decoded is not None and decoded[0] != scenes.SceneKind.BALLOT:
        raise MalformedCode("这不是投票码，请打开工会发给您本人的投票链接")
    if decoded is not None:
        text = decoded[1]
    elif text.lower().startswith(_SCENE_PREFIX):  # typed as "BT.…"
        text = text[len(_SCENE_PREFIX):]
    code = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise MalformedCode(f"投票链接不完整或有误（投票码应为{CODE_LENGTH}位字母和数字），"
                            "请从工会发来的消息中重新打开")
    return code


def voter_for(secret, text):
    """The Voter (with its round) holding the code in `text`; MalformedCode or NotOnRoster."""
    return _voter_with_code(secret, parse_code(text))


def _voter_with_code(secret, code):
    """The Voter holding a parsed `code`, or NotOnRoster."""
    voter = (Voter.select(Voter, EvaluationRound).join(EvaluationRound)
             .where(Voter.code_hash == voter_hash(secret, code)).get_or_none())
    if voter is None:
        raise NotOnRoster(NOT_ON_ROSTER_MESSAGE)
    return voter


def view(secret, text, now=None):
    """The voter's page: round, name, and state (open, voted, closed)."""
    voter = voter_for(secret, text)
    if voter.voted_at is not None:
        state = "voted"
    elif voter.round.accepting(now or utcnow()):
        state = "open"
    else:
        state = "closed"
    return BallotView(voter.round, voter.name, state)


def closed_message(round_):
    """The refusal for a vote after the round ended."""
    return f"本次评议已于{format_deadline(round_.closed_at or round_.closes_at)}结束，不能再投票"


def parse_scores(round_, scores):
    """{standard: 1–5} for every standard of the round, from a dict or a list in standard order."""
    standards = list(round_.standards)
    if isinstance(scores, (list, tuple)) and len(scores) == len(standards):
        scores = dict(zip(standards, scores))
    if not isinstance(scores, dict) or set(scores) != set(standards):
        raise ValidationFailed(f"请为每一项评家标准打分：{'、'.join(standards)}", key="scores")
    parsed = {}
    for standard in standards:
        value = scores[standard]
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or value not in SCALE:
            raise ValidationFailed(f"“{standard}”的满意度请选择1到5分", key="scores")
        parsed[standard] = value
    return parsed


def parse_ballot(round_, agree, scores, comment):
    """The validated ballot content, or ValidationFailed naming what to fix."""
    if not isinstance(agree, bool):
        raise ValidationFailed("请选择“同意”或“不同意”", key="agree")
    comment = "" if comment is None else comment
    if not isinstance(comment, str):
        raise ValidationFailed("意见建议应为文字", key="comment")
    comment = trim_text(comment)
    if NUL in comment:
        raise ValidationFailed(NUL_REFUSAL, key="comment")
    if contains_broken_character(comment):
        raise ValidationFailed(BROKEN_REFUSAL, key="comment")
    if too_long := length_error("意见建议", comment, COMMENT_MAX):
        raise ValidationFailed(too_long, key="comment")
    return {"agree": agree, "scores": parse_scores(round_, scores), "comment": comment}


def _still_open(round_, now):
    """A subquery: the round's id while it still takes votes, share-locked on PostgreSQL.

    The lock makes close_round wait for votes in flight (and a vote wait for a close in
    flight, then see it). SQLite needs none: the UPDATE using this holds its write lock.
    """
    query = EvaluationRound.select(EvaluationRound.id).where(
        EvaluationRound.id == round_.id, EvaluationRound.status == RoundStatus.OPEN,
        EvaluationRound.closes_at > now)
    return query.for_update("FOR SHARE") if is_postgres(database.obj) else query


def _refusal(voter):
    """Why claiming `voter` failed: the code was reissued or its holder removed meanwhile, a vote
    got in first, or the round ended."""
    current = Voter.get_or_none(Voter.id == voter.id, Voter.code_hash == voter.code_hash)
    if current is None:
        return NotOnRoster(NOT_ON_ROSTER_MESSAGE)
    if current.voted_at is not None:
        return AlreadyVoted(VOTED_MESSAGE)
    return RoundClosed(closed_message(EvaluationRound.get_by_id(voter.round_id)))


def cast(secret, text, agree, scores, comment="", now=None):
    """Record one anonymous ballot for the code in `text`; return the round.

    Refuses (count unchanged): malformed or unknown codes, a second vote, a closed round,
    incomplete or out-of-range answers.
    """
    now = now or utcnow()
    code = parse_code(text)
    voter = _voter_with_code(secret, code)
    round_ = voter.round
    if voter.voted_at is not None:
        raise AlreadyVoted(VOTED_MESSAGE)
    if not round_.accepting(now):
        raise RoundClosed(closed_message(round_))
    content = parse_ballot(round_, agree, scores, comment)
    try:
        with database.atomic():
            # One statement claims the voter while the round is open and the code is still
            # theirs (a reissue voids the old code at once); being a write, it also gives
            # SQLite's write lock before anything is read.
            claimed = (Voter.update(voted_at=now)
                       .where(Voter.id == voter.id, Voter.code_hash == voter.code_hash,
                              Voter.voted_at.is_null(),
                              Voter.round.in_(_still_open(round_, now))).execute())
            if not claimed:
                raise _refusal(voter)
            Ballot.create(ballot_key=ballot_key(secret, code), round=round_, **content)
    except IntegrityError:
        raise AlreadyVoted(VOTED_MESSAGE) from None
    return round_
