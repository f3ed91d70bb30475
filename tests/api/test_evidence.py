"""Uploads as wx.uploadFile sends them: checks by content, EXIF kept private, re-encoding, slots."""
import io
import struct
import time
import zlib
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image
from rq import SimpleWorker

from miniapp_backend.api import evidence as evidence_api
from miniapp_backend.models import ApplicationKind, EvidenceLink, Packet, PacketStatus, StoredFile
from miniapp_backend.packets.print_copies import PrintCache, print_image, print_key
from miniapp_backend.services import drafts, evidence
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.storage import FileStore
from tests.api.conftest import model_home, photo_bytes, upload
from tests.api.test_applications import pdf_bytes
from tests.factories import IN_WINDOW, station_for
from tests.packets.test_print_copies import kept_copies
from tests.workers.job_env import job_env  # noqa: F401 (fixture)
from workers import packets
from workers.queues import queue

ITEM1, ITEM2 = "model_home_checklist:item.1", "model_home_checklist:item.2"


def exif_photo():
    """A JPEG shot sideways (orientation 6) with capture time and GPS in its EXIF."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif.get_ifd(0x8769)[0x9003] = "2018:05:09 14:30:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 44.0, 7.8), "E", (116.0, 8.0, 23.0)
    return photo_bytes(size=(80, 40), exif=exif)


@pytest.mark.parametrize("taken, offset", [("9999:12:31 23:59:59", "-12:00"), ("0001:01:01 00:00:00", "+14:00")])
def test_a_capture_time_beyond_the_calendar_is_ignored(api, world, taken, offset):
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = taken
    exif.get_ifd(0x8769)[0x9011] = offset
    app = model_home(world)
    response = upload(api, app.id, world.staff, photo_bytes(exif=exif), ITEM1)
    assert response.status_code == 201
    assert response.get_json()["file"]["has_capture_time"] is False
    assert StoredFile.get_by_id(response.get_json()["file"]["id"]).taken_at is None


def png_header_only(width, height):
    """A PNG claiming huge dimensions in a few bytes: a decompression bomb's header."""
    def chunk(kind, data):
        """One PNG chunk with its CRC."""
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def noisy_jpeg():
    """A JPEG large enough that cutting it leaves a truncated image."""
    image = Image.effect_noise((256, 256), 80).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def test_photo_is_reencoded_upright_and_its_exif_kept_only_for_reviewers(api, world, config):
    app = model_home(world)
    response = upload(api, app.id, world.staff, exif_photo(), f"{ITEM1},{ITEM2}")
    assert response.status_code == 201
    body = response.get_json()
    assert body["slots"] == {ITEM1: 1, ITEM2: 1}
    view = body["file"]
    assert (view["width"], view["height"]) == (40, 80)  # turned upright
    assert view["has_location"] and view["has_capture_time"]
    text = response.get_data(as_text=True)
    assert "39.7" not in text and "116.1" not in text and "taken" not in text
    stored = StoredFile.get_by_id(view["id"])
    assert round(stored.gps_lat, 4) == 39.7355 and round(stored.gps_lng, 4) == 116.1397
    assert stored.taken_at.isoformat() == "2018-05-09T06:30:00"  # 14:30 Beijing time, as UTC
    served = api.get(view["url"].removeprefix("/api/v1"), world.chair)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert not Image.open(io.BytesIO(served.data)).getexif()
    thumb = api.get(view["thumbnail_url"].removeprefix("/api/v1"), world.chair)
    assert thumb.status_code == 200 and Image.open(io.BytesIO(thumb.data)).format == "JPEG"
    for response in (served, thumb):
        assert sorted(response.headers["Cache-Control"].split(", ")) == ["max-age=31536000", "private"]


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted_and_stored_as_jpeg(api, world, fmt):
    app = model_home(world)
    image = Image.new("RGBA", (30, 20), (0, 0, 255, 128))
    out = io.BytesIO()
    image.save(out, fmt)
    response = upload(api, app.id, world.chair, out.getvalue(), ITEM1, f"x.{fmt.lower()}")
    assert response.status_code == 201 and response.get_json()["file"]["mime"] == "image/jpeg"
    assert not response.get_json()["file"]["has_location"]


@pytest.mark.parametrize("data, name, fragment", [
    (b"hello, this is a text file\n", "notes.txt", "不是JPEG、PNG或WebP"),
    (b"plain text pretending to be a photo", "photo.jpg", "不是JPEG、PNG或WebP"),
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anim.gif", "不是JPEG、PNG或WebP"),
    (b"", "empty.jpg", "文件是空的"),
    (png_header_only(30000, 30000), "bomb.png", "像素过多"),
    (png_header_only(8000, 8000), "big.png", "像素过多"),
])
def test_bad_images_are_refused_by_content(api, world, data, name, fragment):
    app = model_home(world)
    response = upload(api, app.id, world.chair, data, ITEM1, name)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "bad_file" and fragment in error["fields"]["file"]
    assert StoredFile.select().count() == 0


def test_a_truncated_photo_is_refused(api, world):
    app = model_home(world)
    data = noisy_jpeg()
    response = upload(api, app.id, world.chair, data[: len(data) // 2], ITEM1)
    assert response.status_code == 422 and "不完整" in response.get_json()["error"]["message"]


def test_a_decompression_bomb_made_by_pillow_is_refused(api, world):
    app = model_home(world)
    out = io.BytesIO()
    Image.new("1", (12000, 9000)).save(out, "PNG")  # 108 megapixels in a few kilobytes
    assert len(out.getvalue()) < 200_000
    response = upload(api, app.id, world.chair, out.getvalue(), ITEM1, "bomb.png")
    assert response.status_code == 422 and "像素过多" in response.get_json()["error"]["message"]


def test_size_limits_are_413(api, world):
    app = model_home(world)
    huge = b"\xff\xd8\xff" + b"0" * (10 * 1024 * 1024)
    response = upload(api, app.id, world.chair, huge, ITEM1)
    assert response.status_code == 413 and "10MB" in response.get_json()["error"]["message"]
    too_big_request = upload(api, app.id, world.chair, b"%PDF-" + b"0" * (21 * 1024 * 1024), "report")
    assert too_big_request.status_code == 413


def test_quota_per_person(api, world, monkeypatch):
    app = model_home(world)
    monkeypatch.setattr(evidence_api, "QUOTA_BYTES", 600)
    assert upload(api, app.id, world.chair, photo_bytes(color=(1, 2, 3)), ITEM1).status_code == 201
    refused = upload(api, app.id, world.chair, photo_bytes(color=(250, 2, 3)), ITEM2)
    assert refused.status_code == 413 and refused.get_json()["error"]["code"] == "quota_exceeded"


def test_a_retried_upload_near_the_quota_is_not_refused(api, world, monkeypatch):
    # wx.uploadFile's answer lost: the photo is stored and attached, and the retry adds no byte.
    app = model_home(world)
    first = upload(api, app.id, world.chair, photo_bytes(color=(1, 2, 3)), ITEM1).get_json()["file"]
    monkeypatch.setattr(evidence_api, "QUOTA_BYTES", first["size"])  # the person is at the quota now
    again = upload(api, app.id, world.chair, photo_bytes(color=(1, 2, 3)), ITEM1)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["file"]["id"] == first["id"] and again.get_json()["slots"] == {ITEM1: 1}
    also = upload(api, app.id, world.chair, photo_bytes(color=(1, 2, 3)), f"{ITEM1},{ITEM2}")
    assert also.status_code == 201 and also.get_json()["slots"] == {ITEM1: 1, ITEM2: 1}
    new = upload(api, app.id, world.chair, photo_bytes(color=(250, 2, 3)), ITEM2)
    assert new.status_code == 413 and new.get_json()["error"]["code"] == "quota_exceeded"
    assert StoredFile.select().count() == 1


def test_two_files_in_one_upload_are_refused_not_one_dropped(api, world):
    app = model_home(world)
    response = api.post(f"/drafts/{app.id}/evidence", world.chair, content_type="multipart/form-data",
                        data={"file": [(io.BytesIO(photo_bytes(color=(9, 9, 9))), "a.jpg"),
                                       (io.BytesIO(photo_bytes(color=(99, 9, 9))), "b.jpg")],
                              "slot": ITEM1})
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {"file": "一次只能上传一个文件"}
    assert StoredFile.select().count() == 0 and EvidenceLink.select().count() == 0


def test_the_report_slot_only_where_the_kind_has_a_member_evaluation_report(api, world):
    station_app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                                         station=station_for(world.unit), today=IN_WINDOW)
    response = upload(api, station_app.id, world.chair, pdf_bytes(), "report", "评家报告.pdf")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["message"] == "report 是会员评家报告的位置，这份职工暖心驿站申报没有会员评家报告"
    assert error["fields"] == {"report": error["message"]}
    assert StoredFile.select().count() == 0 and EvidenceLink.select().count() == 0
    with pytest.raises(ValidationFailed):  # chat and the admin web attach through the same check
        evidence.check_slot(station_app, "report")
    assert upload(api, model_home(world).id, world.chair, pdf_bytes(), "report", "r.pdf").status_code == 201


def test_pdf_scans_only_for_stamped_pages_and_the_report(api, world):
    app = model_home(world)
    report = upload(api, app.id, world.chair, pdf_bytes(3), "report", "评家报告.pdf")
    assert report.status_code == 201 and report.get_json()["file"]["thumbnail_url"] is None
    on_item = upload(api, app.id, world.chair, pdf_bytes(), ITEM1, "x.pdf")
    assert on_item.status_code == 422 and "只能上传照片" in on_item.get_json()["error"]["message"]
    photo_report = upload(api, app.id, world.chair, photo_bytes(), "report")
    assert photo_report.status_code == 201
    no_paper_step = upload(api, app.id, world.chair, pdf_bytes(), "stamped:unit_paper", "stamp.pdf")
    assert no_paper_step.status_code == 422  # 示范职工之家 goes system → district, all digital


@pytest.mark.parametrize("data, fragment", [
    (b"%PDF-1.4\nthis is not really a pdf\n%%EOF\n", "已损坏"),
    (pdf_bytes()[:-40], "不完整"),
    (b"just text\n%%EOF", "不是照片（JPEG、PNG、WebP）或PDF"),
    (pdf_bytes(21), "1到20页"),
    (b"", "文件是空的，请重新选择PDF扫描件或照片"),
])
def test_bad_pdfs_are_refused(api, world, data, fragment):
    app = model_home(world)
    response = upload(api, app.id, world.chair, data, "report", "report.pdf")
    assert response.status_code == 422 and fragment in response.get_json()["error"]["message"]


def test_the_form_is_checked(api, world):
    app = model_home(world)
    no_file = api.post(f"/drafts/{app.id}/evidence", world.chair, data={"slot": ITEM1},
                       content_type="multipart/form-data")
    assert no_file.get_json()["error"]["fields"] == {"file": "请提供文件"}
    bad_slot = upload(api, app.id, world.chair, photo_bytes(), "media")
    assert bad_slot.status_code == 400 and "slot" in bad_slot.get_json()["error"]["fields"]
    wrong_item = upload(api, app.id, world.chair, photo_bytes(), "model_home_checklist:item.99")
    assert wrong_item.status_code == 422 and "没有第99项" in wrong_item.get_json()["error"]["message"]
    extra = api.post(f"/drafts/{app.id}/evidence", world.chair, content_type="multipart/form-data",
                     data={"file": (io.BytesIO(photo_bytes()), "a.jpg"), "slot": ITEM1, "org_id": "9"})
    assert extra.get_json()["error"]["fields"] == {"org_id": "不支持的字段"}


def test_the_same_photo_from_two_orgs_is_flagged_for_reviewers_only(api, world):
    own = model_home(world)
    other = drafts.start_or_resume(world.other_chair, world.other_unit, world.campaign,
                                   ApplicationKind.MODEL_HOME, today=IN_WINDOW)
    first = upload(api, own.id, world.chair, exif_photo(), ITEM1).get_json()["file"]
    second = upload(api, other.id, world.other_chair, exif_photo(), ITEM1).get_json()["file"]
    assert first["id"] == second["id"]
    filler_view = api.get(f"/drafts/{own.id}/evidence", world.chair).get_json()["slots"][ITEM1][0]
    assert filler_view["reused_by_other_orgs"] is None
    reviewer_view = api.get(f"/drafts/{own.id}/evidence", world.district_admin).get_json()["slots"][ITEM1][0]
    assert reviewer_view["reused_by_other_orgs"] == 1


def test_uploads_and_files_of_another_org_are_out_of_reach(api, world):
    app = model_home(world)
    file_id = upload(api, app.id, world.chair, photo_bytes(), ITEM1).get_json()["file"]["id"]
    assert upload(api, app.id, world.other_chair, photo_bytes(color=(9, 9, 9)), ITEM1).status_code == 404
    assert upload(api, app.id, world.system_admin, photo_bytes(color=(9, 9, 9)), ITEM1).status_code == 403
    file_url = f"/applications/{app.id}/files/{file_id}"
    for path in (file_url, f"{file_url}/thumbnail", f"/drafts/{app.id}/evidence"):
        assert api.get(path, world.other_chair).status_code == 404
    assert api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.other_chair).status_code == 404
    other = drafts.start_or_resume(world.other_chair, world.other_unit, world.campaign,
                                   ApplicationKind.MODEL_HOME, today=IN_WINDOW)
    # A file id of this application asked for through another org's application: not there.
    assert api.get(f"/applications/{other.id}/files/{file_id}", world.other_chair).status_code == 404


def test_detach_from_one_slot_or_all(api, world):
    app = model_home(world)
    file_id = upload(api, app.id, world.chair, photo_bytes(), f"{ITEM1},{ITEM2}").get_json()["file"]["id"]
    one = api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.staff, query_string={"slot": ITEM1})
    assert one.status_code == 200 and one.get_json() == {"slots": {ITEM1: 0}}
    not_there = api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.staff, query_string={"slot": ITEM1})
    assert not_there.status_code == 404
    rest = api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.staff)
    assert rest.get_json() == {"slots": {ITEM2: 0}}
    assert EvidenceLink.select().count() == 0 and StoredFile.select().count() == 1
    assert api.get(f"/applications/{app.id}/files/{file_id}", world.chair).status_code == 404


FULL = ("第1项已有9张照片，每项最多9张。要换一张，请先删掉一张：在公众号聊天中打开第1项后回复“删除照片”，"
        "或在小程序里删除")


def fill_item1(api, app, person):
    """Nine different photos on item 1 (a full slot); their file ids."""
    return [upload(api, app.id, person, photo_bytes(color=(25 * n, 9, 9)), ITEM1).get_json()["file"]["id"]
            for n in range(evidence.PHOTOS_PER_SLOT)]


def test_an_item_takes_at_most_nine_photos(api, world):
    app = model_home(world)
    first, *others = fill_item1(api, app, world.chair)
    assert len({first, *others}) == 9
    tenth = upload(api, app.id, world.chair, photo_bytes(color=(240, 240, 9)), f"{ITEM2},{ITEM1}")
    assert tenth.status_code == 422
    error = tenth.get_json()["error"]
    assert error["message"] == FULL and error["fields"] == {ITEM1: FULL}
    assert error["details"]["held"] == 9 and error["details"]["limit"] == 9
    # Refused before anything was stored or attached, item 2 included.
    assert StoredFile.select().count() == 9 and EvidenceLink.select().count() == 9
    assert upload(api, app.id, world.chair, photo_bytes(color=(240, 240, 9)), ITEM2).status_code == 201
    api.delete(f"/drafts/{app.id}/evidence/{first}", world.chair, query_string={"slot": ITEM1})
    assert upload(api, app.id, world.chair, photo_bytes(color=(240, 240, 9)), ITEM1).status_code == 201


def test_a_retried_upload_of_a_photo_a_full_item_holds_is_no_tenth(api, world):
    # wx.uploadFile's answer lost on a weak network: the mini-program sends the 9th photo again.
    app = model_home(world)
    ninth = fill_item1(api, app, world.chair)[-1]
    again = upload(api, app.id, world.chair, photo_bytes(color=(25 * 8, 9, 9)), ITEM1)
    assert again.status_code == 201, again.get_json()
    assert again.get_json()["file"]["id"] == ninth and again.get_json()["slots"] == {ITEM1: 9}
    # Also used for item 2 now: the full item 1 keeps it, item 2 gets it.
    shared = upload(api, app.id, world.chair, photo_bytes(color=(25 * 8, 9, 9)), f"{ITEM1},{ITEM2}")
    assert shared.status_code == 201 and shared.get_json()["slots"] == {ITEM1: 9, ITEM2: 1}
    assert StoredFile.select().count() == 9 and EvidenceLink.select().count() == 10


def test_a_photo_for_more_slots_than_one_upload_takes_says_so(api, world):
    app = model_home(world)
    eleven = ",".join(f"model_home_checklist:item.{n}" for n in range(1, 12))
    response = upload(api, app.id, world.chair, photo_bytes(), eleven)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"] == {
        "slot": "一个文件一次最多用于10个位置（收到11个），其余的位置请再上传一次同一张照片"}
    assert StoredFile.select().count() == 0


def test_the_limit_holds_in_the_domain_for_every_slot_of_a_share(api, world, config):
    app = model_home(world)
    fill_item1(api, app, world.chair)
    held = StoredFile.get()
    extra = evidence.store(FileStore(config.storage_dir), photo_bytes(color=(240, 240, 9)), "photo", "image/jpeg")
    with pytest.raises(ValidationFailed, match="第1项已有9张照片"):
        evidence.share(app, world.chair, extra, [ITEM2, ITEM1], today=IN_WINDOW)
    assert not EvidenceLink.select().where(EvidenceLink.slot == ITEM2).exists()  # all or none
    assert evidence.attach(app, world.chair, ITEM1, held, today=IN_WINDOW) == 9  # already there: no refusal


def test_a_pick_of_photos_uploaded_at_once_stops_at_the_limit(api, world, monkeypatch):
    """wx.chooseImage gives up to 9 photos, which the mini-program uploads in parallel."""
    app = model_home(world)
    counted = evidence.files_held

    def slow_count(application, slot):
        """Count, then let the other uploads count too before this one attaches."""
        held = counted(application, slot)
        time.sleep(0.1)
        return held
    monkeypatch.setattr(evidence, "files_held", slow_count)
    for n in range(evidence.PHOTOS_PER_SLOT - 2):
        upload(api, app.id, world.chair, photo_bytes(color=(25 * n, 9, 9)), ITEM1)
    token = api.token(world.chair)

    def send(n):
        """One photo of the pick, on its own connection."""
        return api.app.test_client().post(
            f"/api/v1/drafts/{app.id}/evidence", headers={"Authorization": f"Bearer {token}"},
            data={"file": (io.BytesIO(photo_bytes(color=(200, 25 * n + 100, 9))), "p.jpg"), "slot": ITEM1},
            content_type="multipart/form-data").status_code

    with ThreadPoolExecutor(6) as pool:
        statuses = sorted(pool.map(send, range(6)))
    assert statuses == [201, 201, 422, 422, 422, 422]
    assert EvidenceLink.select().where(EvidenceLink.slot == ITEM1).count() == evidence.PHOTOS_PER_SLOT


def test_thumbnail_is_made_on_first_view_for_photos_from_chat(api, world, config):
    app = model_home(world)
    data = photo_bytes(size=(900, 600))
    stored = evidence.store(FileStore(config.storage_dir), data, "photo", "image/jpeg")
    evidence.attach(app, world.chair, ITEM1, stored, today=IN_WINDOW)
    thumb = api.get(f"/applications/{app.id}/files/{stored.id}/thumbnail", world.chair)
    assert thumb.status_code == 200 and max(Image.open(io.BytesIO(thumb.data)).size) == 360


def test_an_upload_keeps_the_print_copy_that_the_packet_job_then_reads(api, world, config, job_env,
                                                                       redis_client):
    app = model_home(world)
    sideways = Image.Exif()
    sideways[0x0112] = 6
    view = upload(api, app.id, world.chair, photo_bytes(size=(2400, 1800), exif=sideways), ITEM1).get_json()
    store, stored = FileStore(config.storage_dir), StoredFile.get_by_id(view["file"]["id"])
    kept = PrintCache(store).get(print_key(stored.sha256))
    assert Image.open(io.BytesIO(kept)).size == (750, 1000)  # upright, print size
    assert kept == print_image(store.get(stored.sha256)).data  # what a packet would derive itself
    thumb = api.get(view["file"]["thumbnail_url"].removeprefix("/api/v1"), world.chair)
    assert Image.open(io.BytesIO(thumb.data)).size == (270, 360)  # shrunk from the print copy
    for item in drafts.templates(app)[0].items:
        key = f"model_home_checklist:{item.key}"
        drafts.write_answer(app, world.chair, key, {"done": True}, today=IN_WINDOW)
        evidence.attach(app, world.chair, key, stored, today=IN_WINDOW)
    before = kept_copies(store)
    assert api.post(f"/applications/{app.id}/submit", world.chair).status_code == 200  # enqueues the packet
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    packet = Packet.get(Packet.application == app.id)
    assert packet.status == PacketStatus.DONE
    assert kept_copies(store) == before  # read, not derived again
    assert kept in packets.packet_path(config, packet, "pdf").read_bytes()  # embedded as it is


def test_uploads_at_once_near_the_quota_store_only_what_fits(api, world, monkeypatch):
    """Different photos sent together, each under the quota alone, two together over it: the
    count and the store are one step per person, so only one gets in."""
    app = model_home(world)
    pick = [photo_bytes(size=(1600, 1200), color=(30 * n, 200, 9)) for n in range(4)]
    sizes = sorted(len(evidence_api.uploads.check_photo(data).data) for data in pick)
    quota = sizes[0] + sizes[1] - 1  # any one fits, no two do
    assert sizes[-1] <= quota
    monkeypatch.setattr(evidence_api, "QUOTA_BYTES", quota)
    put = FileStore.put

    def slow_put(store, data):
        """Write the bytes, slowly (a busy disk): the others' counts come meanwhile, unless they wait."""
        time.sleep(0.2)
        return put(store, data)
    monkeypatch.setattr(FileStore, "put", slow_put)
    token = api.token(world.chair)

    def send(data):
        """One photo, on its own connection."""
        return api.app.test_client().post(
            f"/api/v1/drafts/{app.id}/evidence", headers={"Authorization": f"Bearer {token}"},
            data={"file": (io.BytesIO(data), "p.jpg"), "slot": ITEM1},
            content_type="multipart/form-data").status_code

    with ThreadPoolExecutor(len(pick)) as pool:
        statuses = sorted(pool.map(send, pick))
    assert statuses == [201, 413, 413, 413]
    assert StoredFile.select().where(StoredFile.uploaded_by == world.chair).count() == 1
