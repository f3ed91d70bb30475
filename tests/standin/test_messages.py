"""WeChatMessenger on the stand-in: sends are recorded; every refusal surfaces as SendRefused."""
import dataclasses
import time

import pytest
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat
from miniapp_backend.services.channels import SendRefused, SendUnconfirmed

PATHS = {
    "custom": "cgi-bin/message/custom/send",
    "template": "cgi-bin/message/template/send",
    "subscribe": "cgi-bin/message/subscribe/send",
}


@pytest.fixture
def messenger(wx_config, redis_client):
    """The product's Messenger, with a short HTTP timeout for the slow-answer test."""
    return wechat.WeChatMessenger(wechat.official_client(wx_config, redis_client, timeout=0.5),
                                  wechat.miniapp_client(wx_config, redis_client, timeout=0.5))


def _send(messenger, kind, openid="o-user-1"):
    """One send of `kind` with plausible content."""
    if kind == "custom":
        messenger.send_customer_text(openid, "您的申报已受理")
    elif kind == "template":
        messenger.send_template(openid, "TPL-1", {"thing1": "申报受理", "time2": "2026-05-01"},
                                url="https://example.org/x")
    else:
        messenger.send_subscribe(openid, "TPL-SUB", {"thing1": "申报受理"})


def test_each_kind_is_recorded(messenger, control):
    """custom, template and subscribe sends land in /standin/sent with their payloads."""
    for kind in PATHS:
        _send(messenger, kind)
    custom, template, subscribe = control.sent(openid="o-user-1")
    assert custom["kind"] == "custom"
    assert custom["payload"]["text"] == {"content": "您的申报已受理"}
    assert template["payload"]["data"]["thing1"] == {"value": "申报受理"}
    assert template["payload"]["url"] == "https://example.org/x"
    assert subscribe["kind"] == "subscribe"
    assert control.sent(kind="template") == [template]
    control("DELETE", "/standin/sent")
    assert control.sent() == []


@pytest.mark.parametrize("kind", list(PATHS))
@pytest.mark.parametrize("errcode", [45015, 45047, 43101, 40164, 48001, -1])
def test_faults_surface_as_send_refused(messenger, control, kind, errcode):
    """Each fault errcode comes back as SendRefused with that errcode, nothing is recorded, and
    the next send is tried again (a daily quota, 45009, is not: see below)."""
    control("POST", "/standin/faults", json={"path": PATHS[kind], "errcode": errcode})
    with pytest.raises(SendRefused) as caught:
        _send(messenger, kind)
    assert caught.value.errcode == errcode
    assert control.sent() == []
    _send(messenger, kind)
    assert len(control.sent(kind=kind)) == 1


@pytest.mark.parametrize("kind", list(PATHS))
def test_a_daily_quota_used_up_is_not_called_again_before_midnight(messenger, control, redis_client, kind):
    """After a 45009 every send of that interface is refused at once, in every process, until
    Tencent renews the quota at midnight Beijing time; the other interfaces are still called."""
    control("POST", "/standin/faults", json={"path": PATHS[kind], "errcode": 45009})
    for openid in ("o-user-1", "o-user-2", "o-user-3"):
        with pytest.raises(SendRefused) as caught:
            _send(messenger, kind, openid)
        assert caught.value.errcode == 45009
    assert len(control.calls(PATHS[kind])) == 1
    mark = wechat.QUOTA_OUT_KEY.format(appid=(messenger.miniapp if kind == "subscribe" else messenger.official).appid,
                                       interface=kind)
    assert 0 < redis_client.ttl(mark) <= 24 * 3600
    for other in set(PATHS) - {kind}:
        _send(messenger, other)
    redis_client.delete(mark)  # midnight
    _send(messenger, kind)
    assert len(control.sent(kind=kind)) == 1


def test_fault_for_one_openid_only(messenger, control):
    """A fault bound to an openid spares other users."""
    control("POST", "/standin/faults",
            json={"path": PATHS["custom"], "errcode": 45015, "openid": "o-blocked", "times": 2})
    _send(messenger, "custom", "o-other")
    with pytest.raises(SendRefused):
        _send(messenger, "custom", "o-blocked")
    assert len(control("GET", "/standin/faults")) == 1
    control("DELETE", "/standin/faults")
    _send(messenger, "custom", "o-blocked")


def test_an_answer_slower_than_the_timeout_leaves_a_send_unconfirmed_though_it_arrived(messenger, control):
    """A read timeout: the request went out and, as Tencent may, the stand-in still delivers it;
    the send is SendUnconfirmed, not a failure worth repeating."""
    control("POST", "/standin/faults", json={"path": PATHS["template"], "delay": 1.0})
    with pytest.raises(SendUnconfirmed):
        _send(messenger, "template")
    deadline = time.monotonic() + 5
    while not control.sent(kind="template"):
        assert time.monotonic() < deadline, "the stand-in never carried out the send"
        time.sleep(0.05)


@pytest.mark.parametrize("kind", list(PATHS))
def test_a_server_error_after_the_send_was_carried_out_leaves_it_unconfirmed(messenger, control, kind):
    """A 502 from a gateway that lost Tencent's answer: the message arrived, so SendUnconfirmed."""
    control("POST", "/standin/faults", json={"path": PATHS[kind], "http_status": 502, "carried_out": True})
    with pytest.raises(SendUnconfirmed) as caught:
        _send(messenger, kind)
    assert caught.value.http_status == 502 and len(control.sent(kind=kind)) == 1


def test_a_server_error_on_the_token_fetch_is_a_failure_as_nothing_was_sent(messenger, control):
    """Only the token fetch got a 502: the send never went out, so SendRefused(-1), worth repeating."""
    control("POST", "/standin/faults", json={"path": "cgi-bin/token", "http_status": 502})
    with pytest.raises(SendRefused) as caught:
        _send(messenger, "custom")
    assert caught.value.errcode == -1 and not control.sent()


def test_a_slow_token_fetch_is_a_transport_failure_as_nothing_was_sent(messenger, control):
    """Only the token fetch timed out: the send never went out, so SendRefused(-1), Tencent's "busy"."""
    control("POST", "/standin/faults", json={"path": "cgi-bin/token", "delay": 1.0})
    with pytest.raises(SendRefused) as caught:
        _send(messenger, "custom")
    assert caught.value.errcode == -1 and not control.sent()


def test_a_refused_connection_is_a_transport_failure(messenger, wx_config, redis_client):
    """Nothing listens (the token is already shared in Redis): SendRefused(-1), nothing was sent."""
    _send(messenger, "custom")
    gone = dataclasses.replace(wx_config, wechat_api_base_url="http://127.0.0.1:9")
    offline = wechat.WeChatMessenger(wechat.official_client(gone, redis_client),
                                     wechat.miniapp_client(gone, redis_client))
    with pytest.raises(SendRefused) as caught:
        _send(offline, "template")
    assert caught.value.errcode == -1


def test_unsubscribed_user_is_refused(messenger, control):
    """After an unsubscribe the stand-in refuses 客服 (45015) and template (43004) sends."""
    control("POST", "/standin/users", json={"openid": "o-gone", "unsubscribe_time": 1})
    with pytest.raises(SendRefused) as custom:
        _send(messenger, "custom", "o-gone")
    with pytest.raises(SendRefused) as template:
        _send(messenger, "template", "o-gone")
    assert (custom.value.errcode, template.value.errcode) == (45015, 43004)


def test_subscription_account_has_no_template_api(messenger, standin):
    """An unverified/订阅号 account answers 48001 to template sends."""
    standin.settings.verified_service = False
    with pytest.raises(SendRefused) as caught:
        _send(messenger, "template")
    assert caught.value.errcode == 48001


def test_a_template_opens_the_configured_mini_program_page_and_keeps_the_url(messenger, control, wx_config):
    """The template send API's `miniprogram` field, recorded as WeChat receives it."""
    messenger.send_template("o-user-1", "TPL-1", {"thing1": "申报受理"}, url="https://example.org/x",
                            page="pages/application/detail?id=7")
    [sent] = control.sent(kind="template")
    assert sent["payload"]["miniprogram"] == {"appid": wx_config.miniapp_appid,
                                              "pagepath": "pages/application/detail?id=7"}
    assert sent["payload"]["url"] == "https://example.org/x"


def test_without_a_mini_program_a_template_links_the_url_only(control, wx_config, redis_client):
    none = dataclasses.replace(wx_config, miniapp_appid="")
    messenger = wechat.WeChatMessenger(wechat.official_client(none, redis_client),
                                       wechat.miniapp_client(none, redis_client))
    messenger.send_template("o-user-1", "TPL-1", {"thing1": "申报受理"}, url="https://example.org/x",
                            page="pages/application/detail?id=7")
    [sent] = control.sent(kind="template")
    assert "miniprogram" not in sent["payload"] and sent["payload"]["url"] == "https://example.org/x"


@pytest.mark.parametrize("target, errcode", [
    ({"appid": "wx-not-bound", "pagepath": "pages/index/index"}, 40013),
    ("pages/index/index", 40013),
    ({"appid": "wx0000000000000002", "pagepath": "/pages/index/index"}, 40165),
    ({"appid": "wx0000000000000002", "pagepath": "pages/unreleased/index"}, 40165),
])
def test_the_stand_in_refuses_a_jump_to_another_or_an_unreleased_mini_program_page(
        official, control, standin, target, errcode):
    standin.settings.miniapp_pages = ("pages/index/index", "pages/application/detail")
    with pytest.raises(WeChatClientException) as caught:
        official.message.send_template("o-user-1", "TPL-1", {"thing1": {"value": "申报受理"}}, mini_program=target)
    assert caught.value.errcode == errcode
    assert control.sent() == []
    official.message.send_template("o-user-1", "TPL-1", {"thing1": {"value": "申报受理"}}, mini_program={
        "appid": "wx0000000000000002", "pagepath": "pages/application/detail?id=7"})
    assert len(control.sent(kind="template")) == 1
