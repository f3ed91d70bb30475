"""The user's lock and conversation position for one callback.

One turn at a time per user (photos often arrive together). Under load every round trip to
Redis waits for a CPU the web workers are using, so the lock is normally taken, and the
position read, by the callback's admission script (bots/admission), and the position is
written and the lock let go by its finishing script, together with the answer. Only when
another turn of the same user holds the lock does a turn wait for it here.
"""
import time
import uuid

from miniapp_backend.redis_scripts import LuaScript

LOCK_KEY = "chat:lock:{}"
POSITION_KEY = "chat:position:{}"
LOCK_SECONDS = 15  # longer than any turn; frees the lock if a process dies holding it
LOCK_WAIT = 4  # WeChat gives up after 5 s
POLL_SECONDS = 0.05
POSITION_TTL = 30 * 24 * 3600

# KEYS: lock, position. ARGV: token, lock ms. → {1, position or nil} when taken, {0} when busy.
TAKE = LuaScript(b"""
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('GET', KEYS[2])}
end
return {0}
""")


class UserTurn:
    """`with turn:` holds the user's lock; `turn.stored` is the position read, `keep` the new one."""

    def __init__(self, redis, openid):
        self.redis, self.openid = redis, openid
        self.keys = (LOCK_KEY.format(openid), POSITION_KEY.format(openid))
        self.token = uuid.uuid4().hex
        self.held, self.stored, self.kept = False, None, ""

    def took(self, reply):
        """Note the TAKE script's reply (run alone or inside admission); True if the lock is ours."""
        if reply[0] != 1:
            return False
        raw = reply[1] if len(reply) > 1 else None
        self.held, self.stored = True, raw.decode("utf-8") if raw is not None else None
        return True

    def __enter__(self):
        deadline = time.monotonic() + LOCK_WAIT
        while not self.held and not self.took(
                TAKE(keys=self.keys, args=(self.token, LOCK_SECONDS * 1000), client=self.redis)):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"chat lock of {self.openid} is busy")
            time.sleep(POLL_SECONDS)
        return self

    def keep(self, text):
        """The position to store when the callback finishes."""
        self.kept = text

    def __exit__(self, exc_type, _exc, _tb):
        if exc_type:
            self.kept = ""  # a failed turn keeps the stored position: its answers are saved already
        return False
