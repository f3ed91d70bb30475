"""Short WeChat messages lead to the notice's whole text: the subscribe message opens the notice's
page in the mini-program, the template message links its signed H5 page; forged links are refused."""
import datetime as dt
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from miniapp_backend.clock import utcnow
from miniapp_backend.models import Channel, Identity, NoticeStatus
from miniapp_backend.services import channel_state, notice_links, notifications
from miniapp_backend.services.notice_links import LinkExpired, LinkRefused, ReaderLinks
from miniapp_backend.services.reminders import texts
from miniapp_backend.services.reminders.concerns import Concern

SECRET = "test-secret"
DUE = Concern("home", "2018年区级先进职工之家", 1, "org:1", dt.date(2018, 5, 20), "close", application_id=12)
BASE = "https://zgzj.example.cn"
LONG = ("请各基层工会于5月20日前完成职工之家验收单的填报，并上传盖章页扫描件。"
        "逾期未报的单位视为放弃本年度评选。")




def broadcast(person, key="b1", **extra):
    """A 群发通知 row longer than any template keyword."""
    parts = {**texts.broadcast_parts(LONG, "职工之家建设通知", utcnow()), **extra}
    return notifications.queue(person, key, "broadcast", parts)


def test_a_template_message_links_the_signed_page_of_the_whole_notice(chair, messenger, control):
    notice = broadcast(chair)
    sent = notifications.deliver(notice.id, messenger, links=ReaderLinks(BASE + "/", SECRET))
    assert (sent.status, sent.channel) == (NoticeStatus.SENT, "template")
    [message] = control.sent(kind="template")
    url = message["payload"]["url"]
    assert url.startswith(BASE + notice_links.READER_PATH)
    assert notice_links.notice_id_of(SECRET, url.rsplit("/", 1)[1]) == notice.id
    assert message["payload"]["data"]["thing2"]["value"] != LONG  # the keyword is cut; the page is not


def test_a_notice_with_its_own_url_keeps_it(chair, messenger, control):
    notice = broadcast(chair, url="https://example.cn/own")
    notifications.deliver(notice.id, messenger, links=ReaderLinks(BASE, SECRET))
    assert control.sent(kind="template")[0]["payload"]["url"] == "https://example.cn/own"


def test_a_template_message_opens_the_application_or_the_notice_in_the_mini_program(chair, messenger, control,
                                                                                  wx_config):
    status = notifications.queue(chair, "s1", "status_changed",
                                 {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10 10:00",
                                  "page": "pages/application/detail?id=7"})
    reminder = notifications.queue(chair, "r1", "reminder", texts.reminder_parts(
        DUE, "某某公司工会", None, DUE.deadline))
    notice = broadcast(chair)
    for queued in (status, reminder, notice):
        notifications.deliver(queued.id, messenger, links=ReaderLinks(BASE, SECRET))
    sent = control.sent(kind="template")
    assert [m["payload"]["miniprogram"] for m in sent] == [
        {"appid": wx_config.miniapp_appid, "pagepath": "pages/application/detail?id=7"},
        {"appid": wx_config.miniapp_appid, "pagepath": "pages/application/detail?id=12"},
        {"appid": wx_config.miniapp_appid, "pagepath": f"pages/notices/detail?id={notice.id}"}]
    assert all(m["payload"]["url"].startswith(BASE + notice_links.READER_PATH) for m in sent)  # older clients


def test_a_notice_with_its_own_url_opens_it_not_the_mini_program(chair, messenger, control):
    notice = broadcast(chair, url="https://example.cn/own")
    notifications.deliver(notice.id, messenger, links=ReaderLinks(BASE, SECRET))
    assert "miniprogram" not in control.sent(kind="template")[0]["payload"]


def test_a_subscribe_message_opens_the_notice_unless_its_kind_names_a_page_to_act_on(chair, messenger, control):
    mini = Identity.get(channel=Channel.MINIAPP, openid="m-chair")
    subscribe = notifications.templates()["miniapp_subscribe"]
    channel_state.record_grants(mini, {subscribe["broadcast"]["template_id"]: "accept",
                                       subscribe["status_changed"]["template_id"]: "accept"})
    notice = broadcast(chair)
    assert notifications.deliver(notice.id, messenger, verified_service_account=False).channel == "subscribe"
    status = notifications.queue(chair, "s1", "status_changed",
                                 {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10 10:00",
                                  "detail": "审核通过", "page": "pages/application/detail?id=7"})
    notifications.deliver(status.id, messenger, verified_service_account=False)
    pages = [m["payload"]["page"] for m in control.sent(kind="subscribe")]
    assert pages == [f"pages/notices/detail?id={notice.id}", "pages/application/detail?id=7"]


def test_tokens_name_their_notice_and_refuse_tampering_other_keys_and_other_salts():
    token = notice_links.reader_token(SECRET, 42)
    assert notice_links.notice_id_of(SECRET, token) == 42
    head, stamp, signature = token.split(".")
    forged_id = URLSafeTimedSerializer(SECRET, salt="x").dumps(43).split(".")[0]
    for bad in (f"{forged_id}.{stamp}.{signature}", token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
                notice_links.reader_token("another-key", 42),
                URLSafeTimedSerializer(SECRET, salt="api.v1.session").dumps(42), "", "42"):
        with pytest.raises(LinkRefused) as refused:
            notice_links.notice_id_of(SECRET, bad)
        assert not isinstance(refused.value, LinkExpired)


def test_an_old_link_is_expired_not_invalid(monkeypatch):
    issued_long_ago = int(time.time()) - notice_links.LINK_LIFETIME - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued_long_ago)
        token = notice_links.reader_token(SECRET, 42)
    with pytest.raises(LinkExpired):
        notice_links.notice_id_of(SECRET, token)


def test_a_customer_service_text_too_long_for_chat_ends_with_the_link_to_the_whole(chair, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    long_text = "【职工之家建设通知】" + "请各基层工会按时完成验收单的填报并上传盖章页扫描件。\n" * 80
    short = broadcast(chair, key="short")
    long = notifications.queue(chair, "long", "broadcast", {"text": long_text, "title": "职工之家建设通知"})
    for notice in (short, long):
        assert notifications.deliver(notice.id, messenger, links=ReaderLinks(BASE, SECRET)).channel == "customer_service"
    whole, cut = (m["payload"]["text"]["content"] for m in control.sent(kind="custom"))
    assert whole == short.payload["text"]  # whole: no link needed
    assert len(cut.encode("utf-8")) <= notifications.KF_TEXT_BYTES
    head, link = cut.rsplit("完整内容：", 1)
    assert head.endswith("扫描件。……\n（内容较长，")  # a whole line, then the pointer
    assert notice_links.notice_id_of(SECRET, link.rstrip("）").rsplit("/", 1)[1]) == long.id
