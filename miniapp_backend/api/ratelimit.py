"""Per-user request limits: a counter per user, bucket and time window in Redis."""
import time
from enum import StrEnum

from flask import current_app, g, request

from miniapp_backend.api import context
from miniapp_backend.api.errors import ApiError

# Tests and deployments may override a bucket with app.config["API_RATE_LIMITS"][bucket].
LIMITS_SETTING = "API_RATE_LIMITS"


class Bucket(StrEnum):
    """What kind of call is counted; each has its own allowance."""

    LOGIN = "login"
    READ = "read"
    WRITE = "write"
    UPLOAD = "upload"
    PUBLIC = "public"


WINDOW_WORDS = {60: "每分钟", 3600: "每小时"}
# (requests, window in seconds): generous for people, tight enough to stop a runaway client.
DEFAULT_LIMITS = {
    Bucket.LOGIN: (20, 60),
    Bucket.READ: (300, 60),
    Bucket.WRITE: (120, 60),
    Bucket.UPLOAD: (30, 60),
    Bucket.PUBLIC: (120, 60),
}


def allowance(bucket):
    """(requests, window seconds) for `bucket`."""
    return {**DEFAULT_LIMITS, **current_app.config.get(LIMITS_SETTING, {})}[bucket]


def caller():
    """Who is counted: the signed-in person, else the client address."""
    person = g.get("person")
    return f"p{person.id}" if person is not None else f"ip{request.remote_addr}"


def hit(bucket):
    """Count one call of the caller in `bucket`; refuse with 429 past the allowance."""
    count, window = allowance(bucket)
    now = time.time()
    slot = int(now // window)
    key = f"ratelimit:{bucket}:{caller()}:{slot}"
    pipe = context.redis().pipeline(transaction=False)
    pipe.incr(key)
    pipe.expire(key, window)
    used = pipe.execute()[0]
    if used > count:
        retry = max(1, int((slot + 1) * window - now))
        per = WINDOW_WORDS.get(window, f"每{window}秒")
        raise ApiError(429, "rate_limited", f"操作太频繁：{per}最多{count}次，请{retry}秒后再试",
                       headers={"Retry-After": str(retry)}, retry_after=retry)
