"""The minutes (会议记录/决议) of a 合格 declaration's 会员代表大会: the chair uploads photos or PDF
scans as wx.uploadFile sends them, checked and stored like evidence (api/evidence.py), and the
unit opens them. Thin over services/qualified_minutes.py."""
from miniapp_backend.api import access, bp, uploads
from miniapp_backend.api.evidence import send_original, send_thumbnail, store_checked
from miniapp_backend.api.honour_shapes import HonourView, honour_view
from miniapp_backend.api.honours import TAG
from miniapp_backend.api.operations import FileResponse, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, binary
from miniapp_backend.api.sessions import current_person
from miniapp_backend.services import qualified_minutes
from miniapp_backend.services.errors import NotFound

MinutesUpload = Schema("MinutesUpload", {
    "file": binary("文件", description="wx.uploadFile 的 name 为 file：会议记录或决议的照片（JPEG/PNG/WebP）或PDF扫描件"),
}, required=["file"])


def _checked(data):
    """The bytes checked as a photo (re-encoded) or a PDF scan."""
    if not data:
        raise uploads.refuse("文件是空的，请重新选择会议记录的照片或PDF扫描件")
    if uploads.is_pdf(data):
        return uploads.check_pdf(data)
    if not uploads.looks_like_photo(data):
        raise uploads.refuse("这不是照片（JPEG、PNG、WebP）或PDF文件，请重新选择会议记录的照片或扫描件")
    return uploads.check_photo(data)


@bp.post("/honours/<id:honour_id>/minutes")
@operation("工会主席为待确认的合格称号申报上传会员代表大会会议记录或决议（照片或PDF扫描件，每次一个文件）",
           tag=TAG, bucket=Bucket.UPLOAD, form=MinutesUpload, response=HonourView, status=201,
           errors=(403, 404, 409, 413, 422), max_bytes=uploads.MAX_UPLOAD_BYTES,
           description=f"最多{qualified_minutes.MINUTES_LIMIT}个文件；同一文件再次上传不重复计入。"
                       "没有会议记录时系统工会不能确认；申报已确认或已退回时 409。")
def upload_minutes(honour_id, form):
    """Check, store and attach one file of the minutes; answer the declaration as it now stands."""
    person = current_person()
    honour = access.honour_for(person, honour_id)
    qualified_minutes.require_open(honour, person)  # before the file is read
    stored = store_checked(person, _checked(form["file"].read(uploads.MAX_PDF_BYTES + 1)))
    qualified_minutes.attach_minutes(honour, person, stored)
    return honour_view(honour)


def _minutes_file(honour_id, file_id):
    """A file of the minutes of a declaration of the person's org, else NotFound."""
    honour = access.honour_for(current_person(), honour_id)
    stored = next((f for f in qualified_minutes.minutes_of(honour) if f.id == file_id), None)
    if stored is None:
        raise NotFound("这项申报没有这个会议记录文件")
    return stored


@bp.get("/honours/<id:honour_id>/minutes/<id:file_id>")
@operation("会议记录原件（照片为重新编码的JPEG，不含EXIF）", tag=TAG,
           response=FileResponse((uploads.JPEG_MIME, uploads.PDF_MIME)), errors=(404,))
def get_minutes_file(honour_id, file_id):
    """The stored bytes of one file of the minutes."""
    return send_original(_minutes_file(honour_id, file_id))


@bp.get("/honours/<id:honour_id>/minutes/<id:file_id>/thumbnail")
@operation("会议记录照片缩略图", tag=TAG, response=FileResponse((uploads.JPEG_MIME,)), errors=(404,))
def get_minutes_thumbnail(honour_id, file_id):
    """The thumbnail of one photo of the minutes."""
    return send_thumbnail(_minutes_file(honour_id, file_id))
