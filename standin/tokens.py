"""access_token issuing and checking as Tencent does it: expiry, and grace for a replaced token."""
import math
import secrets
import threading
from dataclasses import dataclass

from standin.protocol import ApiError


@dataclass
class _Token:
    appid: str
    expires_at: float
    retire_at: float = math.inf


class TokenBook:
    """Tokens per (appid, family); `cgi-bin/token` and `stable_token` are separate families."""

    def __init__(self, settings, clock):
        """An empty book reading time from `clock`."""
        self.settings, self.clock = settings, clock
        self._tokens = {}
        self._latest = {}
        self._lock = threading.Lock()

    def issue(self, appid, family="token"):
        """A new token; the one it replaces keeps working for the grace period (300 s)."""
        with self._lock:
            return self._issue(appid, family, self.settings.token_grace)

    def _issue(self, appid, family, grace):
        """Issue under the lock; the previous latest token retires `grace` seconds from now."""
        now = self.clock()
        previous = self._tokens.get(self._latest.get((appid, family)))
        if previous:
            previous.retire_at = min(previous.retire_at, now + grace)
        # Real tokens are ~136 characters of [A-Za-z0-9_-].
        token = secrets.token_urlsafe(102)
        lifetime = self.settings.token_lifetime
        self._tokens[token] = _Token(appid, now + lifetime)
        self._latest[(appid, family)] = token
        return token, lifetime

    def stable(self, appid, force_refresh):
        """stable_token: the same token while valid; force_refresh replaces it at once."""
        with self._lock:
            now = self.clock()
            token = self._latest.get((appid, "stable"))
            record = self._tokens.get(token)
            if not force_refresh and record and record.expires_at > now and record.retire_at > now:
                return token, int(record.expires_at - now)
            return self._issue(appid, "stable", 0)

    def check(self, token):
        """The appid a token belongs to, or 40001 (unknown or replaced) / 42001 (expired)."""
        with self._lock:
            record = self._tokens.get(token)
            now = self.clock()
            if record is None or record.retire_at <= now:
                raise ApiError(40001)
            if record.expires_at <= now:
                raise ApiError(42001)
            return record.appid

    def expire_all(self):
        """Expire every token now (answers 42001 from here on)."""
        with self._lock:
            now = self.clock()
            for record in self._tokens.values():
                record.expires_at = min(record.expires_at, now)
