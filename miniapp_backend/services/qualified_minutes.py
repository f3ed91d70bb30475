"""The minutes (会议记录/决议) of the 会员代表大会 behind a 合格 declaration: photos or scans the chair
attaches (in chat while declaring, in the mini-program), which the confirming union reads before
it confirms. A declaration without them is kept (those made before minutes were asked for) but
not confirmed until the chair adds some."""
from peewee import fn

from miniapp_backend.db import database
from miniapp_backend.models import Honour, HonourMinutes, HonourStatus, StoredFile
from miniapp_backend.models.chat_media import ChatMedia, MediaStatus
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.permissions import can_submit, require

# As many as an item's photos (evidence.PHOTOS_PER_SLOT, which imports drafts and so this module):
# one wx.chooseImage pick, a few pages of minutes and the 决议.
MINUTES_LIMIT = 9
CHAT_SLOT = "minutes"  # ChatMedia.slots of a photo of the minutes (it has no application slot)
ADD_ELSEWHERE = "请申报单位的工会主席在小程序中上传，或在公众号回复“合格申报”发送照片"


def minutes_of(honour):
    """The files of the declaration's minutes, in the order they were attached."""
    return list(StoredFile.select().join(HonourMinutes, on=HonourMinutes.file == StoredFile.id)
                .where(HonourMinutes.honour == honour).order_by(HonourMinutes.id))


def counts_of(honours):
    """How many files of the minutes each of `honours` has (those with none are absent)."""
    ids = [honour.id for honour in honours]
    if not ids:
        return {}
    return dict(HonourMinutes.select(HonourMinutes.honour, fn.COUNT(HonourMinutes.id))
                .where(HonourMinutes.honour.in_(ids)).group_by(HonourMinutes.honour).tuples())


def downloading(honour):
    """Photos of the minutes sent in chat whose download has not finished yet."""
    return ChatMedia.select().where(ChatMedia.honour == honour, ChatMedia.status == MediaStatus.PENDING).count()


def count_held(honour):
    """Files of the minutes `honour` holds: attached, and chat photos still downloading for it."""
    return HonourMinutes.select().where(HonourMinutes.honour == honour).count() + downloading(honour)


def require_room(held):
    """Refuse one more file of the minutes when `held` (attached and downloading) are the most."""
    if held >= MINUTES_LIMIT:
        raise ValidationFailed(f"会议记录已有{held}张，最多{MINUTES_LIMIT}张，请只上传会议记录和决议的页面",
                               key="minutes", held=held, limit=MINUTES_LIMIT)


def attach_minutes(honour, person, stored):
    """The chair adds one file (photo or scan) of the minutes to the unit's declaration, while it
    waits for confirmation; the same file again changes nothing. Returns the files attached."""
    with database.atomic():
        honour = Honour.locked(honour)  # a confirmation waits for this file, or this for it
        require_open(honour, person)
        _link(honour, stored, person)
    return minutes_of(honour)


def detach_minutes(honour, person, stored):
    """The chair takes one file off the minutes of the unit's declaration while it waits."""
    with database.atomic():
        honour = Honour.locked(honour)
        require_open(honour, person)
        HonourMinutes.delete().where(HonourMinutes.honour == honour, HonourMinutes.file == stored).execute()


def require_open(honour, person):
    """Refuse `person` adding minutes to `honour`: not its org's chair, or no longer declared."""
    require(can_submit(person, honour.org), "会议记录由本单位工会主席上传")
    if honour.status != HonourStatus.DECLARED:
        raise InvalidState(closed_text(honour))


def _link(honour, stored, person):
    """Attach `stored` unless it is there already (then it takes no room)."""
    if HonourMinutes.select().where(HonourMinutes.honour == honour, HonourMinutes.file == stored).exists():
        return
    require_room(count_held(honour))
    HonourMinutes.create(honour=honour, file=stored, added_by=person)


def closed_text(honour):
    """Why no more minutes are taken for `honour`, in Chinese."""
    if honour.status == HonourStatus.ACTIVE:
        return "这项合格称号已经确认，无需再上传会议记录"
    if honour.status == HonourStatus.REFUSED:
        return f"这项合格称号申报已被退回（{honour.revoked_reason}），请重新申报并附上会议记录"
    if honour.status == HonourStatus.REVOKED:
        return f"这个称号已被撤销（{honour.revoked_reason}），不能再上传会议记录"
    return "只有待确认的合格称号申报可以上传会议记录"


def require_minutes(honour):
    """Refuse to confirm a declaration that has no minutes attached yet, saying what to do."""
    if HonourMinutes.select().where(HonourMinutes.honour == honour).exists():
        return
    if downloading(honour):
        raise InvalidState("申报单位在公众号发送的会议记录照片正在保存，请稍后刷新页面，核对后再确认")
    raise InvalidState("这项申报还没有附会员代表大会的会议记录或决议，不能确认。"
                       f"{ADD_ELSEWHERE}；或者不予确认并写明理由")


def claim_chat_photos(honour, person, media_ids):
    """The photos of the minutes the chair sent in chat before 确认 become the declaration's: those
    stored already are attached now, the rest by their download job when it stores them (both
    sides first write the photo's row, so whichever comes second sees the other's outcome)."""
    with database.atomic():
        (ChatMedia.update(honour=honour)
         .where(ChatMedia.id.in_(media_ids), ChatMedia.person == person, ChatMedia.application.is_null(),
                ChatMedia.honour.is_null()).execute())
        for media in ChatMedia.select().where(ChatMedia.id.in_(media_ids), ChatMedia.honour == honour,
                                              ChatMedia.status == MediaStatus.STORED):
            attach_chat_photo(media)


def attach_chat_photo(media):
    """A stored chat photo of the minutes onto its declaration, if it has one yet (else it waits
    for 确认); refused like any file once the declaration was decided."""
    if media.honour_id is None:
        return
    attach_minutes(Honour.get_by_id(media.honour_id), media.person, media.file)
