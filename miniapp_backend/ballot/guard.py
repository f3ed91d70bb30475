"""Abuse limits for /b/ (Redis counters) and the signed per-page token of the ballot form.

Counters live in fixed windows keyed by a hash of the code or address, so Redis holds neither.
Limits stop guessing and hammering, not voting: one office behind one NAT address must still be
able to vote, so an address is limited only in failed lookups (unknown or malformed codes).
A Redis outage lets requests through: the database alone already refuses every double vote.
"""
import hashlib
import logging
import time

from itsdangerous import BadData, URLSafeTimedSerializer
from redis import RedisError

log = logging.getLogger(__name__)

WINDOW_SECONDS = 600
PER_CODE = 30  # requests one code may make per window: reloads and retries, not a flood
PER_ADDRESS_FAILURES = 20  # unknown or malformed codes one address may try per window
TOKEN_SALT = "ballot-page"
TOKEN_MAX_AGE = 6 * 3600  # a form left open half a day still submits


def _key(kind, value):
    """The counter key of `value` in the current window."""
    digest = hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:32]
    return f"ballot:rl:{kind}:{digest}:{int(time.time()) // WINDOW_SECONDS}"


def over_limit(redis, code, address):
    """Count this request against its code; True when the code or the address is over its limit."""
    code_key, address_key = _key("code", code), _key("addr", address or "")
    try:
        pipe = redis.pipeline()
        pipe.incr(code_key)
        pipe.expire(code_key, WINDOW_SECONDS)
        pipe.get(address_key)
        code_count, _, failures = pipe.execute()
    except RedisError as exc:
        log.warning("ballot rate limit unavailable, letting the request through: %s", exc)
        return False
    return code_count > PER_CODE or int(failures or 0) >= PER_ADDRESS_FAILURES


def note_failure(redis, address):
    """Count one unknown or malformed code tried from `address`."""
    key = _key("addr", address or "")
    try:
        pipe = redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS)
        pipe.execute()
    except RedisError as exc:
        log.warning("ballot rate limit unavailable, failure not counted: %s", exc)


def _serializer(secret):
    """The signer of page tokens."""
    return URLSafeTimedSerializer(secret, salt=TOKEN_SALT)


def _page_id(code):
    """What a token is bound to: the page's code, hashed (the token never carries the code)."""
    return hashlib.sha256(code.encode()).hexdigest()[:16]


def page_token(secret, code):
    """A signed, timestamped token for the form of the page at /b/<code>."""
    return _serializer(secret).dumps(_page_id(code))


def token_valid(secret, code, token):
    """True when `token` was issued by this server for this page, less than TOKEN_MAX_AGE ago."""
    try:
        return _serializer(secret).loads(token or "", max_age=TOKEN_MAX_AGE) == _page_id(code)
    except BadData:
        return False
