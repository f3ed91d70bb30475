"""Handing a user to a human: the one passive reply WeChat allows is the transfer itself, so the
user's acknowledgement follows as a customer-service message, queued (never sent inline)."""
from bots.conversation import replies
from miniapp_backend.services import notifications
from workers.queues import deliver_notices

NOTICE_KIND = "handover"


def acknowledge(redis, person, message_key):
    """Queue the acknowledgement of the hand-over asked for by one message (once per message)."""
    notice = notifications.queue(person, f"handover:{message_key}", NOTICE_KIND,
                                 {"text": replies.HANDED_OVER})
    deliver_notices(redis, [notice] if notice else [])
