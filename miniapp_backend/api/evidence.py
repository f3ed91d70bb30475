"""Evidence: photo and PDF uploads as wx.uploadFile sends them, attached to one or more slots."""
import hashlib

from flask import send_file

from miniapp_backend.api import access, bp, context, uploads
from miniapp_backend.api.errors import ApiError
from miniapp_backend.api.operations import FileResponse, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import InvalidRequest, Schema, binary, boolean, integer, mapping, nullable, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.downloads import named, stored_file_name
from miniapp_backend.models import FileKind, StoredFile
from miniapp_backend.packets.print_copies import PrintCache, keep_print_copy
from miniapp_backend.services import drafts, evidence, permissions, review
from miniapp_backend.services.errors import NotFound
from miniapp_backend.storage import write_atomically

TAG = "佐证材料"
QUOTA_BYTES = 500 * 1024 * 1024  # per person, counted over the files they uploaded first
MAX_SLOTS = 10
SLOT = r"(?:[a-z][a-z0-9_]*:item\.[1-9][0-9]{0,2}|stamped:[a-z_]{1,30}|report)"
SLOTS_PATTERN = rf"^{SLOT}(?:,{SLOT})*$"  # at most MAX_SLOTS of them, said in words by upload
SCAN_SLOTS = ("stamped:", "report")  # where a PDF scan is accepted besides photos
CACHE_FOREVER = 365 * 24 * 3600  # files are addressed by content and never change

UploadForm = Schema("EvidenceUpload", {
    "file": binary("文件", description="wx.uploadFile 的 name 为 file：JPEG/PNG/WebP 照片，或 PDF 扫描件"),
    "slot": string("用于哪些位置", max_length=1000, pattern=SLOTS_PATTERN,
                   description=f"一个或多个位置（最多{MAX_SLOTS}个），用英文逗号分隔："
                               "<表单>:item.<序号>、stamped:<层级>、report"),
}, required=["file", "slot"])
EvidenceFile = Schema("EvidenceFile", {
    "id": integer("文件编号"), "kind": string("类别", enum=[k.value for k in FileKind]),
    "mime": string("类型"), "size": integer("字节数"), "width": nullable(integer("宽")),
    "height": nullable(integer("高")), "has_location": boolean("照片带拍摄位置"),
    "has_capture_time": boolean("照片带拍摄时间"), "url": string("原文件地址"),
    "thumbnail_url": nullable(string("缩略图地址")),
    "reused_by_other_orgs": nullable(integer("其他单位也用了这张照片（仅审核人可见）")),
}, required=["id", "kind", "mime", "size", "has_location", "url"], closed=False)
SLOT_COUNTS = mapping("各位置现有文件数", integer("文件数"))
Uploaded = Schema("Uploaded", {"file": EvidenceFile.ref, "slots": SLOT_COUNTS},
                  required=["file", "slots"], closed=False)
EvidenceList = Schema("EvidenceList", {
    "slots": mapping("各位置的文件", {"type": "array", "items": EvidenceFile.ref}),
}, required=["slots"], closed=False)
DetachQuery = Schema("DetachQuery", {
    "slot": string("位置", max_length=130, pattern=f"^{SLOT}$", description="不填则从这份申报的所有位置移除；有一处不能移除时，哪里都不移除"),
})
Detached = Schema("Detached", {"slots": SLOT_COUNTS}, required=["slots"], closed=False)


def thumbnail_path(sha256):
    """Where the thumbnail of a stored photo lies (beside the store's blobs)."""
    return context.filestore().root / "thumbs" / sha256[:2] / f"{sha256}.jpg"


def file_view(application, stored, reviewer=False):
    """A stored file as its uploader's org sees it: "has location", never the location."""
    base = f"{bp.url_prefix}/applications/{application.id}/files/{stored.id}"
    photo = stored.kind == FileKind.PHOTO
    return {
        "id": stored.id, "kind": stored.kind, "mime": stored.mime, "size": stored.size,
        "width": stored.width, "height": stored.height,
        "has_location": stored.gps_lat is not None, "has_capture_time": stored.taken_at is not None,
        "url": base, "thumbnail_url": f"{base}/thumbnail" if photo else None,
        "reused_by_other_orgs": len(evidence.reused_elsewhere(stored, application)) if reviewer else None,
    }


def evidence_view(application, person):
    """{slot: [file, …]} of an application; reviewers also see reuse by other orgs."""
    reviewer = not permissions.can_fill(person, application.org)
    return {slot: [file_view(application, f, reviewer) for f in files]
            for slot, files in evidence.evidence_by_slot(application).items()}


def _require_attachable(application, person, slots):
    """Refuse before reading the file: stamped pages need the paper step, the rest an editable draft."""
    if len(slots) > MAX_SLOTS:
        raise InvalidRequest("上传的位置太多", {"slot": f"一个文件一次最多用于{MAX_SLOTS}个位置（收到{len(slots)}个），"
                                                       f"其余的位置请再上传一次同一张照片"})
    for slot in slots:
        evidence.check_slot(application, slot)
        if slot.startswith(evidence.STAMPED):
            review.require_paper_step_open(application, person)
        else:
            drafts.require_editable(application, person, today=context.today())


def _already_stored(data):
    """The StoredFile of these very bytes (a retried upload, a photo used again), or None."""
    return StoredFile.get_or_none(StoredFile.sha256 == hashlib.sha256(data).hexdigest())


def _require_room(application, slots, known):
    """Refuse before storing: an item with no room for one more photo, unless it holds these very
    bytes (`known`) already (a retried upload whose answer was lost), which attaching again leaves as is."""
    holding = evidence.slots_of(application, known) if known else []
    for slot in slots:
        if slot not in holding:
            evidence.require_room(slot, evidence.files_held(application, slot))


def _checked(data, slots):
    """The bytes checked as a photo (re-encoded) or, where allowed, a PDF scan: a Photo or a Scan."""
    scan_allowed = all(slot.startswith(SCAN_SLOTS) for slot in slots)
    if not data and scan_allowed:
        raise uploads.refuse("文件是空的，请重新选择PDF扫描件或照片")
    if uploads.is_pdf(data) and not scan_allowed:
        raise uploads.refuse("验收条目只能上传照片；PDF扫描件只用于盖章页和会员评家报告")
    if scan_allowed and not (uploads.is_pdf(data) or uploads.looks_like_photo(data)):
        raise uploads.refuse("这不是照片（JPEG、PNG、WebP）或PDF文件，请重新选择")
    return uploads.check_pdf(data) if uploads.is_pdf(data) else uploads.check_photo(data)


def store_checked(person, checked):
    """Store a checked photo (with its thumbnail and print copy) or scan; return the StoredFile.
    Only new bytes count against the person's quota (a retried upload adds none). Evidence and a
    合格 declaration's minutes (api/honour_minutes.py) alike."""
    store = context.filestore()
    try:
        if isinstance(checked, uploads.Scan):
            return evidence.store(store, checked.data, FileKind.PDF, uploads.PDF_MIME, uploaded_by=person,
                                  quota=QUOTA_BYTES)
        stored = evidence.store(store, checked.data, FileKind.PHOTO, uploads.JPEG_MIME, uploaded_by=person,
                                width=checked.width, height=checked.height, taken_at=checked.taken_at,
                                gps_lat=checked.gps_lat, gps_lng=checked.gps_lng, quota=QUOTA_BYTES)
    except evidence.QuotaExceeded as exc:
        raise ApiError(413, "quota_exceeded", exc.message, fields={"file": exc.message}) from None
    if not thumbnail_path(stored.sha256).exists():
        write_atomically(thumbnail_path(stored.sha256), checked.thumbnail)
    keep_print_copy(PrintCache(store), stored.sha256, checked.print_copy)
    return stored


@bp.post("/drafts/<id:application_id>/evidence")
@operation("上传照片或PDF扫描件，并用于一个或多个位置", tag=TAG, bucket=Bucket.UPLOAD,
           form=UploadForm, response=Uploaded, status=201, errors=(403, 404, 409, 413, 422),
           max_bytes=uploads.MAX_UPLOAD_BYTES)
def upload(application_id, form):
    """Check, re-encode and store one file, then attach it to every named slot."""
    person = current_person()
    application = access.application_for(person, application_id)
    slots = list(dict.fromkeys(form["slot"].split(",")))
    _require_attachable(application, person, slots)
    checked = _checked(form["file"].read(uploads.MAX_PDF_BYTES + 1), slots)
    known = _already_stored(checked.data)
    _require_room(application, slots, known)
    stored = store_checked(person, checked)
    counts = evidence.share(application, person, stored, slots, today=context.today())
    return {"file": file_view(application, stored), "slots": counts}


@bp.get("/drafts/<id:application_id>/evidence")
@operation("这份申报各位置的照片和扫描件", tag=TAG, response=EvidenceList, errors=(404,))
def list_evidence(application_id):
    """Every attached file, by slot."""
    person = current_person()
    return {"slots": evidence_view(access.application_for(person, application_id), person)}


@bp.delete("/drafts/<id:application_id>/evidence/<id:file_id>")
@operation("从一个位置（或所有位置，一处不能移除则都不移除）移除文件", tag=TAG, bucket=Bucket.WRITE, query=DetachQuery,
           response=Detached, errors=(403, 404, 409))
def detach(application_id, file_id, query):
    """Remove a file from one slot, or from every slot of this application (all or none)."""
    person = current_person()
    application = access.application_for(person, application_id)
    stored = _linked_file(application, file_id)
    if "slot" in query:
        slots = [query["slot"]]
        evidence.detach(application, person, query["slot"], stored, today=context.today())
    else:
        slots = evidence.detach_everywhere(application, person, stored, today=context.today())
    remaining = evidence.evidence_by_slot(application)
    return {"slots": {slot: len(remaining.get(slot, [])) for slot in slots}}


def _linked_file(application, file_id):
    """A file attached to this application, else NotFound."""
    stored = StoredFile.get_or_none(StoredFile.id == file_id)
    if stored is None or not evidence.slots_of(application, stored):
        raise NotFound("这份申报没有这个文件")
    return stored


def send_private(path, mime):
    """A content-addressed file, cacheable by the mini-program but by no shared cache."""
    response = send_file(path, mimetype=mime, max_age=CACHE_FOREVER, conditional=True)
    response.cache_control.public = False  # send_file marks anything with a max_age public
    response.cache_control.private = True
    return response


@bp.get("/applications/<id:application_id>/files/<id:file_id>")
@operation("文件原件（照片为重新编码的JPEG，不含EXIF）", tag=TAG,
           response=FileResponse((uploads.JPEG_MIME, uploads.PDF_MIME)), errors=(404,))
def get_file(application_id, file_id):
    """The stored bytes of a file attached to a visible application."""
    application = access.application_for(current_person(), application_id)
    return send_original(_linked_file(application, file_id))


def send_original(stored):
    """The stored bytes of a file the caller may see, inline under an ASCII name."""
    response = send_private(context.filestore().path_for(stored.sha256), stored.mime)
    name = stored_file_name(stored)
    return named(response, name, name, inline=True)


@bp.get("/applications/<id:application_id>/files/<id:file_id>/thumbnail")
@operation("照片缩略图", tag=TAG, response=FileResponse((uploads.JPEG_MIME,)), errors=(404,))
def get_thumbnail(application_id, file_id):
    """The thumbnail of a photo attached to a visible application."""
    application = access.application_for(current_person(), application_id)
    return send_thumbnail(_linked_file(application, file_id))


def send_thumbnail(stored):
    """The thumbnail of a stored photo the caller may see (a PDF has none: NotFound)."""
    if stored.kind != FileKind.PHOTO:
        raise NotFound("PDF文件没有缩略图，请打开原件")
    path = thumbnail_path(stored.sha256)
    if not path.exists():
        # Photos that came in through chat are stored without one: make it on first view.
        write_atomically(path, uploads.thumbnail_of(context.filestore().get(stored.sha256)))
    return send_private(path, uploads.JPEG_MIME)
