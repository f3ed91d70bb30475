"""The Redis side of one callback, in two round trips: admitted at the start, finished at the end.

Admission makes four decisions atomically:
- a nonce may come back within its window only with the very same body (WeChat's own retry of
  a message); with another body it is a replay, refused having touched nothing;
- the first attempt at a message claims its key (bots/dedupe); retries then get its answer;
- the first attempt at something a user did notes their activity, at most once a minute
  (bots/activity), and takes the user's turn (bots/conversation/session) if it is free.
Finishing stores the answer for retries, and the turn's position, and lets the turn go.
"""
import hashlib
import logging
from enum import Enum

from bots import activity, dedupe
from bots.conversation import session
from bots.security import MAX_CLOCK_SKEW
from miniapp_backend.redis_scripts import LuaScript

log = logging.getLogger(__name__)

NONCE_KEY = "wechat:nonce:{}"
# A nonce older than the timestamp window is refused by its timestamp anyway.
NONCE_TTL = 2 * MAX_CLOCK_SKEW

# KEYS: nonce, message, activity, lock, position.
# ARGV: body digest, nonce ttl, pending mark, reply ttl, activity ttl ('' not a user action),
#       turn token, lock ms.
# → {-1} replayed nonce, {0} a retry, {1 or 2 (activity to note), turn taken?, position}.
_ADMIT = LuaScript(b"""
local seen = redis.call('GET', KEYS[1])
if seen and seen ~= ARGV[1] then return {-1} end
if not seen then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
if not redis.call('SET', KEYS[2], ARGV[3], 'NX', 'EX', ARGV[4]) then return {0} end
if ARGV[5] == '' then return {1} end
local verdict = 1
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[5]) then verdict = 2 end
if redis.call('SET', KEYS[4], ARGV[6], 'NX', 'PX', ARGV[7]) then
  return {verdict, 1, redis.call('GET', KEYS[5])}
end
return {verdict, 0}
""")
# KEYS: message, lock, position. ARGV: answer, reply ttl, turn token, position ('' keeps), ttl.
# → 1 when the turn was still ours.
_FINISH = LuaScript(b"""
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if ARGV[4] ~= '' then redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[5]) end
if redis.call('GET', KEYS[2]) == ARGV[3] then
  redis.call('DEL', KEYS[2])
  return 1
end
return 0
""")


class Admission(Enum):
    """What to do with a callback."""

    REPLAYED = -1  # refuse
    RETRY = 0  # answer what the first attempt answered
    FIRST = 1  # handle it
    FIRST_ACTIVE = 2  # handle it, and record that the user is active


def admit(redis, nonce, body, message_key, turn, user_acted):
    """Decide on one callback; for something a user did, note activity and try to take `turn`."""
    keys = (NONCE_KEY.format(nonce), dedupe.KEY.format(message_key),
            activity.NOTED_KEY.format(turn.openid), *turn.keys)
    args = (hashlib.sha256(body).hexdigest(), NONCE_TTL, dedupe.PENDING, dedupe.REPLY_TTL,
            activity.NOTE_EVERY_SECONDS if user_acted else "", turn.token, session.LOCK_SECONDS * 1000)
    reply = _ADMIT(keys=keys, args=args, client=redis)
    if len(reply) > 1:
        turn.took(reply[1:])
    return Admission(reply[0])


def finish(redis, message_key, answer, turn):
    """Keep the answer for retries and the turn's position; let the turn go."""
    keys = (dedupe.KEY.format(message_key), *turn.keys)
    args = (answer.encode("utf-8"), dedupe.REPLY_TTL, turn.token, turn.kept, session.POSITION_TTL)
    if not _FINISH(keys=keys, args=args, client=redis) and turn.held:
        log.warning("chat lock of %s vanished during the turn (Redis flushed?)", turn.openid)
