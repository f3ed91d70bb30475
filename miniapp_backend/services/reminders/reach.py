"""Scarce subscribe grants go to the reminders that matter most (T-3, T-1).

Each mini-program subscribe message spends one grant the user gave by a tap; we cannot ask for
more. When a person can be reached only that way (no followed official account, or an
unverified account without an open 48 h window), an early reminder (T-14, T-7) is sent only if
a grant would still be left for every T-3/T-1 reminder ahead of that person — across all their
dates — that is not yet in the ledger, once the reminders already written but not yet sent
have taken theirs. Otherwise the early one is recorded as skipped, with the
reason, and the grant waits. With four grants a person gets all four reminders of one date;
with three, T-14, T-3 and T-1; with two, T-3 and T-1.
"""
from miniapp_backend.models import Channel, ChannelState, Identity, Notice, NoticeStatus
from miniapp_backend.services import channel_state, notifications
from miniapp_backend.services.reminders import concerns as concern_rules
from miniapp_backend.services.reminders.schedule import IMPORTANT_OFFSETS, important_still_to_send

NOTICE_KIND = "reminder"


def _cs_window_open(state, now):
    """True while a customer-service message may still go out (48 h window, quota left)."""
    return (state.last_inbound_at is not None and state.last_inbound_at >= now - notifications.KF_WINDOW
            and state.window_sent < notifications.KF_QUOTA)


def reachable_without_grant(person_id, now, verified):
    """True when the official account can carry a message (template unless the user refused
    them, or 客服 in its window)."""
    identity = Identity.get_or_none(person=person_id, channel=Channel.OFFICIAL)
    if identity is None:
        return False
    state = ChannelState.get_or_none(identity=identity)
    if state is not None and state.unsubscribed_at is not None:
        return False
    templates = verified and (state is None or state.template_refused_at is None)
    return templates or (state is not None and _cs_window_open(state, now))


def subscribe_grants_left(person_id, kind=NOTICE_KIND):
    """Grants left for the subscribe template of `kind` (0 without a mini-program identity)."""
    mapping = notifications.templates().get("miniapp_subscribe", {}).get(kind)
    identity = Identity.get_or_none(person=person_id, channel=Channel.MINIAPP)
    if identity is None or not mapping:
        return 0
    return channel_state.grants_left(identity, mapping["template_id"])


def unsent_reminders(person_id):
    """Reminders written for this person that have not gone out yet: each will spend a grant."""
    return Notice.select().where(Notice.person == person_id, Notice.kind == NOTICE_KIND,
                                 Notice.status.in_([NoticeStatus.PENDING, NoticeStatus.SENDING])).count()


def important_ahead(campaign, person_id, today, key_of):
    """How many T-3/T-1 reminders this person may still be sent (not yet in the ledger)."""
    org_ids = concern_rules.orgs_of(person_id)
    if not org_ids:
        return 0
    # A set: several subjects of one kind and date share one reminder (and one grant).
    keys = list({key_of(concern, offset, person_id)
                 for concern in concern_rules.concerns(campaign, today, org_ids)
                 for offset in important_still_to_send(concern.deadline, today)})
    done = Notice.select().where(Notice.key.in_(keys)).count() if keys else 0
    return len(keys) - done


def reserve_reason(campaign, person_id, offset, now, today, verified, key_of):
    """Why an early reminder should give way to T-3/T-1 ones, or "" to send it."""
    if offset in IMPORTANT_OFFSETS or reachable_without_grant(person_id, now, verified):
        return ""
    granted = subscribe_grants_left(person_id)
    if granted == 0:
        return ""  # nothing to save; the notification service records why nothing went out
    # Reminders written but not yet delivered (earlier in this run) have their grants spoken for.
    left = granted - unsent_reminders(person_id)
    needed = important_ahead(campaign, person_id, today, key_of)
    if left > needed:
        return ""
    return f"订阅消息授权仅剩{left}次，留给截止前3天和1天的{needed}条提醒"

