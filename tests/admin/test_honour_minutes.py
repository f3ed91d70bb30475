"""The confirming union's page of a 合格 declaration shows the 会员代表大会's date and minutes
(thumbnails and files through the protected download route) and refuses to confirm without them."""
import datetime as dt

from miniapp_backend.models import Honour, HonourKind, HonourStatus
from miniapp_backend.services import evidence, qualified
from miniapp_backend.storage import FileStore
from tests.admin.helpers import send_from, sign_in, signed_in_tabs
from tests.api.conftest import photo_bytes
from tests.factories import IN_WINDOW, minutes_scan


def test_the_confirming_page_shows_the_date_and_the_minutes_to_admins_over_the_unit_only(
        admin_app, admin_world, admin_config):
    world = admin_world
    photo = evidence.store(FileStore(admin_config.storage_dir), photo_bytes(), "photo", "image/jpeg")
    scan = minutes_scan()
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                         minutes=[photo, scan], today=IN_WINDOW)
    web = admin_app.test_client()
    sign_in(web, "system")
    page = web.get(f"/admin/honours/{honour.id}").get_data(as_text=True)
    assert "会员代表大会决定日期：2018年3月20日" in page and "会议记录（决议）2份" in page
    assert f'src="/admin/files/{photo.sha256}?size=thumb"' in page
    assert f'href="/admin/files/{scan.sha256}"' in page and "会议记录扫描件（PDF）" in page
    assert 'id="minutes-missing"' not in page and "<button type=\"submit\">确认合格称号</button>" in page
    thumbnail = web.get(f"/admin/files/{photo.sha256}?size=thumb")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    assert web.get(f"/admin/files/{photo.sha256}").status_code == 200
    other = admin_app.test_client()
    sign_in(other, "other_system")
    assert other.get(f"/admin/files/{photo.sha256}").status_code == 404


def test_a_declaration_made_before_minutes_were_asked_for_is_shown_and_not_confirmed(admin_app, admin_world):
    world = admin_world
    honour = Honour.create(org=world.unit, kind=HonourKind.QUALIFIED_HOME, year=2018,
                           status=HonourStatus.DECLARED, congress_date=dt.date(2018, 3, 20))
    page = f"/admin/honours/{honour.id}"
    [(tab, token)] = signed_in_tabs(admin_app, "system", page, 1)
    shown = tab.get(page).get_data(as_text=True)
    assert "会员代表大会决定日期：2018年3月20日" in shown and "会议记录（决议）0份" in shown
    assert 'id="minutes-missing"' in shown and "未附会议记录：附上之前不能确认" in shown
    assert "<button type=\"submit\" disabled>确认合格称号</button>" in shown
    refused = send_from(tab, token, page, {"action": "verify"})
    assert "这项申报还没有附会员代表大会的会议记录或决议，不能确认" in refused
    assert "请申报单位的工会主席在小程序中上传，或在公众号回复“合格申报”发送照片" in refused
    assert Honour.get_by_id(honour.id).status == HonourStatus.DECLARED
    assert "已退回这项合格称号申报" in send_from(tab, token, page, {"action": "refuse", "reason": "未附会议记录"})


def test_the_register_says_which_declarations_wait_without_minutes(admin_app, admin_world):
    world = admin_world
    with_minutes = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                               minutes=[minutes_scan()], today=IN_WINDOW)
    Honour.create(org=world.unit, kind=HonourKind.QUALIFIED_HOME, year=2017, status=HonourStatus.DECLARED,
                  congress_date=dt.date(2017, 3, 20))
    web = admin_app.test_client()
    sign_in(web, "system")
    page = web.get("/admin/honours?status=declared").get_data(as_text=True)
    # Each waiting declaration says what it carries; only the one without minutes is flagged.
    assert "会议记录1份" in page and page.count('<span class="warn">未附会议记录</span>') == 1
    assert f"/admin/honours/{with_minutes.id}" in page
