"""One notification service: a ledger row per notice, the channel chosen by WeChat's rules.

Order: customer-service message while the 48 h window is open and its quota lasts; else a
template message on a verified 服务号; else a mini-program subscribe message where a grant is
left. Each notice has a unique key and is sent at most once; failures stay visible in the ledger.
A send WeChat got but never answered (or answered with an HTTP server error) is UNKNOWN, never
resent by itself: it may have arrived.
Days left said in a notice (还有3天) are counted on the day it goes out (countdown).
"""
import datetime as dt
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from peewee import IntegrityError

from miniapp_backend.clock import local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import (
    Channel, ChannelState, Identity, Notice, NoticeStatus, SubscribeGrant)
from miniapp_backend.models.notifications import STALE_CLAIM
from miniapp_backend.services import channel_state, countdown, template_reports
from miniapp_backend.services.channels import (
    DAILY_QUOTA, SYSTEM_BUSY, TOKEN_ERRORS, SendRefused, SendUnconfirmed)
from miniapp_backend.services.notice_links import miniapp_page
from miniapp_backend.text_fit import pages, size

KF_WINDOW = dt.timedelta(hours=48)
KF_QUOTA = 5
# A 客服 text is held to the size WeChat takes in chat (as passive replies, about 2,048 bytes);
# a longer one ends at a line or sentence with a pointer to the whole.
KF_TEXT_BYTES = 2048
KF_MORE = "……\n（内容较长，完整内容请回复“申报”或在小程序中查看）"
KF_MORE_LINK = "……\n（内容较长，完整内容：{url}）"  # a link in a 客服 text opens in WeChat's browser
OUT_OF_WINDOW, QUOTA_USED_UP = 45015, 45047
UNSUBSCRIBED, REFUSED = 43004, 43101
RETRY_NOTE = "，稍后自动重试"
FIELD_LIMITS = {"thing": 20, "phrase": 5, "name": 10, "character_string": 32}
FIELD_BREAKS = "，。；、：！？,;:!? "
TEMPLATES_FILE = Path(__file__).resolve().parent.parent / "notice_templates.yaml"


@lru_cache(maxsize=4)
def _templates(path):
    """The notice → template mapping file, parsed once per process."""
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def templates():
    """The mapping in force (NOTICE_TEMPLATES_FILE overrides the shipped file)."""
    return _templates(os.environ.get("NOTICE_TEMPLATES_FILE") or str(TEMPLATES_FILE))


def queue(person, key, kind, parts):
    """Write the ledger row for a notice (once per key); return it, or None if it existed."""
    try:
        with database.atomic():
            return Notice.create(key=key, person=person, kind=kind, payload=parts)
    except IntegrityError:
        return None


def fit(keyword, value):
    """A value cut to what its keyword type allows (thing ≤ 20, phrase ≤ 5 …). A longer one ends
    with "…" at its last clause break (，、。…) in the second half of the room, so no word or number
    is cut in two; without one it is cut at the limit. The whole text is on the notice's page."""
    kind = keyword.rstrip("0123456789")
    limit = FIELD_LIMITS.get(kind)
    text = str(value)
    if not limit or len(text) <= limit:
        return text
    if limit <= 5:
        return text[:limit]
    head = text[: limit - 1]
    cut = max(head.rfind(mark) for mark in FIELD_BREAKS)
    return (head[:cut] if cut >= limit // 2 else head).rstrip() + "…"


@dataclass
class Outcome:
    """How one delivery attempt ended."""

    status: str
    channel: str = ""
    errcode: int | None = None
    detail: str = ""
    msgid: int | None = None


def _failed_transiently():
    """Notices that failed only because WeChat was busy or out of reach: nothing was sent."""
    return (Notice.status == NoticeStatus.FAILED) & (Notice.errcode == SYSTEM_BUSY)


def failed_transiently(result):
    """True when a notice (or an Outcome) failed only because WeChat was busy or out of reach."""
    return result.status == NoticeStatus.FAILED and result.errcode == SYSTEM_BUSY


def claim(notice_id):
    """Take a notice for sending: a PENDING one, or one that failed only because WeChat was busy or
    out of reach (its retry); False when another worker has it, it is done or failed for good.
    The errcode goes with the claim: a send interrupted now must not look transient (stale_claims)."""
    return bool(Notice.update(status=NoticeStatus.SENDING, errcode=None, updated_at=utcnow())
                .where(Notice.id == notice_id, (Notice.status == NoticeStatus.PENDING) | _failed_transiently())
                .execute())


def hold(notice_id, kinds):
    """Leave a notice of one of `kinds` (those that may not go out now) for the sweep: a pending
    one stays pending, one that failed only because WeChat was busy is pending again (nothing was
    sent). True when it is held; False for other kinds, or one taken, sent or failed for good."""
    if not kinds:
        return False
    return bool(Notice.update(status=NoticeStatus.PENDING, errcode=None, detail="", updated_at=utcnow())
                .where(Notice.id == notice_id, Notice.kind.in_(list(kinds)),
                       (Notice.status == NoticeStatus.PENDING) | _failed_transiently()).execute())


def deliver(notice_id, messenger, verified_service_account=True, links=None, will_retry=False, redis=None,
            today=None):
    """Send one notice through the first channel WeChat allows; record the outcome. `links`
    (notice_links.ReaderLinks) gives a template message, and a 客服 text cut to chat size, the
    address of the notice's whole text. `will_retry`: the caller tries again later if WeChat is
    busy or out of reach, so such a failure says it will be retried. `redis`: where delivery
    reports that came before this outcome was stored wait (template_reports); they are applied.
    `today` (local; default: the clock's) is the day the notice's days left are counted from."""
    if not claim(notice_id):
        return Notice.get_by_id(notice_id)
    notice = _counted_from(Notice.get_by_id(notice_id), today or local_today())
    outcome = _first_channel_that_works(notice, messenger, verified_service_account, links)
    if will_retry and failed_transiently(outcome):
        outcome.detail += RETRY_NOTE
    Notice.update(status=outcome.status, channel=outcome.channel, errcode=outcome.errcode,
                  detail=outcome.detail[:500], msgid=outcome.msgid, updated_at=utcnow(),
                  sent_at=utcnow() if outcome.status == NoticeStatus.SENT else None
                  ).where(Notice.id == notice.id).execute()
    if redis is not None and outcome.channel == "template":
        template_reports.apply_kept(redis, notice)
    return Notice.get_by_id(notice.id)


def _counted_from(notice, today):
    """The claimed notice with its days left counted from `today` (a notice written on an earlier
    day says 还有2天, not 还有3天), stored before the send so its readers see what was sent."""
    recounted = countdown.recount(notice.payload, today)
    if recounted is not None:
        Notice.update(payload=recounted).where(Notice.id == notice.id).execute()
        notice.payload = recounted
    return notice


# Why a channel refused, in words an admin can act on (the errcode stays beside them).
CHANNEL_WORDS = {"customer_service": "客服消息", "template": "模板消息", "subscribe": "订阅消息"}
REFUSAL_WORDS = {OUT_OF_WINDOW: "不在48小时窗口内或已取消关注", QUOTA_USED_UP: "本窗口的客服消息条数已用完",
                 UNSUBSCRIBED: "已取消关注公众号", REFUSED: "用户拒收或订阅授权已用完",
                 DAILY_QUOTA: "接口调用已达当日上限"}
NO_CHANNEL = "没有可用渠道："
TEMPLATE_REFUSED = "用户已拒收模板消息（43101，重新关注公众号后再试）"
# A token error left after the one refetch (wechat.py) means someone else keeps replacing it.
TOKEN_STILL_REFUSED = "access_token失效，重新获取后仍被拒（可能另有程序在用同一AppSecret获取token）"
# A read timeout or an HTTP server error: the send went out and WeChat may have delivered it, so it
# is not resent by itself.
UNCONFIRMED_WORDS = "{channel}已发给微信，但{why}，无法确认对方是否收到；为免重复发送，不自动重发。"
UNANSWERED_WORDS = "微信未在时限内答复"
SERVER_ERROR_WORDS = "微信答复了服务器错误（HTTP {status}），消息可能已经发出"
TEMPLATE_REPORT_AWAITED = "若微信随后报告送达结果，将自动更新。"
RESEND_IF_MISSED = "如确认对方没有收到，可手动重新发送。"
FAILURE_WORDS = {SYSTEM_BUSY: "微信系统繁忙或网络故障", 40164: "服务器IP不在公众号的IP白名单中",
                 48001: "公众号没有这项接口权限", 47003: "消息内容不符合模板要求",
                 **dict.fromkeys(TOKEN_ERRORS, TOKEN_STILL_REFUSED)}


def _first_channel_that_works(notice, messenger, verified, links=None):
    """Try each channel in order; stop at the first success or a hard failure. A channel that
    does not apply says why, and a notice nobody could be sent says every reason, with the errcode
    of the last refusal that decided it (43101: the user refused) for the ledger's errcode filter."""
    reasons, deciding = [], None
    for attempt in (_try_customer_service, _try_template, _try_subscribe):
        channel = attempt.__name__[5:]
        if attempt is _try_template and not verified:
            reasons.append("公众号不是认证服务号，不能发模板消息")
            continue
        try:
            outcome = attempt(notice, messenger, links)
        except SendRefused as exc:
            _note_refusal(notice, attempt, exc)
            if exc.errcode not in REFUSAL_WORDS:
                words = FAILURE_WORDS.get(exc.errcode) or f"微信返回错误码{exc.errcode}"
                return Outcome(NoticeStatus.FAILED, channel, exc.errcode,
                               f"{CHANNEL_WORDS[channel]}发送失败：{words}（{exc.errmsg}）")
            reasons.append(f"{CHANNEL_WORDS[channel]}被拒（{exc.errcode} {REFUSAL_WORDS[exc.errcode]}）")
            deciding = exc.errcode
            continue
        except SendUnconfirmed as exc:
            return Outcome(NoticeStatus.UNKNOWN, channel, detail=_unconfirmed_words(channel, exc.http_status))
        if isinstance(outcome, Outcome):
            return outcome
        reasons.append(outcome)
    return Outcome(NoticeStatus.SKIPPED, errcode=deciding, detail=NO_CHANNEL + "；".join(dict.fromkeys(reasons)))


def _unconfirmed_words(channel, http_status=None):
    """Why a notice WeChat never answered for (or answered `http_status`, a server error) is not
    resent, and what the admin can do."""
    why = SERVER_ERROR_WORDS.format(status=http_status) if http_status else UNANSWERED_WORDS
    awaited = TEMPLATE_REPORT_AWAITED if channel == "template" else ""
    return UNCONFIRMED_WORDS.format(channel=CHANNEL_WORDS[channel], why=why) + awaited + RESEND_IF_MISSED


def _state(identity):
    """The identity's channel state row (created empty)."""
    state, _ = ChannelState.get_or_create(identity=identity)
    return state


def _official(notice):
    """The person's official-account identity, if they have one and still follow."""
    identity = Identity.get_or_none(person=notice.person_id, channel=Channel.OFFICIAL)
    if identity is None or _state(identity).unsubscribed_at is not None:
        return None
    return identity


def _official_gone(notice):
    """Why the official account cannot reach the person: never followed, or unfollowed."""
    followed = Identity.select().where(Identity.person == notice.person_id,
                                       Identity.channel == Channel.OFFICIAL).exists()
    return "已取消关注公众号" if followed else "未关注公众号"


def _try_customer_service(notice, messenger, links=None):
    """A 客服 message inside the 48 h window, within the quota (counted before sending)."""
    identity = _official(notice)
    if identity is None:
        return _official_gone(notice)
    since = utcnow() - KF_WINDOW
    took = (ChannelState.update(window_sent=ChannelState.window_sent + 1)
            .where(ChannelState.identity == identity, ChannelState.last_inbound_at >= since,
                   ChannelState.window_sent < KF_QUOTA).execute())
    if not took:
        last = _state(identity).last_inbound_at
        return ("48小时内的客服消息条数已用完" if last is not None and last >= since
                else "48小时内没有给公众号发过消息，不能发客服消息")
    full_url = links.url(notice.id) if links else ""
    try:
        messenger.send_customer_text(identity.openid, fit_customer_text(notice.payload["text"], full_url))
    except SendRefused as exc:
        if exc.errcode not in (OUT_OF_WINDOW, QUOTA_USED_UP):  # those two close the window (_note_refusal)
            _give_window_message_back(identity)
        raise
    return Outcome(NoticeStatus.SENT, "customer_service")


def _give_window_message_back(identity):
    """A refused or failed 客服 send (busy, 40164 …) took no message: the one counted is given back
    (an unanswered one keeps its count: it may have arrived)."""
    (ChannelState.update(window_sent=ChannelState.window_sent - 1)
     .where(ChannelState.identity == identity, ChannelState.window_sent > 0).execute())


def fit_customer_text(text, full_url=""):
    """`text` within KF_TEXT_BYTES: whole, or its first page (ending at a line or sentence that
    fits), then a pointer to the whole: `full_url` (the notice's H5 page) when given, else KF_MORE."""
    if size(text) <= KF_TEXT_BYTES:
        return text
    more = KF_MORE_LINK.format(url=full_url) if full_url else KF_MORE
    return pages(text, KF_TEXT_BYTES - size(more))[0] + more


def _try_template(notice, messenger, links=None):
    """A template message (verified 服务号 only), when the kind has a template. Its keywords hold
    about 20 characters, so it links the notice's own url, else the H5 page of its whole text, and
    opens the mini-program's page (the application's, or the notice's) unless the notice has its
    own url."""
    identity = _official(notice)
    mapping = templates().get("official_template", {}).get(notice.kind)
    if identity is None:
        return _official_gone(notice)
    if not mapping:
        return "这类通知没有配置模板消息"
    if _state(identity).template_refused_at is not None:
        return TEMPLATE_REFUSED
    data = {kw: {"value": fit(kw, notice.payload.get(part, ""))} for kw, part in mapping["fields"].items()}
    own_url = notice.payload.get("url")
    url = own_url or (links.url(notice.id) if links else "")
    page = "" if own_url else miniapp_page(notice.payload.get("page", ""), notice.id)
    msgid = messenger.send_template(identity.openid, mapping["template_id"], data, url, page)
    return Outcome(NoticeStatus.SENT, "template", msgid=msgid)


def _try_subscribe(notice, messenger, links=None):
    """A mini-program subscribe message, spending one recorded grant."""
    identity = Identity.get_or_none(person=notice.person_id, channel=Channel.MINIAPP)
    mapping = templates().get("miniapp_subscribe", {}).get(notice.kind)
    if identity is None:
        return "未使用小程序"
    if not mapping:
        return "这类通知没有配置小程序订阅消息"
    spent = (SubscribeGrant.update(used=SubscribeGrant.used + 1)
             .where(SubscribeGrant.identity == identity,
                    SubscribeGrant.template_id == mapping["template_id"],
                    SubscribeGrant.used < SubscribeGrant.granted).execute())
    if not spent:
        return "小程序订阅消息没有剩余授权"
    data = {kw: {"value": fit(kw, notice.payload.get(part, ""))} for kw, part in mapping["fields"].items()}
    page = miniapp_page(notice.payload.get("page") or mapping.get("page", ""), notice.id)
    try:
        messenger.send_subscribe(identity.openid, mapping["template_id"], data, page)
    except SendRefused as exc:
        _settle_grant(identity, mapping["template_id"], exc.errcode)
        raise
    return Outcome(NoticeStatus.SENT, "subscribe")


def _settle_grant(identity, template_id, errcode):
    """Correct the count after a refused subscribe send: 43101 says the user has no grant left at
    all (refused, or cancelled the subscription), so none is tried again; any other refusal or
    failure took no message, so Tencent spent no grant and the one taken is given back."""
    grant = (SubscribeGrant.identity == identity) & (SubscribeGrant.template_id == template_id)
    if errcode == REFUSED:
        SubscribeGrant.update(used=SubscribeGrant.granted).where(grant).execute()
    else:
        SubscribeGrant.update(used=SubscribeGrant.used - 1).where(grant, SubscribeGrant.used > 0).execute()


def _note_refusal(notice, attempt, exc):
    """Remember what a refusal tells us so the next notice skips a dead channel."""
    identity = _official(notice)
    if identity is None:
        return
    if attempt is _try_customer_service and exc.errcode in (OUT_OF_WINDOW, QUOTA_USED_UP):
        ChannelState.update(window_sent=KF_QUOTA).where(ChannelState.identity == identity).execute()
    if exc.errcode == UNSUBSCRIBED:
        channel_state.record_unsubscribe(identity.openid)
    if attempt is _try_template and exc.errcode == REFUSED:
        ChannelState.update(template_refused_at=utcnow()).where(ChannelState.identity == identity).execute()


def stale_claims(now=None):
    """Notices claimed long ago and never completed (a worker died mid-send): mark them failed.

    They are not resent: the send may have reached the user, and a notice goes out at most once.
    """
    cutoff = (now or utcnow()) - STALE_CLAIM
    return (Notice.update(status=NoticeStatus.FAILED, detail="发送中断（进程退出），未确认是否送达")
            .where(Notice.status == NoticeStatus.SENDING, Notice.updated_at < cutoff).execute())


# Notices an admin may send again: they did not arrive (an interrupted or unanswered send may
# have: the admin sees that reason before asking) — unless the person blocked them.
RESENDABLE = (NoticeStatus.FAILED, NoticeStatus.SKIPPED, NoticeStatus.UNKNOWN)
NO_RESEND_TO_BLOCKER = "用户已拒收本公众号的模板消息，重发也收不到，且微信规则不允许向拒收的用户重复推送，因此不能重新发送；请电话等其他方式告知。"


def resend_barred(notice):
    """Why an admin may not send `notice` again although it did not arrive; "" when nothing bars it."""
    return NO_RESEND_TO_BLOCKER if notice.detail == template_reports.BLOCKED_BY_USER else ""


def requeue(notice_id):
    """Put a notice that did not arrive back in line (an admin asks: Tencent was busy, or the
    person has since followed or written to the account); False when it arrived, is on its way
    or the person blocked it. The sweep sends it, outside quiet hours for scheduled kinds."""
    return bool(Notice.update(status=NoticeStatus.PENDING, channel="", errcode=None, detail="", msgid=None,
                              updated_at=utcnow())
                .where(Notice.id == notice_id, Notice.status.in_(list(RESENDABLE)),
                       Notice.detail != template_reports.BLOCKED_BY_USER).execute())


def pending_ids(limit=500, held_kinds=()):
    """Notices written but not yet taken by a worker (for the sweep job), except `held_kinds`."""
    query = Notice.select(Notice.id).where(Notice.status == NoticeStatus.PENDING)
    if held_kinds:
        query = query.where(Notice.kind.not_in(list(held_kinds)))
    return [n.id for n in query.order_by(Notice.id).limit(limit)]
