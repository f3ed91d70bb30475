"""The /wechat edge: verification, signatures, freshness, replays, size, XML safety, safe mode."""
import base64
import dataclasses
import time

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bots import clock, dedupe, dispatch
from bots.conversation import replies
from miniapp_backend.app import create_app
from miniapp_backend.models import Answer, ChannelState
from standin import crypto as wx_crypto
from standin.callback import CallbackClient
from tests.bots.conftest import BOT_NOW, WeChatUser
from tests.bots.flows import pick_kind

TOKEN = "standintoken"
AES_KEY = base64.b64encode(b"k" * 32).decode()[:43]


def signed(timestamp=None, nonce="123456"):
    """Query parameters signed with the test token."""
    timestamp = str(timestamp or int(time.time()))
    return {"signature": wx_crypto.signature(TOKEN, timestamp, nonce), "timestamp": timestamp,
            "nonce": nonce}


def text_xml(user, content="你好", msg_id=None):
    """A text message's XML."""
    fields = user.builder.message_fields(user.openid, "text", {"Content": content}, msg_id)
    return CallbackClient.build_xml(fields)


def test_url_verification_echoes_only_when_signed(bot_app):
    client = bot_app.test_client()
    assert client.get("/wechat", query_string={**signed(), "echostr": "e123"}).text == "e123"
    forged = {**signed(), "signature": "0" * 40, "echostr": "e123"}
    assert client.get("/wechat", query_string=forged).status_code == 403
    stale = {**signed(int(time.time()) - 3600), "echostr": "e123"}
    assert client.get("/wechat", query_string=stale).status_code == 403


def test_refuses_bad_signature_stale_timestamp_and_oversize(world, wechat_user):
    user = wechat_user("o-王建国")
    xml = text_xml(user)
    query, body = user.request(xml)
    assert user.post_raw({**query, "signature": "f" * 40}, body).status_code == 403
    assert user.post_raw(*user.request(xml, timestamp=int(time.time()) - 301)).status_code == 403
    assert user.post_raw(*user.request(xml, timestamp="soon")).status_code == 400
    huge = xml.replace("你好", "好" * 30000)
    assert user.post_raw(*user.request(huge)).status_code == 413


def test_a_nonce_comes_back_only_with_its_own_body(world, wechat_user):
    user = wechat_user("o-王建国")
    query, body = user.request(text_xml(user, "帮助"), nonce="777")
    first = user.post_raw(query, body)
    assert first.status_code == 200
    assert user.post_raw(query, body).text == first.text  # WeChat's retry: same answer
    other = text_xml(user, "申报")
    assert user.post_raw(user.request(other, nonce="777")[0], other).status_code == 403


def test_entities_and_non_wechat_xml_are_refused(world, wechat_user):
    user = wechat_user("o-王建国")
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>'
            "<xml><ToUserName>gh</ToUserName><FromUserName>o-x</FromUserName><CreateTime>1</CreateTime>"
            "<MsgType>text</MsgType><Content>&a;</Content><MsgId>1</MsgId></xml>")
    assert user.post_raw(*user.request(bomb)).status_code == 400
    assert user.post_raw(*user.request("not xml at all")).status_code == 400
    assert user.post_raw(*user.request("<xml><Foo>1</Foo></xml>")).status_code == 400


def test_a_retried_answer_does_not_advance_two_items(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.say("否")  # item 1
    fields = user.builder.message_fields(user.openid, "text", {"Content": "否"}, msg_id=4242)
    first = user.send(fields)
    assert "第2项已记录" in first.text and "第3/21项" in first.text
    again = user.send(fields)  # WeChat retries with a fresh nonce: the MsgId decides
    assert again.text == first.text
    assert Answer.select().where(Answer.key.contains("item.")).count() == 2
    assert "未答：第3-21项" in user.say("进度")


def test_events_dedupe_by_sender_and_create_time(world, wechat_user, redis_client):
    user = wechat_user("o-someone")
    fields = user.builder.event_fields(user.openid, "CLICK", event_key="HOTLINE")
    first = user.send(fields)
    assert "12351" in first.text
    assert user.send(fields).raw == first.raw  # the cached answer, not a second turn
    assert redis_client.exists(dedupe.KEY.format(f"ev:{user.openid}:{fields['CreateTime']}:click:HOTLINE"))


def test_safe_mode_round_trip_and_refusals(config, db, redis_client, world):
    app = create_app(dataclasses.replace(config, wechat_aes_key=AES_KEY))
    app.config[clock.NOW_SETTING] = BOT_NOW
    user = WeChatUser(app.test_client(), "o-王建国", aes_key=AES_KEY)
    assert "填报时随时可以回复" in user.say("帮助")
    listing = user.say("申报")
    assert "可申报" in listing
    wrong_app = WeChatUser(app.test_client(), "o-王建国", aes_key=AES_KEY, appid="wx-other")
    assert wrong_app.send(wrong_app.builder.message_fields("o-王建国", "text", {"Content": "x"})).status == 400
    query, body = user.request(text_xml(user))
    assert user.post_raw({**query, "msg_signature": "0" * 40}, body).status_code == 403


def test_safe_mode_refuses_bad_padding(config, db, redis_client):
    app = create_app(dataclasses.replace(config, wechat_aes_key=AES_KEY))
    user = WeChatUser(app.test_client(), "o-x", aes_key=AES_KEY)
    key = base64.b64decode(AES_KEY + "=")
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    encrypt = base64.b64encode(encryptor.update(b"\x00" * 63 + b"\x40") + encryptor.finalize()).decode()
    query = signed(nonce="pad1")
    query.update(encrypt_type="aes", msg_signature=wx_crypto.msg_signature(
        TOKEN, query["timestamp"], query["nonce"], encrypt))
    body = CallbackClient.build_xml({"ToUserName": "gh", "Encrypt": encrypt})
    assert user.post_raw(query, body).status_code == 400


def test_encrypted_request_without_a_key_is_refused(bot_app, wechat_user):
    plain = wechat_user("o-x")
    secret = WeChatUser(bot_app.test_client(), "o-x", aes_key=AES_KEY)
    assert secret.send(secret.builder.message_fields("o-x", "text", {"Content": "hi"})).status == 400
    assert plain.say("12351").startswith("北京12351职工服务热线")


def test_a_failing_handler_apologises_instead_of_500(world, wechat_user, monkeypatch):
    monkeypatch.setitem(dispatch.registry.messages, "text", lambda *_: 1 / 0)
    user = wechat_user("o-王建国")
    assert user.say("你好") == replies.BUSY


def test_inbound_messages_open_the_customer_service_window(world, wechat_user):
    user = wechat_user("o-newcomer")
    user.say("你好")
    assert ChannelState.select().count() == 1
    user.event("TEMPLATESENDJOBFINISH", status="success")
    user.event("unsubscribe")
    assert ChannelState.get().unsubscribed_at is not None


def test_unknown_person_gets_public_keywords_never_a_checklist(wechat_user, db, redis_client):
    user = wechat_user("o-passer-by")
    for reply in (user.say("申报"), user.event("CLICK", event_key="FILL").text):
        assert "您还没有绑定单位" in reply and "绑定 邀请码" in reply
