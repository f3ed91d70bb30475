"""Each message is processed once: WeChat retries (after 5 s, 3 attempts) get the first answer.

The first attempt claims the message key; the answer it produces (plain XML, before any
encryption) is cached under the same key, so a retry re-sends it without running handlers.
"""
import time

REPLY_TTL = 600  # longer than WeChat's whole retry cycle (3 attempts, 5 s apart)
PENDING = b"\x00pending"
KEY = "wechat:msg:{}"
POLL_SECONDS = 0.1


def message_key(message):
    """MsgId for messages; sender + CreateTime + event name for events (they have no MsgId)."""
    if getattr(message, "id", 0):
        return f"id:{message.id}"
    return f"ev:{message.source}:{message.time}:{getattr(message, 'event', message.type)}"


def claim(redis, key):
    """True for the first attempt at this message; False when another attempt has it."""
    return bool(redis.set(KEY.format(key), PENDING, nx=True, ex=REPLY_TTL))


def remember(redis, key, reply):
    """Store the answer of the first attempt for its retries."""
    redis.set(KEY.format(key), reply.encode("utf-8"), ex=REPLY_TTL)


def answer_of(redis, key, wait=4.0):
    """The cached answer, waiting up to `wait` s while the first attempt still runs; None if none."""
    deadline = time.monotonic() + wait
    while True:
        value = redis.get(KEY.format(key))
        if value is None:
            return None
        if value != PENDING:
            return value.decode("utf-8")
        if time.monotonic() >= deadline:
            return None
        time.sleep(POLL_SECONDS)
