"""Every message and event type gets a sensible answer or "success"."""
import dataclasses
import time

import pytest

from bots import clock, dedupe
from bots.conversation import replies
from bots.menu import MenuKey
from miniapp_backend import wechat
from miniapp_backend.app import create_app
from miniapp_backend.models import Channel, ChannelState, Identity, Notice, NoticeStatus
from miniapp_backend.services import notifications, people, template_reports
from tests.bots.conftest import BOT_NOW, WeChatUser


def _customer_texts(standin, openid):
    """The customer-service texts the stand-in delivered to `openid`."""
    return [m["payload"]["text"]["content"] for m in standin.state.sent
            if m["openid"] == openid and m["kind"] == "custom"]


REPORTS = [
    ("unsubscribe", {}),
    ("LOCATION", {"latitude": 39.73, "longitude": 116.13, "precision": 30}),
    ("VIEW", {"event_key": "http://127.0.0.1:8000/", "menu_id": 1}),
    ("pic_sysphoto", {"event_key": "PHOTO", "pic_md5s": ["abc"]}),
    ("pic_photo_or_album", {"event_key": "PHOTO", "pic_md5s": ["abc", "def"]}),
    ("pic_weixin", {"event_key": "PHOTO", "pic_md5s": []}),
    ("TEMPLATESENDJOBFINISH", {"msg_id": 1, "status": "success"}),
    ("MASSSENDJOBFINISH", {"msg_id": 2, "status": "send success"}),
    ("kf_create_session", {"KfAccount": "kf1@gh"}),
    ("some_future_event", {"event_key": "x"}),
]
OTHER_MESSAGES = [
    ("voice", {"MediaId": "m1", "Format": "amr"}, replies.VOICE_UNSUPPORTED),
    ("video", {"MediaId": "m2", "ThumbMediaId": "t"}, replies.UNSUPPORTED),
    ("shortvideo", {"MediaId": "m3", "ThumbMediaId": "t"}, replies.UNSUPPORTED),
    ("link", {"Title": "t", "Description": "d", "Url": "http://x"}, replies.UNSUPPORTED),
    ("image", {"PicUrl": "http://x", "MediaId": "m4"}, replies.PHOTO_PUBLIC),
]


def test_reports_and_unknown_events_get_success(wechat_user, db, redis_client):
    user = wechat_user("o-worker")
    for event, fields in REPORTS:
        sent = user.event(event, **fields)
        assert sent.status == 200 and sent.raw == "success", event


def test_other_messages_are_answered(wechat_user, db, redis_client):
    user = wechat_user("o-worker")
    for msg_type, body, expected in OTHER_MESSAGES:
        assert user.send(user.builder.message_fields(user.openid, msg_type, body)).text == expected, msg_type


def test_unknown_message_types_get_success(wechat_user, db, redis_client):
    user = wechat_user("o-worker")
    assert user.send(user.builder.message_fields(user.openid, "hologram", {"Data": "1"})).raw == "success"


def test_voice_with_recognition_is_text(world, wechat_user):
    user = wechat_user("o-worker")
    fields = user.builder.message_fields(user.openid, "voice", {"MediaId": "m", "Format": "amr",
                                                              "Recognition": "附近驿站。"})
    assert user.send(fields).text == replies.ASK_LOCATION


def test_a_photo_without_an_open_item_explains_itself(world, wechat_user):
    assert wechat_user("o-王建国").photo("m9") == replies.PHOTO_NEEDS_ITEM.format(jump="第N项")


def test_menu_clicks_are_their_commands(world, wechat_user):
    user = wechat_user("o-王建国")
    for key, expected in [
            (MenuKey.FILL, "可申报"), (MenuKey.PROGRESS, "当前没有正在填写的申报"),
            (MenuKey.HELP, "填报时随时可以回复"), (MenuKey.HOTLINE, "北京12351职工服务热线"),
            (MenuKey.BIND, "请发送邀请码"), ("UNKNOWN_KEY", "填报时随时可以回复")]:
        assert expected in user.event("CLICK", event_key=key).text, key


def test_human_handover_where_the_account_has_customer_service(config, db, redis_client, wechat_user):
    user = wechat_user("o-worker")
    sent = user.event("CLICK", event_key=MenuKey.HUMAN)
    assert sent.reply["MsgType"] == "transfer_customer_service"
    assert user.send(user.builder.message_fields(user.openid, "text", {"Content": "人工"})).reply[
        "MsgType"] == "transfer_customer_service"
    app = create_app(dataclasses.replace(config, wechat_account_kind="subscription"))
    app.config[clock.NOW_SETTING] = BOT_NOW
    plain = WeChatUser(app.test_client(), "o-worker")
    assert plain.say("人工") == replies.NO_HUMAN
    assert "人工" not in plain.say("你好")


def test_a_hand_over_is_acknowledged_by_one_customer_service_message(db, redis_client, wechat_user,
                                                                   standin, jobs):
    user = wechat_user("o-worker")
    asked = user.builder.message_fields(user.openid, "text", {"Content": "人工"})
    assert user.send(asked).reply["MsgType"] == "transfer_customer_service"
    assert _customer_texts(standin, "o-worker") == []  # queued, not sent inside the callback
    jobs()
    assert _customer_texts(standin, "o-worker") == [replies.HANDED_OVER]
    assert user.send(asked).reply["MsgType"] == "transfer_customer_service"  # WeChat's retry
    redis_client.delete(dedupe.KEY.format(f"id:{asked['MsgId']}"))  # even with the claim gone
    assert user.send(asked).reply["MsgType"] == "transfer_customer_service"
    jobs()
    assert _customer_texts(standin, "o-worker") == [replies.HANDED_OVER]
    assert user.event("CLICK", event_key=MenuKey.HUMAN).reply["MsgType"] == "transfer_customer_service"
    jobs()
    assert _customer_texts(standin, "o-worker") == [replies.HANDED_OVER] * 2


def test_public_users_get_keywords_never_a_checklist(wechat_user, db, redis_client, world):
    user = wechat_user("o-worker")
    assert "欢迎关注房山区总工会" in user.event("subscribe").text
    assert "12351" in user.say("热线")
    assert "绑定 邀请码" in user.say("帮助") and "组宣部" in user.say("帮助")
    for text in ("是", "第3项", "提交", "确认"):
        reply = user.say(text)
        assert "第1/" not in reply and "验收单" not in reply


def test_link_codes_join_the_miniapp(world, wechat_user):
    user = wechat_user("o-王建国")
    shown = user.say("关联")
    assert "您的关联码：" in shown and "30分钟内" in shown
    assert "请在另一端输入这个关联码" in user.say("关联 " + shown.split("：")[1].split("\n")[0])
    miniapp_person = people.person_for(Channel.MINIAPP, "mini-openid")
    code = people.create_link_code(miniapp_person, Channel.MINIAPP).code
    assert "关联成功" in user.say(f"关联 {code}")
    assert "关联码无效或已过期" in user.say("关联 XXXXXX")


def test_two_events_in_one_second_are_two_events_and_a_retry_is_one(world, wechat_user):
    user = wechat_user("o-worker")
    hotline = user.builder.event_fields(user.openid, "CLICK", event_key=MenuKey.HOTLINE)
    help_ = {**hotline, "EventKey": MenuKey.HELP}  # the same CreateTime: WeChat's clock is in seconds
    assert "北京12351职工服务热线" in user.send(hotline).text
    assert user.send(help_).text.startswith("您好，这里是房山区总工会")
    assert "北京12351职工服务热线" in user.send(hotline).text  # WeChat's retry: the first answer again


def test_a_workers_own_problem_gets_the_hotline_and_a_chair_keeps_the_question(world, wechat_user):
    worker = wechat_user("o-worker")
    for question in ("我的工资被拖欠了怎么办", "工伤怎么认定？", "公司不签劳动合同", "我受伤了", "干活被砸伤了，公司不管",
                     "老板欠我工钱", "职业病怎么办", "不给发钱"):
        reply = worker.say(question)
        assert reply.startswith("您说的问题请拨打北京12351职工服务热线") and "没看懂" not in reply, question
    assert "没看懂" in worker.say("今天天气不错")
    chair = wechat_user("o-王建国")
    chair.event("subscribe")
    chair.say("申报")
    chair.say("1")
    chair.say("确认")
    reply = chair.say("加班费怎么算")
    assert "12351" in reply and "第1/21项" in reply  # the open item is asked again


def test_asides_in_the_middle_of_a_form_ask_the_open_question_again(world, wechat_user):
    chair = wechat_user("o-王建国")
    chair.say("申报")
    chair.say("1")
    assert "先核对表头" in chair.photo("m8")  # a photo before any item is open: the header again
    chair.say("确认")
    for msg_type, body, said in OTHER_MESSAGES[:-1]:
        reply = chair.send(chair.builder.message_fields(chair.openid, msg_type, body)).text
        assert reply.startswith(said) and "第1/21项" in reply, msg_type
    reply = chair.say("12351")
    assert reply.startswith("北京12351职工服务热线") and "第1/21项" in reply
    assert "第1项已记录：否" in chair.say("否")  # nothing moved


def test_a_reviewer_is_told_where_reviewing_is_done(world, wechat_user, config):
    reviewer = wechat_user("o-钱进")  # 系统工会 admin, no unit to fill for
    for text in ("申报", "进度"):
        reply = reviewer.say(text)
        assert reply.startswith("您是房山区良乡镇总工会的审核人员") and f"{config.public_base_url}/admin/" in reply
    helped = reviewer.say("帮助")
    assert "您是房山区良乡镇总工会的审核人员" in helped and "邀请码由上级工会发放" not in helped
    assert "您还没有绑定单位" in wechat_user("o-worker").say("申报")


def test_a_pasted_ballot_code_points_to_the_ballot_page_without_repeating_it(world, wechat_user):
    reply = wechat_user("o-worker").say("bt.AFBEMKS29FT8PFNS")
    assert reply.startswith("这是会员评家的投票码") and "AFBEMKS29FT8PFNS" not in reply


def test_a_chairs_help_lists_how_to_start_as_well(world, wechat_user):
    """The welcome says “帮助”查看全部指令: the list must hold 申报 itself, and 关联 for the mini-program."""
    helped = wechat_user("o-王建国").say("帮助")
    assert "申报" in helped.split("申报事宜")[0] and "关联" in helped


def test_a_photo_from_the_public_points_to_help_the_account_has(config, db, redis_client):
    """An account without 客服 must not answer a photo with “回复‘人工’”, which it then refuses."""
    app = create_app(dataclasses.replace(config, wechat_account_kind="subscription"))
    app.config[clock.NOW_SETTING] = BOT_NOW
    user = WeChatUser(app.test_client(), "o-worker")
    reply = user.photo("m1")
    assert "人工" not in reply and "12351" in reply


def test_a_scan_event_without_its_result_is_a_code_not_recognised(world, wechat_user):
    user = wechat_user("o-worker")
    sent = user.send(user.builder.event_fields(user.openid, "scancode_push", event_key=MenuKey.SCAN))
    assert sent.text == replies.SCAN_UNRECOGNIZED  # not "系统繁忙" from a KeyError


def _template_notice(world, official, miniapp, key):
    """A notice to the chair sent as a template message through the stand-in (no 客服 window)."""
    notice = notifications.queue(world.chair, key, "status_changed",
                                 {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10"})
    sent = notifications.deliver(notice.id, wechat.WeChatMessenger(official, miniapp))
    assert (sent.status, sent.channel) == (NoticeStatus.SENT, "template") and sent.msgid
    return sent


def test_template_delivery_reports_mark_blocked_and_failed_notices_with_the_reason(
        world, wechat_user, official, miniapp, standin):
    blocked, lost, arrived = (_template_notice(world, official, miniapp, key) for key in ("t1", "t2", "t3"))
    assert [m["msgid"] for m in standin.state.sent] == [blocked.msgid, lost.msgid, arrived.msgid]
    user = wechat_user("o-王建国")
    for notice, status in ((blocked, "failed:user block"), (lost, "failed: system failed"),
                           (arrived, "success")):
        assert user.event("TEMPLATESENDJOBFINISH", msg_id=notice.msgid, status=status).raw == "success"
    assert [(n.status, n.detail) for n in Notice.select().order_by(Notice.id)] == [
        (NoticeStatus.FAILED, "模板消息未送达：用户拒收"), (NoticeStatus.FAILED, "模板消息未送达：微信系统发送失败"),
        (NoticeStatus.SENT, "")]


def test_a_template_report_for_an_unknown_msgid_changes_nothing(world, wechat_user, official, miniapp):
    notice = _template_notice(world, official, miniapp, "t1")
    sent = wechat_user("o-王建国").event("TEMPLATESENDJOBFINISH", msg_id=notice.msgid + 1,
                                        status="failed:user block")
    assert sent.raw == "success"
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT


TEMPLATE_SEND = "cgi-bin/message/template/send"


def _arrived(standin, count=1, wait=5.0):
    """The template messages the stand-in delivered, once there are `count` (a delayed send is
    carried out after the client gave up waiting, as Tencent may do)."""
    deadline = time.monotonic() + wait
    while len(sent := [m for m in standin.state.sent if m["kind"] == "template"]) < count:
        assert time.monotonic() < deadline, "the stand-in never delivered the message"
        time.sleep(0.05)
    return sent


class ReportsWhileSending:
    """The real Messenger, with WeChat's delivery report reaching /wechat while the send job is
    between Tencent's answer (or its read timeout) and storing the outcome: the callback races it."""

    def __init__(self, messenger, standin, user, status):
        """Wrap `messenger`; `user` reports `status` on each template send."""
        self.messenger, self.standin, self.user, self.status = messenger, standin, user, status

    def __getattr__(self, name):
        """Every other send as the wrapped Messenger does it."""
        return getattr(self.messenger, name)

    def send_template(self, *args, **kwargs):
        """The real send; WeChat's report reaches /wechat before its answer (or timeout) is returned."""
        try:
            return self.messenger.send_template(*args, **kwargs)
        finally:
            msgid = _arrived(self.standin)[-1]["msgid"]
            assert self.user.event("TEMPLATESENDJOBFINISH", msg_id=msgid, status=self.status).raw == "success"


def _impatient(wx_config, redis_client):
    """The product's Messenger with a client that waits for Tencent's answer only 0.3 s."""
    return wechat.WeChatMessenger(wechat.official_client(wx_config, redis_client, timeout=0.3),
                                  wechat.miniapp_client(wx_config, redis_client, timeout=0.3))


def _queued(world, key="t1"):
    """A notice to the chair, who has no 客服 window open (so it goes as a template)."""
    return notifications.queue(world.chair, key, "status_changed",
                               {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10"})


@pytest.mark.parametrize("status, expected", [
    ("failed:user block", (NoticeStatus.FAILED, template_reports.BLOCKED_BY_USER)),
    ("success", (NoticeStatus.SENT, ""))])
def test_a_report_that_comes_before_the_msgid_is_stored_is_applied_when_it_is(
        world, wechat_user, official, miniapp, standin, redis_client, status, expected):
    messenger = ReportsWhileSending(wechat.WeChatMessenger(official, miniapp), standin,
                                    wechat_user("o-王建国"), status)
    notice = notifications.deliver(_queued(world).id, messenger, redis=redis_client)
    assert (notice.status, notice.detail) == expected and notice.msgid == _arrived(standin)[0]["msgid"]
    assert not redis_client.exists("notice:template-reports:o-王建国")  # taken, not left to expire


@pytest.mark.parametrize("status, expected", [
    ("failed:user block", (NoticeStatus.FAILED, template_reports.BLOCKED_BY_USER)),
    ("success", (NoticeStatus.SENT, template_reports.CONFIRMED_LATE))])
@pytest.mark.parametrize("report_comes", ["during the wait", "after the timeout"])
def test_a_send_wechat_never_answered_is_unknown_until_its_report_settles_it(
        world, wechat_user, wx_config, standin, redis_client, status, expected, report_comes):
    standin.state.add_fault({"path": TEMPLATE_SEND, "delay": 1.0})  # Tencent answers after we gave up
    user = wechat_user("o-王建国")
    messenger = _impatient(wx_config, redis_client)
    if report_comes == "during the wait":
        messenger = ReportsWhileSending(messenger, standin, user, status)
    notice = notifications.deliver(_queued(world).id, messenger, redis=redis_client)
    msgid = _arrived(standin)[0]["msgid"]
    if report_comes == "after the timeout":
        assert (notice.status, notice.channel, notice.msgid) == (NoticeStatus.UNKNOWN, "template", None)
        assert "无法确认对方是否收到" in notice.detail and "不自动重发" in notice.detail
        assert user.event("TEMPLATESENDJOBFINISH", msg_id=msgid, status=status).raw == "success"
        notice = Notice.get_by_id(notice.id)
    assert (notice.status, notice.detail, notice.msgid) == (*expected, msgid)
    assert len(standin.state.sent) == 1


def test_a_report_on_another_send_leaves_an_unknown_notice_unknown_while_one_is_being_sent(
        world, wechat_user, wx_config, standin, redis_client):
    standin.state.add_fault({"path": TEMPLATE_SEND, "delay": 1.0})
    unknown = notifications.deliver(_queued(world).id, _impatient(wx_config, redis_client), redis=redis_client)
    assert unknown.status == NoticeStatus.UNKNOWN
    sending = _queued(world, "t2")
    assert notifications.claim(sending.id)
    wechat_user("o-王建国").event("TEMPLATESENDJOBFINISH", msg_id=_arrived(standin)[0]["msgid"] + 99,
                                 status="failed:user block")
    assert Notice.get_by_id(unknown.id).status == NoticeStatus.UNKNOWN


def test_following_again_clears_a_remembered_template_refusal(world, wechat_user, official, miniapp, standin):
    standin.state.add_fault({"path": TEMPLATE_SEND, "errcode": 43101})
    messenger = wechat.WeChatMessenger(official, miniapp)
    for key in ("refused", "remembered"):
        notice = notifications.queue(world.chair, key, "status_changed",
                                     {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10"})
        assert notifications.deliver(notice.id, messenger).status == NoticeStatus.SKIPPED
    assert "用户已拒收模板消息" in Notice.get(key="remembered").detail
    user = wechat_user("o-王建国")
    user.event("unsubscribe")
    user.event("subscribe")
    state = ChannelState.get(identity=Identity.get(channel=Channel.OFFICIAL, openid="o-王建国"))
    assert state.template_refused_at is None  # the next notice outside the 客服 window tries templates again
