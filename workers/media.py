"""Photos sent in chat: recorded at once, downloaded by a job (a MediaId lives only 3 days),
stored once by hash and attached to every slot they were meant for."""
import datetime as dt
import logging

from rq import Retry
from wechatpy.exceptions import WeChatClientException

from bots.conversation import qualified_texts, replies
from miniapp_backend import wechat
from miniapp_backend.clock import local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import Application, EvidenceLink, FileKind, Honour
from miniapp_backend.models.chat_media import ChatMedia, MediaStatus
from miniapp_backend.packets.print_copies import UNDECODABLE, PrintCache, keep_print_copy, print_image
from miniapp_backend.services import drafts, evidence, notifications, qualified_minutes
from miniapp_backend.services.errors import DomainError
from miniapp_backend.storage import FileStore
from workers.context import job_context
from workers.queues import deliver_notices, enqueue_once, job_is_live

log = logging.getLogger(__name__)

FETCH_RETRY = Retry(max=3, interval=[5, 30, 120])
# Tencent keeps a MediaId for 3 days; within that, a download whose job was lost or gave up
# (Tencent busy for minutes, a worker killed, Redis wiped) is tried again by the sweep.
MEDIA_LIFETIME = dt.timedelta(days=3)
SWEEP_GRACE = dt.timedelta(minutes=5)  # a fresh image's job is given this long to run first
EXPIRED_REASON = "照片超过3天未能取回，已过期"
REMOVED_REASON = "发送者已删除"
UNREADABLE_REASON = "图片无法识别"


def receive(application, person, media_id, slot, today):
    """Record an image for `slot` (idempotent per MediaId); return its ChatMedia."""
    media, created = ChatMedia.get_or_create(
        media_id=media_id, defaults={"application": application, "person": person, "slots": [slot]})
    if not created and slot not in media.slots:
        add_slots(media, [slot], today)
    return ChatMedia.get_by_id(media.id)


def receive_minutes(person, media_id, honour=None):
    """Record an image of a 会员代表大会's minutes (idempotent per MediaId): for `honour`, or, while
    the declaration is not yet confirmed in chat, for none until qualified_minutes.claim_chat_photos."""
    media, _ = ChatMedia.get_or_create(media_id=media_id, defaults={
        "person": person, "honour": honour, "slots": [qualified_minutes.CHAT_SLOT]})
    return media


def add_slots(media, slots, today):
    """Use one image for more slots; attach now if it is stored already (to all or, where one
    refuses, to none: the slots are not noted either)."""
    wanted = list(dict.fromkeys(media.slots + slots))
    with database.atomic():
        ChatMedia.update(slots=wanted, updated_at=utcnow()).where(ChatMedia.id == media.id).execute()
        media = ChatMedia.get_by_id(media.id)
        # The job may have stored the file between our read and our write: then attach here. Only
        # the new slots: one the photo was taken off meanwhile (in the mini-program) stays off.
        if media.status == MediaStatus.STORED:
            _attach(media, slots, today)
    return media


def remove_last(application, person, slot, today):
    """删除照片: take the slot's newest photo off it (one still downloading first); return
    whether there was one. The file stays for other slots it backs."""
    drafts.require_editable(application, person, today)
    downloading = (ChatMedia.select().where(ChatMedia.application == application,
                                           ChatMedia.status == MediaStatus.PENDING)
                   .order_by(ChatMedia.id.desc()))
    media = next((m for m in downloading if slot in m.slots), None)
    if media is not None:
        left = [s for s in media.slots if s != slot]
        # With no slot left there is nothing to download it for.
        status = MediaStatus.PENDING if left else MediaStatus.FAILED
        ChatMedia.update(slots=left, status=status, detail="" if left else REMOVED_REASON,
                         updated_at=utcnow()).where(ChatMedia.id == media.id).execute()
        return True
    link = (EvidenceLink.select().where(EvidenceLink.application == application, EvidenceLink.slot == slot)
            .order_by(EvidenceLink.id.desc()).first())
    if link is None:
        return False
    evidence.detach(application, person, slot, link.file_id, today)
    return True


def _attach(media, slots, today):
    """Attach the stored file to `slots` (idempotent; all or none), or a photo of the minutes to
    its declaration."""
    if media.application_id is None:
        qualified_minutes.attach_chat_photo(media)
        return
    evidence.share(Application.get_by_id(media.application_id), media.person, media.file, slots, today)


def remove_minutes_photo(media_pk, person):
    """删除照片 while sending the minutes: the photo is not fetched if still downloading, and comes
    off the declaration it was added to if stored. (Sent before 确认 it was no one's yet: the
    caller drops it from what the declaration will claim.)"""
    if ChatMedia.update(status=MediaStatus.FAILED, detail=REMOVED_REASON, updated_at=utcnow()).where(
            ChatMedia.id == media_pk, ChatMedia.status == MediaStatus.PENDING).execute():
        return
    media = ChatMedia.get_by_id(media_pk)  # stored meanwhile, perhaps
    if media.honour_id is not None and media.file_id is not None:
        qualified_minutes.detach_minutes(Honour.get_by_id(media.honour_id), person, media.file)


def _job_id(media):
    """One download job id per image."""
    return f"media-{media.id}"


def fetch_later(redis, media, today, replace_idle=False):
    """Enqueue the download of one image (once per image; again, if its job ended, with
    `replace_idle`)."""
    enqueue_once(redis, "workers.media.fetch_media", _job_id(media), media.id, today.isoformat(),
                 retry=FETCH_RETRY, replace_idle=replace_idle)


def sweep_media(now=None):
    """Periodic: retry images still pending whose job is gone; give up on those past 3 days."""
    now = now or utcnow()
    retried, expired = [], []
    with job_context() as ctx:
        for media in ChatMedia.select().where(ChatMedia.status == MediaStatus.PENDING,
                                              ChatMedia.updated_at < now - SWEEP_GRACE):
            if media.created_at < now - MEDIA_LIFETIME:
                _give_up(ctx, media, EXPIRED_REASON)
                expired.append(media.id)
            elif not job_is_live(ctx.redis, _job_id(media)):
                fetch_later(ctx.redis, media, local_today(media.created_at), replace_idle=True)
                retried.append(media.id)
    if retried or expired:
        log.info("chat media sweep: retried %s, expired %s", retried, expired)
    return {"retried": len(retried), "expired": len(expired)}


def _download(ctx, media_id):
    """The image's bytes and content type, through the shared-token client."""
    response = wechat.official_client(ctx.config, ctx.redis).media.download(media_id)
    return response.content, response.headers.get("Content-Type", "image/jpeg").split(";")[0]


def fetch_media(media_pk, today_iso):
    """Job: download, store by hash and attach one chat image; tell the user if it is lost."""
    today = dt.date.fromisoformat(today_iso)
    with job_context() as ctx:
        media = ChatMedia.get_or_none(ChatMedia.id == media_pk)
        if media is None or media.status != MediaStatus.PENDING:
            return media.status if media else None
        try:
            data, mime = _download(ctx, media.media_id)
        except WeChatClientException as exc:
            if exc.errcode not in replies.MEDIA_LOST:
                raise  # transient (busy, network): rq retries
            return _give_up(ctx, media, replies.MEDIA_LOST[exc.errcode])
        try:
            # Decoded now, while the chair can still send another: a packet cannot print it later.
            printable = print_image(data)
        except UNDECODABLE as exc:
            log.warning("chat media %s cannot be decoded: %s", media.id, exc)
            return _give_up(ctx, media, UNREADABLE_REASON)
        filestore = FileStore(ctx.config.storage_dir)
        stored = evidence.store(filestore, data, FileKind.PHOTO, mime, uploaded_by=media.person)
        keep_print_copy(PrintCache(filestore), stored.sha256, printable)
        # One transaction: a reader sees the photo pending or attached, never neither (the chat
        # would count 0 photos for a moment and ask for one again).
        with database.atomic():
            ChatMedia.update(status=MediaStatus.STORED, file=stored, updated_at=utcnow()).where(
                ChatMedia.id == media.id).execute()
            try:
                with database.atomic():
                    latest = ChatMedia.get_by_id(media.id)  # with slots shared meanwhile
                    _attach(latest, latest.slots, today)
                return MediaStatus.STORED
            except DomainError as exc:
                refusal = exc.message
        # No slot took it (all or none: the application was submitted meanwhile, say, or the
        # declaration decided): the sender, who was told it was received, learns it is not in it.
        log.warning("chat media %s stored but not attached: %s", media.id, refusal)
        return _give_up(ctx, media, refusal, refused=True)


def _give_up(ctx, media, reason, refused=False):
    """Mark the image failed (or `refused` by what it was for) and queue a message telling its sender."""
    ChatMedia.update(status=MediaStatus.FAILED, detail=reason, updated_at=utcnow()).where(
        ChatMedia.id == media.id).execute()
    notice = notifications.queue(media.person, f"chat-media-failed:{media.id}", "chat_media_failed",
                                 {"text": _lost_text(media, reason, refused)})
    deliver_notices(ctx.redis, [notice] if notice else [])
    return MediaStatus.FAILED


def _lost_text(media, reason, refused):
    """What the sender is told of a photo not kept: by the items it was for, or as the minutes."""
    if media.application_id is None:
        return (qualified_texts.minutes_refused if refused else qualified_texts.minutes_failed)(reason)
    # Read again: the chair may have shared it with more items while it downloaded.
    numbers = [int(slot.rsplit(".", 1)[-1]) for slot in ChatMedia.get_by_id(media.id).slots]
    return (replies.media_refused if refused else replies.media_failed)(reason, numbers)
