"""Notices that did not arrive can be sent again from 运行与通知, once the cause is gone."""
import datetime as dt

from miniapp_backend import wechat
from miniapp_backend.admin.common import NOW_SETTING
from miniapp_backend.models import Channel, Notice, NoticeStatus
from miniapp_backend.services import channel_state, notifications, template_reports
from tests.admin.helpers import deliver_all, post, sign_in

PARTS = {"text": "【2018年区级先进职工之家】申报将于2018年9月30日截止（还有1天）。", "title": "2018年区级先进职工之家",
         "detail": "还差3项未填", "time": "2018-09-30 23:59"}
TEMPLATE = "cgi-bin/message/template/send"


def test_a_failed_or_unreached_notice_is_sent_again_when_the_admin_asks(
        web, admin_world, official, miniapp, control):
    busy = notifications.queue(admin_world.chair, "remind:test:p1", "reminder", PARTS)
    unreached = notifications.queue(admin_world.direct_chair, "remind:test:p2", "reminder", PARTS)
    channel_state.record_unsubscribe("o-孙丽")
    control("POST", "/standin/faults", json={"path": TEMPLATE, "errcode": -1, "openid": "o-王建国"})
    deliver_all(official, miniapp)
    assert Notice.get_by_id(busy.id).status == NoticeStatus.FAILED
    assert Notice.get_by_id(unreached.id).status == NoticeStatus.SKIPPED
    sign_in(web, "district")
    ledger = web.get("/admin/operations").get_data(as_text=True)
    assert ledger.count("重新发送</button>") == 2
    channel_state.record_inbound(Channel.OFFICIAL, "o-孙丽")  # called, she wrote to the account
    for notice in (busy, unreached):
        post(web, f"/admin/operations/notices/{notice.id}/resend", {}, "/admin/operations")
    deliver_all(official, miniapp)
    assert [(n.status, n.channel) for n in Notice.select().order_by(Notice.id)] == [
        (NoticeStatus.SENT, "template"), (NoticeStatus.SENT, "customer_service")]
    again = post(web, f"/admin/operations/notices/{busy.id}/resend", {}, "/admin/operations")
    assert "没有重新发送" in web.get(again.location).get_data(as_text=True)
    assert len(control.sent()) == 2


def test_a_notice_the_user_blocked_is_not_offered_for_resending_and_the_ledger_says_why(
        web, admin_world, official, miniapp, control, redis_client):
    blocked = notifications.queue(admin_world.chair, "remind:test:p1", "reminder", PARTS)
    lost = notifications.queue(admin_world.chair, "remind:test:p2", "reminder", PARTS)
    deliver_all(official, miniapp)
    for notice, status in ((blocked, "failed:user block"), (lost, "failed: system failed")):
        template_reports.record(redis_client, "o-王建国", Notice.get_by_id(notice.id).msgid, status)
    sign_in(web, "district")
    ledger = web.get("/admin/operations").get_data(as_text=True)
    assert ledger.count("重新发送</button>") == 1 and ledger.count(notifications.NO_RESEND_TO_BLOCKER) == 1
    assert f"/admin/operations/notices/{blocked.id}/resend" not in ledger
    refused = post(web, f"/admin/operations/notices/{blocked.id}/resend", {}, "/admin/operations")
    assert notifications.NO_RESEND_TO_BLOCKER in web.get(refused.location).get_data(as_text=True)
    post(web, f"/admin/operations/notices/{lost.id}/resend", {}, "/admin/operations")
    assert [Notice.get_by_id(n.id).status for n in (blocked, lost)] == [NoticeStatus.FAILED, NoticeStatus.PENDING]


def test_a_notice_wechat_never_answered_for_can_be_resent_by_hand(web, admin_world, wx_config, redis_client, control):
    notice = notifications.queue(admin_world.chair, "remind:test:p1", "reminder", PARTS)
    control("POST", "/standin/faults", json={"path": TEMPLATE, "delay": 1.0})
    impatient = wechat.WeChatMessenger(wechat.official_client(wx_config, redis_client, timeout=0.3),
                                       wechat.miniapp_client(wx_config, redis_client, timeout=0.3))
    assert notifications.deliver(notice.id, impatient).status == NoticeStatus.UNKNOWN
    sign_in(web, "district")
    ledger = web.get("/admin/operations").get_data(as_text=True)
    assert "<td>结果未知</td>" in ledger and "无法确认对方是否收到" in ledger and ledger.count("重新发送</button>") == 1
    post(web, f"/admin/operations/notices/{notice.id}/resend", {}, "/admin/operations")
    assert Notice.get_by_id(notice.id).status == NoticeStatus.PENDING


def test_a_reminder_whose_date_has_passed_is_not_offered_for_resending(web, admin_world, official, miniapp, control):
    # Skipped as its date passed (held over the night of 09-30), or skipped on its day: after
    # 09-30 a reminder saying the date is ahead would only be skipped again by the sweep.
    key = "remind:district_home:org:1:close:2018-09-30:T1:p{}"
    overdue = notifications.queue(admin_world.chair, key.format(admin_world.chair.id), "reminder", PARTS)
    Notice.update(status=NoticeStatus.SKIPPED, detail="截止日期已过，提醒不再发送").where(
        Notice.id == overdue.id).execute()
    web.application.config[NOW_SETTING] = dt.datetime(2018, 10, 1, 2, 0)  # 10:00 on 10-01
    sign_in(web, "district")
    ledger = web.get("/admin/operations").get_data(as_text=True)
    assert f"/admin/operations/notices/{overdue.id}/resend" not in ledger
    assert "截止日期（2018年9月30日）已过，这条提醒不再发送" in ledger
    refused = post(web, f"/admin/operations/notices/{overdue.id}/resend", {}, "/admin/operations")
    assert "截止日期（2018年9月30日）已过" in web.get(refused.location).get_data(as_text=True)
    assert Notice.get_by_id(overdue.id).status == NoticeStatus.SKIPPED
    web.application.config[NOW_SETTING] = dt.datetime(2018, 9, 30, 2, 0)  # on its day it may still go
    post(web, f"/admin/operations/notices/{overdue.id}/resend", {}, "/admin/operations")
    assert Notice.get_by_id(overdue.id).status == NoticeStatus.PENDING
