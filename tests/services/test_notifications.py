"""The notification service through the WeChat stand-in: channel choice, quotas, refusals, once."""
import datetime as dt

from miniapp_backend.clock import utcnow
from miniapp_backend.models import Channel, ChannelState, Decision, Identity, Notice, NoticeStatus
from miniapp_backend.services import channel_state, notifications, people, review, submissions
from miniapp_backend.services.reminders import ledger_view, reach
from tests.factories import IN_WINDOW
from tests.services.test_submission_and_review import model_home

PARTS = {"text": "【2018年示范职工之家】系统工会意见：审核通过。", "title": "2018年示范职工之家",
         "status": "审核通过啦请查看", "time": "2018-05-10 10:00", "detail": "审核通过"}




def send(person, messenger, key="k1", kind="status_changed", verified=True):
    notice = notifications.queue(person, key, kind, PARTS)
    return notifications.deliver(notice.id, messenger, verified)


def test_customer_service_inside_48h_window_then_template_once_quota_is_used(chair, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    for n in range(notifications.KF_QUOTA):
        assert send(chair, messenger, key=f"k{n}").channel == "customer_service"
    sixth = send(chair, messenger, key="k6")
    assert (sixth.status, sixth.channel) == (NoticeStatus.SENT, "template")
    kinds = [m["kind"] for m in control.sent(openid="o-王建国")]
    assert kinds == ["custom"] * 5 + ["template"]
    assert control.sent(openid="o-王建国")[0]["payload"]["text"]["content"] == PARTS["text"]


def test_template_values_are_fitted_and_retired_fields_are_not_used(chair, messenger, control):
    notice = send(chair, messenger)
    assert notice.channel == "template"
    data = control.sent(kind="template")[0]["payload"]["data"]
    assert set(data) == {"thing1", "phrase2", "time3", "thing4"}
    assert len(data["phrase2"]["value"]) <= 5


def test_out_of_window_refusal_moves_to_the_next_channel_and_is_remembered(chair, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/custom/send", "errcode": 45015})
    notice = send(chair, messenger)
    assert (notice.status, notice.channel) == (NoticeStatus.SENT, "template")
    state = ChannelState.get(identity=Identity.get(openid="o-王建国"))
    assert state.window_sent == notifications.KF_QUOTA


def test_subscription_account_falls_back_to_a_recorded_subscribe_grant(chair, messenger, control):
    mini = Identity.get(channel=Channel.MINIAPP, openid="m-chair")
    template_id = notifications.templates()["miniapp_subscribe"]["status_changed"]["template_id"]
    assert send(chair, messenger, key="none", verified=False).status == NoticeStatus.SKIPPED
    channel_state.record_grants(mini, {template_id: "accept", "OTHER": "reject"})
    notice = send(chair, messenger, key="one", verified=False)
    assert (notice.status, notice.channel) == (NoticeStatus.SENT, "subscribe")
    assert channel_state.grants_left(mini, template_id) == 0
    assert send(chair, messenger, key="two", verified=False).status == NoticeStatus.SKIPPED
    sent = control.sent(kind="subscribe")
    assert len(sent) == 1 and all(len(v["value"]) <= 20 for v in sent[0]["payload"]["data"].values())


def test_a_notice_goes_out_at_most_once(chair, messenger, control):
    first = notifications.queue(chair, "once", "status_changed", PARTS)
    assert notifications.queue(chair, "once", "status_changed", PARTS) is None
    notifications.deliver(first.id, messenger)
    notifications.deliver(first.id, messenger)  # rq delivered the job twice
    assert len(control.sent()) == 1
    assert Notice.get_by_id(first.id).status == NoticeStatus.SENT


def test_hard_failure_is_visible_with_its_errcode(chair, messenger, control):
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": 40164})
    notice = send(chair, messenger)
    assert (notice.status, notice.errcode) == (NoticeStatus.FAILED, 40164)
    assert notice.detail.startswith("模板消息发送失败：服务器IP不在公众号的IP白名单中（")


def test_a_notice_nobody_could_be_sent_says_why_for_each_channel(chair, world, messenger):
    window_closed = send(chair, messenger, key="closed", verified=False)
    assert window_closed.detail == ("没有可用渠道：48小时内没有给公众号发过消息，不能发客服消息；"
                                    "公众号不是认证服务号，不能发模板消息；小程序订阅消息没有剩余授权")
    channel_state.record_unsubscribe("o-王建国")
    assert send(chair, messenger, key="gone").detail == "没有可用渠道：已取消关注公众号；小程序订阅消息没有剩余授权"
    stranger = people.person_for(Channel.MINIAPP, "m-nobody")
    assert send(stranger, messenger, key="never").detail == "没有可用渠道：未关注公众号；小程序订阅消息没有剩余授权"
    staff_only_in_chat = send(world.staff, messenger, key="chat", verified=False)
    assert staff_only_in_chat.detail.endswith("；未使用小程序")


def test_unsubscribed_users_get_no_official_messages(chair, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    channel_state.record_unsubscribe("o-王建国")
    assert send(chair, messenger).status == NoticeStatus.SKIPPED
    assert control.sent() == []


def test_stale_claims_fail_visibly_and_are_not_resent(chair, messenger):
    notice = notifications.queue(chair, "stale", "status_changed", PARTS)
    assert notifications.claim(notice.id)
    Notice.update(updated_at=utcnow() - dt.timedelta(hours=1)).where(Notice.id == notice.id).execute()
    assert notifications.stale_claims() == 1
    assert notifications.deliver(notice.id, messenger).status == NoticeStatus.FAILED


def test_a_retry_interrupted_mid_send_is_not_taken_for_a_busy_wechat(chair, messenger, control):
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": -1})
    notice = send(chair, messenger)
    assert notifications.failed_transiently(notice)
    assert notifications.claim(notice.id)  # the retry takes it, and its worker dies mid-send
    Notice.update(updated_at=utcnow() - dt.timedelta(hours=1)).where(Notice.id == notice.id).execute()
    assert notifications.stale_claims() == 1
    assert not notifications.claim(notice.id)  # it may have reached the user: never sent again


def test_a_long_customer_service_text_is_cut_at_a_line_within_wechats_size():
    remarks = "\n".join(f"第{no}项：照片看不清，请补拍清楚的现场照片并说明情况。" for no in range(1, 80))
    text = notifications.fit_customer_text("【2018年示范职工之家】退回整改。\n" + remarks)
    assert len(text.encode("utf-8")) <= 2048
    assert text.endswith("……\n（内容较长，完整内容请回复“申报”或在小程序中查看）")
    assert text.split("……")[0].endswith("并说明情况。")  # a whole line, not half of one
    assert notifications.fit_customer_text("短消息") == "短消息"


def test_a_long_customer_service_text_ends_at_any_sentence_end_a_chat_page_would():
    cut = notifications.fit_customer_text("【2018年示范职工之家】退回整改！" + "照片看不清，请补拍现场照片！" * 90)
    assert len(cut.encode("utf-8")) <= 2048
    assert cut.split("……")[0].endswith("请补拍现场照片！")  # a whole sentence, not half of one


def test_a_token_still_refused_after_its_refetch_fails_once_with_a_chinese_reason(chair, messenger, control):
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": 40001, "times": 5})
    notice = send(chair, messenger)
    assert (notice.status, notice.errcode) == (NoticeStatus.FAILED, 40001)
    assert notice.detail.startswith("模板消息发送失败：access_token失效，重新获取后仍被拒")
    assert len(control.calls("cgi-bin/message/template/send")) == 2  # the refetch's one retry, no more


def test_a_failure_with_an_errcode_we_have_no_words_for_still_says_so_in_chinese(chair, messenger, control):
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": 40003})
    notice = send(chair, messenger)
    assert notice.detail == "模板消息发送失败：微信返回错误码40003（invalid openid）"


def _subscriber(grants):
    """The chair's mini-program identity with `grants` taps on the status template."""
    mini = Identity.get(channel=Channel.MINIAPP, openid="m-chair")
    template_id = notifications.templates()["miniapp_subscribe"]["status_changed"]["template_id"]
    for _ in range(grants):
        channel_state.record_grants(mini, {template_id: "accept"})
    return mini, template_id


def test_a_subscribe_send_that_failed_gives_its_grant_back(chair, messenger, control):
    mini, template_id = _subscriber(2)
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/subscribe/send", "errcode": -1})
    assert send(chair, messenger, key="busy", verified=False).status == NoticeStatus.FAILED
    assert channel_state.grants_left(mini, template_id) == 2  # Tencent took no message: no grant spent
    assert send(chair, messenger, key="later", verified=False).channel == "subscribe"


def test_a_refused_subscribe_leaves_no_grant_to_try_again(chair, messenger, control):
    mini, template_id = _subscriber(3)
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/subscribe/send", "errcode": 43101})
    assert send(chair, messenger, key="refused", verified=False).status == NoticeStatus.SKIPPED
    assert channel_state.grants_left(mini, template_id) == 0
    again = send(chair, messenger, key="again", verified=False)
    assert again.detail.endswith("小程序订阅消息没有剩余授权")
    assert len(control.calls("cgi-bin/message/subscribe/send")) == 1  # the refusing user is not asked again


def test_a_refusal_is_told_by_its_errcode_whatever_wechat_says_beside_it(chair, messenger, control):
    mini, template_id = _subscriber(3)
    subscribe = "cgi-bin/message/subscribe/send"
    control("POST", "/standin/faults", json=[
        {"path": subscribe, "errcode": 40003, "errmsg": "user refuse to accept the msg"},
        {"path": subscribe, "errcode": 43101, "errmsg": "rid: 6571a2f3-1c9e0b4d-27e8a1c5"}])
    other = send(chair, messenger, key="other", verified=False)
    assert (other.status, other.errcode) == (NoticeStatus.FAILED, 40003)  # not a refusal: its grant is back
    assert channel_state.grants_left(mini, template_id) == 3
    refused = send(chair, messenger, key="refused", verified=False)
    assert refused.status == NoticeStatus.SKIPPED and "43101 用户拒收" in refused.detail
    assert channel_state.grants_left(mini, template_id) == 0


def test_a_keyword_value_too_long_for_wechat_ends_at_a_clause_break():
    assert notifications.fit("thing2", "还差3项未填、2张照片、会员评家报告（PDF）") == "还差3项未填、2张照片…"
    assert notifications.fit("thing2", "请各单位按时填报验收单，并上传相关影像资料。谢谢配合") == "请各单位按时填报验收单…"
    assert notifications.fit("thing2", "还差14项未填、2张照片") == "还差14项未填、2张照片"  # fits: whole
    # No break in the second half: cut at the limit rather than keep too little.
    title = "2018年职工暖心驿站·房山区良乡镇拱辰大街第一社区驿站"
    assert notifications.fit("thing1", title) == title[:19] + "…"


def test_a_notice_every_channel_refused_keeps_the_deciding_errcode_for_the_ledger_filter(chair, messenger, control):
    _subscriber(1)
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    control("POST", "/standin/faults", json=[
        {"path": "cgi-bin/message/custom/send", "errcode": 45015},
        {"path": "cgi-bin/message/subscribe/send", "errcode": 43101}])
    refused = send(chair, messenger, key="refused", verified=False)
    assert (refused.status, refused.errcode) == (NoticeStatus.SKIPPED, 43101)  # the last refusal decided
    assert "45015" in refused.detail and "43101" in refused.detail  # every refusal still told
    found = ledger_view.ledger({"errcode": 43101}).entries
    assert [e.id for e in found] == [refused.id]
    nothing_refused = send(chair, messenger, key="no-grant", verified=False)
    assert (nothing_refused.status, nothing_refused.errcode) == (NoticeStatus.SKIPPED, None)


def test_a_customer_service_send_that_failed_gives_its_window_message_back(chair, messenger, control):
    # Tencent took no message on a busy (-1) or refused-for-IP (40164) send: the window's five
    # messages are all still there, which on an unverified account is the only official channel.
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/custom/send", "errcode": -1,
                                             "times": notifications.KF_QUOTA})
    for n in range(notifications.KF_QUOTA):
        assert notifications.failed_transiently(send(chair, messenger, key=f"busy{n}", verified=False))
    state = ChannelState.get(identity=Identity.get(openid="o-王建国"))
    assert state.window_sent == 0
    notice = send(chair, messenger, key="calm", verified=False)
    assert (notice.status, notice.channel) == (NoticeStatus.SENT, "customer_service")


def test_a_return_shows_its_rectify_deadline_on_the_template_and_subscribe_cards(world, chair, messenger, control,
                                                                                  tmp_path):
    """A chair reading the card in WeChat's service notifications sees the 整改截止, not only the full text."""
    app = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    review.decide(app, world.system_admin, Decision.RETURN, "补照片", rectify_deadline=dt.date(2018, 7, 20),
                  today=IN_WINDOW)
    told = Notice.get(Notice.kind == "status_changed", Notice.person == chair)
    assert notifications.deliver(told.id, messenger).channel == "template"
    values = [v["value"] for v in control.sent(kind="template")[0]["payload"]["data"].values()]
    assert "整改截止2018年7月20日" in values
    mini = Identity.get(channel=Channel.MINIAPP, openid="m-chair")
    template_id = notifications.templates()["miniapp_subscribe"]["status_changed"]["template_id"]
    channel_state.record_grants(mini, {template_id: "accept"})
    again = notifications.queue(chair, "again", "status_changed", told.payload)
    assert notifications.deliver(again.id, messenger, verified_service_account=False).channel == "subscribe"
    data = control.sent(kind="subscribe")[0]["payload"]["data"]
    assert "整改截止2018年7月20日" in [v["value"] for v in data.values()]
    assert all(len(v["value"]) <= 20 for v in data.values())


def test_a_template_refusal_is_remembered_so_later_notices_go_straight_to_the_next_channel(chair, messenger,
                                                                                            control):
    mini, template_id = _subscriber(3)
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": 43101})
    refused = send(chair, messenger, key="refused")
    assert (refused.status, refused.channel) == (NoticeStatus.SENT, "subscribe")  # moved on at once
    later = send(chair, messenger, key="later")
    assert (later.status, later.channel) == (NoticeStatus.SENT, "subscribe")
    assert len(control.calls("cgi-bin/message/template/send")) == 1  # the refusing user is not asked again
    assert not reach.reachable_without_grant(chair.id, utcnow(), verified=True)
    for n in range(2):
        send(chair, messenger, key=f"used{n}")
    nothing = send(chair, messenger, key="nothing")
    assert nothing.status == NoticeStatus.SKIPPED and "用户已拒收模板消息" in nothing.detail
    assert len(control.calls("cgi-bin/message/template/send")) == 1
    # Following the account again (a subscribe event) is the user's new consent: templates are tried again.
    channel_state.record_follow("o-王建国")
    assert send(chair, messenger, key="again").channel == "template"
