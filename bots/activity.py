"""Noting that a user wrote to us, which opens WeChat's 48-hour customer-service window.

A chair answering a checklist writes every few seconds; the window's start is noted at most
once a minute per user (bots/admission decides when). It may then start up to a minute early,
so it can only end sooner than WeChat's own: never a message WeChat would refuse.
"""
from miniapp_backend.models import Channel
from miniapp_backend.services import channel_state

NOTED_KEY = "chat:noted:{}"
NOTE_EVERY_SECONDS = 60


def note_user_acted(openid):
    """Record the user's activity (the window opens anew)."""
    channel_state.record_inbound(Channel.OFFICIAL, openid)


def note_followed(openid):
    """The user followed (again): their consent to template messages is new."""
    channel_state.record_follow(openid)


def note_unsubscribed(redis, openid):
    """The user left: recorded at once, and a quick return is noted at once too."""
    redis.delete(NOTED_KEY.format(openid))
    channel_state.record_unsubscribe(openid)
