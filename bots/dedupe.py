"""Each message is processed once: WeChat retries (after 5 s, 3 attempts) get the first answer.

The first attempt claims the message key and, when done, stores the answer it produced (plain
XML, before any encryption) under the same key (both in bots/admission), so a retry re-sends it
without running handlers.
"""
import time

REPLY_TTL = 600  # longer than WeChat's whole retry cycle (3 attempts, 5 s apart)
PENDING = b"\x00pending"
KEY = "wechat:msg:{}"
POLL_SECONDS = 0.1


def message_key(message):
    """MsgId for messages; for events (they have no MsgId) sender + CreateTime, as WeChat
    advises, plus the event and its key: two scans or clicks in one second are two events."""
    if getattr(message, "id", 0):
        return f"id:{message.id}"
    key = next(filter(None, (getattr(message, name, None) for name in ("key", "scene_id", "url"))), "")
    return f"ev:{message.source}:{message.time}:{getattr(message, 'event', message.type)}:{key}"


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
