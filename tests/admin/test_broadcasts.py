"""群发通知 in the admin web: preview whom it reaches, send it, see who got it and who could not be reached."""
import datetime as dt

import pytest

from miniapp_backend import wechat
from miniapp_backend.admin.broadcasts import ROWS_SHOWN
from miniapp_backend.admin.common import NOW_SETTING
from miniapp_backend.models import Notice, OrgKind, RoleKind
from miniapp_backend.services import channel_state, notifications, orgs
from tests.admin.helpers import deliver_all, post, sign_in
from tests.factories import person

MORNING = dt.datetime(2018, 6, 20, 2, 0)  # 10:00 in Shanghai
NIGHT = dt.datetime(2018, 6, 20, 14, 30)  # 22:30
NOT_STARTED = {"kind": "new_union_home", "status": "not_started"}
TEXT = "请于6月30日前完成上半年申报，纸质材料盖章后报区总工会组宣部。"


@pytest.fixture
def morning(admin_app):
    """The admin web's clock at 10:00 on a day of the 上半年 round."""
    admin_app.config[NOW_SETTING] = MORNING
    return admin_app


def test_a_district_admin_previews_sends_and_sees_who_could_not_be_reached(
        web, admin_world, morning, official, miniapp, control):
    sign_in(web, "district")
    assert "群发通知" in web.get("/admin/broadcasts").get_data(as_text=True)
    page = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "preview"}).get_data(as_text=True)
    assert "将发给4人" in page and "王建国（北京良乡示例科技有限公司工会委员会）" in page and "发送给这4人" in page
    channel_state.record_unsubscribe("o-孙丽")
    sent = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "send"})
    assert sent.status_code == 302 and "/admin/broadcasts/" in sent.location
    deliver_all(official, miniapp)
    result = web.get(sent.location).get_data(as_text=True)
    assert "已开始发送给4人" in result and "已发送 3 人 · 未发送 1 人" in result
    assert "房山区直属示例医院工会委员会" in result and "没有可用渠道：已取消关注公众号" in result
    assert 'id="unreached"' in result
    assert control.sent(openid="o-周敏")[0]["payload"]["data"]["thing2"]["value"] == "请于6月30日前完成上半年申报…"
    history = web.get("/admin/broadcasts").get_data(as_text=True)
    assert "申报类型：百人以上新建会企业职工之家 · 申报状态：尚未申报" in history and "已发送3 · 未发送1" in history


def test_a_system_admin_reaches_their_own_units_and_sees_only_their_own_broadcasts(web, admin_world, morning):
    district = morning.test_client()
    sign_in(district, "district")
    post(district, "/admin/broadcasts", {"text": "全区通知", "action": "send"})
    sign_in(web, "system")
    page = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "preview"}).get_data(as_text=True)
    assert "将发给2人" in page and 'name="system"' not in page
    assert "全区通知" not in web.get("/admin/broadcasts").get_data(as_text=True)
    ident = Notice.get(Notice.key.startswith("broadcast:")).key.split(":")[1]
    assert web.get(f"/admin/broadcasts/{ident}").status_code == 404
    mine = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "send"}).location
    assert 'id="unreached"' not in web.get(mine).get_data(as_text=True)  # nobody missed it (yet)


def test_a_refused_broadcast_shows_the_reason_and_keeps_the_text(web, admin_world, admin_app):
    admin_app.config[NOW_SETTING] = NIGHT
    sign_in(web, "district")
    refused = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "send"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "免打扰时段" in page and TEXT in page
    assert Notice.select().count() == 0
    missing_kind = post(web, "/admin/broadcasts", {"status": "not_started", "text": TEXT, "action": "preview"})
    assert missing_kind.status_code == 400 and "“尚未申报”须同时选择申报类型" in missing_kind.get_data(as_text=True)


def test_the_preview_names_the_expected_units_nobody_is_bound_in(web, admin_world, morning):
    orgs.create_org(admin_world.system, OrgKind.GRASSROOTS, "良乡无人绑定科技有限公司工会委员会",
                    employee_count=300, founded_on=dt.date(2017, 5, 1))
    sign_in(web, "district")
    page = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "preview"}).get_data(as_text=True)
    assert "将发给4人" in page
    assert "另有1个符合条件的单位没有绑定工会主席或工作人员，收不到这条通知（也收不到截止提醒）：良乡无人绑定科技有限公司工会委员会。" in page


def test_those_not_reached_stay_findable_in_a_broadcast_too_large_to_list(
        web, admin_world, morning, official, miniapp):
    for n in range(ROWS_SHOWN + 1):
        person(f"干事{n:03d}", admin_world.unit, RoleKind.STAFF)
    channel_state.record_unsubscribe("o-孙丽")
    sign_in(web, "district")
    sent = post(web, "/admin/broadcasts", {"text": TEXT, "action": "send"})
    notice = Notice.get(Notice.person == admin_world.direct_chair)
    notifications.deliver(notice.id, wechat.WeChatMessenger(official, miniapp))
    everyone = web.get(sent.location).get_data(as_text=True)
    assert f"下表只列出最近的{ROWS_SHOWN}人" in everyone and "孙丽" not in everyone.split('id="recipients"')[1]
    skipped = web.get(f"{sent.location}?status=skipped").get_data(as_text=True)
    assert "孙丽" in skipped and "已取消关注公众号" in skipped and 'id="cut"' not in skipped


def test_the_admin_sees_who_got_only_the_beginning_of_a_long_broadcast(
        web, admin_world, morning, official, miniapp, control):
    sign_in(web, "district")
    compose = web.get("/admin/broadcasts").get_data(as_text=True)
    assert "模板消息和订阅消息只显示开头19字以内（在逗号、句号等处截断" in compose
    sent = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "send"})
    deliver_all(official, miniapp)
    assert control.sent(openid="o-周敏")[0]["payload"]["data"]["thing2"]["value"] == "请于6月30日前完成上半年申报…"
    result = web.get(sent.location).get_data(as_text=True)
    row = next(r for r in result.split("<tr>") if "周敏" in r)
    assert "模板消息（只收到开头19字以内）" in row


def test_a_preview_without_text_says_the_text_is_missing_and_offers_no_sending(web, admin_world, morning):
    sign_in(web, "district")
    for text in ("", "   "):
        answer = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": text, "action": "preview"})
        page = answer.get_data(as_text=True)
        assert answer.status_code == 400 and "请填写通知内容" in page
        assert "将发给4人" in page and 'id="send"' not in page  # whom it reaches, but nothing to send yet
    page = post(web, "/admin/broadcasts", {**NOT_STARTED, "text": TEXT, "action": "preview"}).get_data(as_text=True)
    assert 'id="send"' in page and "请填写通知内容" not in page
