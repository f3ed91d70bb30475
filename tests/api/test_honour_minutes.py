"""The minutes of a 合格 declaration through the API: the chair uploads photos or PDF scans as
wx.uploadFile sends them, the unit opens them, bad files and decided declarations are refused, and
a declaration made before minutes were asked for is listed and takes them."""
import datetime as dt
import io

from miniapp_backend.models import Honour, HonourKind, HonourStatus
from miniapp_backend.services import qualified
from tests.api.conftest import photo_bytes
from tests.api.test_applications import pdf_bytes
from tests.api.test_honours import declare, refused

ASK_FOR_MINUTES = "请上传会议记录或决议的照片（扫描件），上传后才能确认"


def upload_minutes(api, honour_id, person, data, name="minutes.jpg"):
    """POST one file of the minutes as wx.uploadFile does (multipart, field `file`)."""
    return api.post(f"/honours/{honour_id}/minutes", person, data={"file": (io.BytesIO(data), name)},
                    content_type="multipart/form-data")


def test_a_chair_declares_uploads_the_minutes_and_the_system_union_can_confirm(api, world):
    body = declare(api, world.chair).get_json()
    assert body["minutes"] == [] and body["note"].endswith(ASK_FOR_MINUTES)
    photo = upload_minutes(api, body["id"], world.chair, photo_bytes())
    assert photo.status_code == 201, photo.get_json()
    [page] = photo.get_json()["minutes"]
    assert page["kind"] == "photo" and page["thumbnail_url"] == page["url"] + "/thumbnail"
    assert photo.get_json()["note"] == "会员代表大会2018年3月20日决定，已申报，待系统工会确认"
    scan = upload_minutes(api, body["id"], world.chair, pdf_bytes(), "resolution.pdf").get_json()
    assert [(f["kind"], f["thumbnail_url"]) for f in scan["minutes"]][1] == ("pdf", None)
    again = upload_minutes(api, body["id"], world.chair, photo_bytes()).get_json()
    assert len(again["minutes"]) == 2, "the same photo again is not counted twice"
    opened = api.get(page["url"].removeprefix("/api/v1"), world.staff)
    assert opened.status_code == 200 and opened.mimetype == "image/jpeg"
    assert api.get(page["thumbnail_url"].removeprefix("/api/v1"), world.staff).status_code == 200
    pdf = scan["minutes"][1]["url"].removeprefix("/api/v1")
    assert refused(api.get(f"{pdf}/thumbnail", world.chair), 404)["message"] == "PDF文件没有缩略图，请打开原件"
    assert refused(api.get(page["url"].removeprefix("/api/v1"), world.other_chair), 404)
    [listed] = api.get("/honours", world.staff).get_json()["honours"]
    assert len(listed["minutes"]) == 2 and listed["minutes_saving"] == 0
    assert refused(upload_minutes(api, body["id"], world.staff, photo_bytes(color=(0, 0, 200))), 403)[
        "message"] == "会议记录由本单位工会主席上传"
    confirmed = qualified.verify_qualified(Honour.get_by_id(body["id"]), world.system_admin)
    assert confirmed.status == HonourStatus.ACTIVE


def test_a_file_that_is_no_photo_or_scan_and_a_decided_declaration_are_refused(api, world):
    honour_id = declare(api, world.chair).get_json()["id"]
    bad = refused(upload_minutes(api, honour_id, world.chair, b"minutes typed as text", "minutes.txt"), 422)
    assert bad["fields"]["file"] == "这不是照片（JPEG、PNG、WebP）或PDF文件，请重新选择会议记录的照片或扫描件"
    qualified.refuse_declaration(Honour.get_by_id(honour_id), world.system_admin, "会议记录不全")
    late = refused(upload_minutes(api, honour_id, world.chair, photo_bytes()), 409)
    assert late["message"] == "这项合格称号申报已被退回（会议记录不全），请重新申报并附上会议记录"
    assert refused(upload_minutes(api, honour_id, world.other_chair, photo_bytes()), 404)


def test_a_declaration_made_before_minutes_were_asked_for_is_listed_and_takes_them(api, world):
    old = Honour.create(org=world.unit, kind=HonourKind.QUALIFIED_HOME, year=2018, status=HonourStatus.DECLARED,
                        congress_date=dt.date(2018, 3, 20))
    [listed] = api.get("/honours", world.chair).get_json()["honours"]
    assert (listed["id"], listed["status"], listed["minutes"]) == (old.id, "declared", [])
    assert listed["note"].endswith(ASK_FOR_MINUTES)
    assert upload_minutes(api, old.id, world.chair, photo_bytes()).status_code == 201
    assert qualified.verify_qualified(old, world.system_admin).status == HonourStatus.ACTIVE
