"""What WeChat lets us send each person, as their own actions set it: the 48-hour customer-service
window their messages open, following or unfollowing the official account (which also lifts a
template refusal), and the one-time subscribe-message grants the mini-program collects.
notifications.py reads it to choose a channel."""
from miniapp_backend.clock import utcnow
from miniapp_backend.models import Channel, ChannelState, Identity, SubscribeGrant

# wx.requestSubscribeMessage results that grant a send: newer WeChat clients answer an accept with
# a reminder style switched on (语音提醒, 强提醒) by these undocumented variants.
ACCEPTED = ("accept", "acceptWithAudio", "acceptWithAlert", "acceptWithForcePush")


def record_inbound(channel, openid, at=None):
    """A user wrote to us: the customer-service window (48 h, 5 messages) opens anew."""
    identity = Identity.with_person(Channel(channel), openid)
    if identity is None:
        return
    at = at or utcnow()
    ChannelState.insert(identity=identity, last_inbound_at=at, window_sent=0).on_conflict(
        conflict_target=[ChannelState.identity],
        update={ChannelState.last_inbound_at: at, ChannelState.window_sent: 0,
                ChannelState.unsubscribed_at: None}).execute()


def record_unsubscribe(openid, at=None):
    """The user unfollowed the official account: no more official-account messages."""
    identity = Identity.get_or_none(channel=Channel.OFFICIAL, openid=openid)
    if identity is None:
        return
    at = at or utcnow()
    ChannelState.insert(identity=identity, unsubscribed_at=at).on_conflict(
        conflict_target=[ChannelState.identity],
        update={ChannelState.unsubscribed_at: at}).execute()


def record_follow(openid):
    """The user followed the official account (again): a template refusal they made before is
    forgotten, so template messages are tried again."""
    (ChannelState.update(template_refused_at=None)
     .where(ChannelState.identity.in_(Identity.select(Identity.id).where(
         Identity.channel == Channel.OFFICIAL, Identity.openid == openid)),
            ChannelState.template_refused_at.is_null(False)).execute())


def record_grants(identity, results):
    """`wx.requestSubscribeMessage` results {template_id: "accept"|"reject"|…}: count accepts."""
    for template_id, result in results.items():
        if result not in ACCEPTED:
            continue
        SubscribeGrant.insert(identity=identity, template_id=template_id, granted=1).on_conflict(
            conflict_target=[SubscribeGrant.identity, SubscribeGrant.template_id],
            update={SubscribeGrant.granted: SubscribeGrant.granted + 1}).execute()


def grants_left(identity, template_id):
    """How many one-time grants remain for `template_id`."""
    grant = SubscribeGrant.get_or_none(identity=identity, template_id=template_id)
    return grant.granted - grant.used if grant else 0
