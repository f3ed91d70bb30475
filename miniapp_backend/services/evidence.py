"""Evidence: files stored once by hash, attached to item slots, shared, removed."""
import hashlib

from peewee import IntegrityError, fn

from miniapp_backend.db import database
from miniapp_backend.models import EvidenceLink, FileKind, Person, StoredFile
from miniapp_backend.models.chat_media import ChatMedia
from miniapp_backend.services import campaigns
from miniapp_backend.services.drafts import AnswerKey, require_editable, template_for
from miniapp_backend.services.errors import DomainError, NotFound, ValidationFailed
from miniapp_backend.services.evaluation_targets import takes_report

REPORT = "report"  # the 会员评家报告, for the kinds whose materials list it
SPECIAL_SLOTS = (REPORT, "media")
STAMPED = "stamped:"
SLOT_NAMES = {REPORT: "会员评家报告", "media": "其他影像资料"}
# Photos backing one item (or the general media slot): one wx.chooseImage pick (9 at most), about
# two printed pages of the packet (2 photos a row, 3 rows an A4 page), as many as a reviewer can
# weigh for one yes/no. Stamped pages and the report are scans of paper, bounded by their pages.
PHOTOS_PER_SLOT = 9


def slot_name(slot):
    """A slot as people call it: 第6项, 本单位盖章页, 会员评家报告, 其他影像资料."""
    if slot.startswith(STAMPED):
        return "本单位盖章页"
    if ":item." in slot:
        return f"第{AnswerKey.parse(slot).item_no}项"
    return SLOT_NAMES[slot]


def is_photo_slot(slot):
    """Whether `slot` holds photo evidence (an item, the general media), which PHOTOS_PER_SLOT bounds."""
    return ":item." in slot or slot == "media"


def files_held(application, slot):
    """Files `slot` holds, with chat images still downloading for it (chat counts them as sent;
    a chat turn makes the same count from its own reads, DraftReads.photos)."""
    return ChatMedia.photo_counts(application).held(slot)


def require_room(slot, held):
    """Refuse one more photo for a photo slot that holds `held` (counted by the caller) at the limit."""
    if is_photo_slot(slot) and held >= PHOTOS_PER_SLOT:
        name = slot_name(slot)
        raise ValidationFailed(
            f"{name}已有{held}张照片，每项最多{PHOTOS_PER_SLOT}张。要换一张，请先删掉一张："
            f"在公众号聊天中打开{name}后回复“删除照片”，或在小程序里删除", key=slot, held=held,
            limit=PHOTOS_PER_SLOT)


class QuotaExceeded(ValidationFailed):
    """New bytes that would take their uploader past the storage quota."""


def store(filestore, data, kind, mime, uploaded_by=None, width=None, height=None, quota=None, **private):
    """Keep `data` once by content hash; return its StoredFile (existing or new). With `quota`
    (bytes), new bytes that would take `uploaded_by` past it are refused (QuotaExceeded; bytes
    stored already take no more room). The uploader's row is held from the count to the new row,
    so uploads sent at once are counted one after the other."""
    if not data:
        raise ValidationFailed("文件是空的，请重新上传", key="file")
    if quota is None:
        return _keep(filestore, data, kind, mime, uploaded_by, width, height, private)
    with database.atomic():
        # A no-op UPDATE holds the row (PostgreSQL) or takes SQLite's write lock before reading.
        Person.update(id=Person.id).where(Person.id == uploaded_by).execute()
        if not StoredFile.select().where(StoredFile.sha256 == hashlib.sha256(data).hexdigest()).exists():
            _require_quota(uploaded_by, len(data), quota)
        return _keep(filestore, data, kind, mime, uploaded_by, width, height, private)


def _require_quota(person, size, quota):
    """Refuse `size` more bytes that would take a person past `quota` (counted over the files
    they uploaded first)."""
    used = (StoredFile.select(fn.COALESCE(fn.SUM(StoredFile.size), 0))
            .where(StoredFile.uploaded_by == person).scalar())
    if used + size > quota:
        raise QuotaExceeded(f"您上传的文件已达{quota // (1024 * 1024)}MB上限，请删除不用的文件或联系区总工会",
                            key="file")


def _keep(filestore, data, kind, mime, uploaded_by, width, height, private):
    """Put the bytes in the file store and give them their row, unless they have one already."""
    sha256 = filestore.put(data)
    existing = StoredFile.get_or_none(StoredFile.sha256 == sha256)
    if existing:
        return existing
    try:
        with database.atomic():
            return StoredFile.create(sha256=sha256, kind=FileKind(kind), mime=mime, size=len(data),
                                     width=width, height=height, uploaded_by=uploaded_by, **private)
    except IntegrityError:
        return StoredFile.get(StoredFile.sha256 == sha256)


def check_slot(application, slot):
    """Refuse a slot that is neither an item of this bundle, a stamp block, nor a material it has."""
    if slot == REPORT and not takes_report(application):
        label = campaigns.kind_spec(application.campaign, application.kind).label
        raise ValidationFailed(f"report 是{SLOT_NAMES[REPORT]}的位置，这份{label}申报没有{SLOT_NAMES[REPORT]}", key=slot)
    if slot in SPECIAL_SLOTS:
        return slot
    if slot.startswith(STAMPED):
        from miniapp_backend.services.review import stamped_slots  # review imports this module
        if slot not in stamped_slots(application):
            raise ValidationFailed("这份申报没有这个盖章页位置", key=slot)
        return slot
    key = AnswerKey.parse(slot)
    template = template_for(application, key.form)
    if key.item_no is None:
        raise ValidationFailed("照片只能用于验收单的条目", key=slot)
    try:
        template.item(key.item_no)
    except KeyError:
        # The numbered row after the items (其他配套设施设备或服务) is printed, but is text only.
        row = next((f for f in template.extra if f.no == key.item_no), None)
        if row is not None:
            raise ValidationFailed(f"第{row.no}项“{row.label}”只需填写文字，不用照片", key=slot) from None
        raise ValidationFailed(f"{template.title}没有第{key.item_no}项", key=slot) from None
    return slot


def _require_changeable(application, person, slot, today):
    """Stamped pages change while the unit's paper step waits for them; the rest while editable."""
    if slot.startswith(STAMPED):
        from miniapp_backend.services.review import require_paper_step_open
        require_paper_step_open(application, person)
    else:
        require_editable(application, person, today)


def _linked(application, slot, stored_file):
    """Whether the file is attached to the slot already."""
    return EvidenceLink.select().where(EvidenceLink.application == application, EvidenceLink.slot == slot,
                                       EvidenceLink.file == stored_file).exists()


def attach(application, person, slot, stored_file, today=None):
    """Attach a stored file to one slot (idempotent); return how many files the slot now has."""
    from miniapp_backend.services.review import hold  # review imports this module
    with database.atomic():
        # Held: the mini-program uploads a pick of photos in parallel, and each must see the others
        # when it counts against the limit.
        application = hold(application)
        _require_changeable(application, person, slot, today)
        check_slot(application, slot)
        if not _linked(application, slot, stored_file):
            require_room(slot, files_held(application, slot))
        EvidenceLink.insert(application=application, slot=slot, file=stored_file,
                            added_by=person).on_conflict_ignore().execute()
    return EvidenceLink.select().where(EvidenceLink.application == application,
                                       EvidenceLink.slot == slot).count()


def share(application, person, stored_file, slots, today=None):
    """Use one file for several slots (这张也用于第6、7项): all of them, or none if one refuses."""
    with database.atomic():
        return {slot: attach(application, person, slot, stored_file, today) for slot in slots}


def detach(application, person, slot, stored_file, today=None):
    """Remove one file from one slot; the blob stays for other links (a wrong stamped scan can
    be taken back until the paper step is confirmed)."""
    _require_changeable(application, person, slot, today)
    removed = (EvidenceLink.delete().where(EvidenceLink.application == application,
                                           EvidenceLink.slot == slot,
                                           EvidenceLink.file == stored_file).execute())
    if not removed:
        raise NotFound("这张照片不在这一项下")


def slots_of(application, stored_file):
    """The slots of `application` the file is attached to, in the order it was attached."""
    return [link.slot for link in EvidenceLink.select(EvidenceLink.slot)
            .where(EvidenceLink.application == application, EvidenceLink.file == stored_file)
            .order_by(EvidenceLink.id)]


def detach_everywhere(application, person, stored_file, today=None):
    """Remove a file from every slot of `application` it backs, or from none: each slot is asked
    first, and one that refuses (a stamped page once its paper step is past) is named. Return the
    slots it came off."""
    with database.atomic():
        slots = slots_of(application, stored_file)
        if not slots:
            raise NotFound("这份申报没有这个文件")
        refusals = {}
        for slot in slots:
            try:
                _require_changeable(application, person, slot, today)
            except DomainError as exc:
                refusals[slot] = exc
        if len(refusals) == len(slots):
            raise next(iter(refusals.values()))  # nowhere to remove it from: the reason alone
        if refusals:
            slot, exc = next(iter(refusals.items()))
            raise type(exc)(f"这个文件也用于{slot_name(slot)}，那里现在不能移除（{exc.message.rstrip('。')}），"
                            f"所以哪里都没有移除。要只从某一项去掉，请在那一项下删除",
                            **{**exc.details, "key": slot})
        EvidenceLink.delete().where(EvidenceLink.application == application,
                                    EvidenceLink.file == stored_file).execute()
    return slots


def evidence_by_slot(application):
    """{slot: [StoredFile, …]} in upload order."""
    result = {}
    query = (EvidenceLink.select(EvidenceLink, StoredFile).join(StoredFile)
             .where(EvidenceLink.application == application).order_by(EvidenceLink.id))
    for link in query:
        result.setdefault(link.slot, []).append(link.file)
    return result


def reused_elsewhere(stored_file, application):
    """Other orgs' applications that carry the same file (a flag for reviewers)."""
    from miniapp_backend.models import Application
    return list(Application.select().join(EvidenceLink)
                .where(EvidenceLink.file == stored_file, Application.org != application.org)
                .distinct())
