"""The /wechat callback: verify → decrypt → dedupe → parse → dispatch → render → encrypt.

A thin adapter that knows nothing of the web framework (bots/route.py serves it): nothing here
waits on Tencent (slow work goes to rq), every answer is given within WeChat's 5 seconds, and
no message ends in a 500.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass

from wechatpy.replies import TransferCustomerServiceReply

from bots import activity, admission, dedupe, handover, security
from bots.conversation import replies
from bots.conversation.context import Inbound
from bots.conversation.session import UserTurn
from bots.admission import Admission
from bots.dispatch import dispatch, user_acted
from bots.messages import message_from, text_reply
from bots.security import Rejected
from miniapp_backend.clock import local_today
from miniapp_backend.models import Channel
from miniapp_backend.services import people

log = logging.getLogger(__name__)

SUCCESS = "success"  # WeChat's "received, nothing to say"
SAFE_MODE = "aes"
XML_TYPE = "application/xml; charset=utf-8"
TEXT_TYPE = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Callback:
    """One request to /wechat as the route read it: query arguments (the first of each name),
    the declared body length (None: not declared) and a reader of at most n body bytes."""

    args: dict
    content_length: int | None
    read: Callable[[int], bytes]


@dataclass(frozen=True)
class Answer:
    """What /wechat answers: an HTTP status and a text body."""

    status: int
    body: str = ""
    mimetype: str = TEXT_TYPE


@dataclass(frozen=True)
class Envelope:
    """A checked request: the message as read, and how to answer (encrypted or not)."""

    document: tuple  # (root tag, data): bots/xml_reader
    encrypted: bool
    nonce: str
    timestamp: str
    body: bytes


def verify(config, callback):
    """The server-URL check WeChat makes when the URL is saved: echo `echostr` if signed by us."""
    args = callback.args
    try:
        security.check_signature((config.wechat_token, args.get("timestamp", ""), args.get("nonce", "")),
                                 args.get("signature"))
        security.check_timestamp(args.get("timestamp"))
    except Rejected as exc:
        log.warning("wechat verify refused: %s", exc.reason)
        return Answer(exc.status)
    return Answer(200, args.get("echostr", ""))


def _body(callback):
    """The request body, refused above MAX_BODY_BYTES."""
    if (callback.content_length or 0) > security.MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    data = callback.read(security.MAX_BODY_BYTES + 1)
    if len(data) > security.MAX_BODY_BYTES:
        raise Rejected(413, "body too large")
    return data


def _text_field(document, name):
    """A top-level text field of a read document, "" when absent."""
    _tag, fields = document
    value = fields.get(name) if isinstance(fields, dict) else None
    return value if isinstance(value, str) else ""


def _open(config, callback):
    """Check size, signature and freshness; decrypt in safe mode; return the Envelope."""
    args, body = callback.args, _body(callback)
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    security.check_signature((config.wechat_token, timestamp, nonce), args.get("signature"))
    security.check_timestamp(timestamp)
    if not nonce:
        raise Rejected(400, "missing nonce")
    document = security.read_xml(body)
    if args.get("encrypt_type") != SAFE_MODE:
        return Envelope(document, False, nonce, timestamp, body)
    if not config.wechat_aes_key:
        raise Rejected(400, "encrypted request but no EncodingAESKey configured")
    encrypt = _text_field(document, "Encrypt")
    security.check_signature((config.wechat_token, timestamp, nonce, encrypt), args.get("msg_signature"))
    xml = security.decrypt(config.wechat_aes_key, config.wechat_appid, encrypt)
    return Envelope(security.read_xml(xml), True, nonce, timestamp, body)


def _parse(document):
    """The wechatpy message, or a 400 for XML that is not a WeChat message."""
    try:
        message = message_from(*document)
    except ValueError as exc:
        raise Rejected(400, str(exc)) from None
    if not isinstance(message.source, str) or not message.source:
        raise Rejected(400, "not a WeChat message: no sender")
    return message


def _render(message, reply):
    """The passive reply XML (or "success")."""
    if reply.hand_over:
        return TransferCustomerServiceReply(message=message).render()
    if reply.text:
        return text_reply(message, reply.text)
    return SUCCESS


def _answer(config, redis, now, message, key, turn, note_activity):
    """Record the user's activity, dispatch, and render (a hand-over also queues its
    acknowledgement, keyed by the message); failures become an apology, not a 500."""
    inbound = Inbound(message.source, redis, config, now, local_today(now), turn)
    try:
        if user_acted(message):
            inbound.person = people.person_for(Channel.OFFICIAL, message.source)
        if note_activity:
            activity.note_user_acted(message.source)
        reply = dispatch(inbound, message)
        if reply.hand_over:
            handover.acknowledge(redis, inbound.person, key)
        return _render(message, reply)
    except Exception:  # the edge of the system: log it, apologise, never 500 to WeChat
        log.exception("wechat message from %s failed", message.source)
        return text_reply(message, replies.BUSY)


def _respond(config, envelope, xml):
    """Send the answer, encrypted when the request was."""
    if envelope.encrypted and xml != SUCCESS:
        xml = security.encrypt(config.wechat_token, config.wechat_aes_key, config.wechat_appid, xml,
                               envelope.nonce, envelope.timestamp)
    return Answer(200, xml, TEXT_TYPE if xml == SUCCESS else XML_TYPE)


def receive(config, redis, now, callback):
    """One message or event from WeChat at `now`; a retry of it gets the first answer again."""
    try:
        envelope = _open(config, callback)
        message = _parse(envelope.document)
    except Rejected as exc:
        log.warning("wechat callback refused (%s): %s", exc.status, exc.reason)
        return Answer(exc.status)
    key, turn = dedupe.message_key(message), UserTurn(redis, message.source)
    verdict = admission.admit(redis, envelope.nonce, envelope.body, key, turn, user_acted(message))
    if verdict == Admission.REPLAYED:
        log.warning("wechat callback refused (403): nonce replayed with another body")
        return Answer(403)
    if verdict == Admission.RETRY:
        xml = dedupe.answer_of(redis, key) or SUCCESS
    else:
        xml = _answer(config, redis, now, message, key, turn, verdict == Admission.FIRST_ACTIVE)
        admission.finish(redis, key, xml, turn)
    return _respond(config, envelope, xml)
