"""CallbackClient against a loopback endpoint that checks everything with wechatpy."""
import re

import pytest
from defusedxml import DefusedXmlException

from standin.callback import CallbackClient, build_xml, parse_xml
from tests.standin.conftest import new_aes_key

APPID, TOKEN = "wx0000000000000001", "standintoken"


def _client(echo, **kwargs):
    """A callback client aimed at `echo` with its token and key."""
    return CallbackClient(echo.url, echo.token, echo.appid, echo.aes_key, **kwargs)


def test_verify_echoes_echostr(echo_factory):
    """The server-URL check passes wechatpy's signature check."""
    echo = echo_factory()
    assert _client(echo).verify("shr5ch") == "shr5ch"


def test_text_plain_mode_query_and_reply(echo_factory):
    """Plain mode: signature/timestamp/nonce/openid in the query, XML in Tencent's shape."""
    echo = echo_factory()
    result = _client(echo).text("o-user-1", "申报", msg_id=6054768590064713728)
    assert result.status == 200 and result.error is None
    assert result.reply["Content"] == "收到：申报"
    assert result.reply["ToUserName"] == "o-user-1"
    seen = echo.received[0]
    assert set(seen["args"]) == {"signature", "timestamp", "nonce", "openid"}
    assert seen["args"]["openid"] == "o-user-1"
    assert seen["xml"].startswith("<xml><ToUserName><![CDATA[gh_standin0001]]></ToUserName>\n")
    assert re.search(r"\n<CreateTime>\d+</CreateTime>\n<MsgType><!\[CDATA\[text\]\]></MsgType>\n",
                     seen["xml"])
    assert "<MsgId>6054768590064713728</MsgId>" in seen["xml"]
    assert seen["message"].id == 6054768590064713728


def test_safe_mode_is_decrypted_by_wechatpy(echo_factory):
    """Safe mode: encrypt_type=aes and msg_signature; the encrypted reply is verified and read."""
    echo = echo_factory(aes_key=new_aes_key())
    result = _client(echo).text("o-user-1", "你好")
    assert result.error is None and result.reply["Content"] == "收到：你好"
    seen = echo.received[0]
    assert seen["args"]["encrypt_type"] == "aes" and "msg_signature" in seen["args"]
    assert "<Encrypt>" in result.body and "你好" not in result.body
    assert seen["message"].content == "你好"


def test_safe_mode_rejects_a_plaintext_reply(echo_factory):
    """WeChat drops an unencrypted reply in safe mode; the client reports it."""
    echo = echo_factory(aes_key=new_aes_key())
    echo.encrypt_replies = False
    result = _client(echo).text("o-user-1", "hi")
    assert result.reply is None and result.error == "safe mode needs an encrypted reply"


def test_wrong_token_is_refused_by_the_server(echo_factory):
    """A bad signature gets 403 from the wechatpy-checked endpoint."""
    echo = echo_factory()
    result = CallbackClient(echo.url, "wrong", APPID).text("o1", "x")
    assert result.status == 403 and result.error == "HTTP 403"


def test_resend_is_identical(echo_factory):
    """WeChat's retry repeats the exact request: same nonce, timestamp, MsgId and body."""
    echo = echo_factory(aes_key=new_aes_key())
    client = _client(echo)
    first = client.text("o1", "重复")
    client.resend(first)
    one, two = echo.received
    assert one["args"] == two["args"]
    assert one["message"].id == two["message"].id


MESSAGES = [
    (lambda c: c.image("o1", "MEDIA1", "http://mmbiz.qpic.cn/x"), "image",
     {"media_id": "MEDIA1", "image": "http://mmbiz.qpic.cn/x"}),
    (lambda c: c.voice("o1", "V1", recognition="你好"), "voice",
     {"media_id": "V1", "format": "amr", "recognition": "你好"}),
    (lambda c: c.video("o1", "VID", "THUMB"), "video",
     {"media_id": "VID", "thumb_media_id": "THUMB"}),
    (lambda c: c.shortvideo("o1", "SV", "T"), "shortvideo", {"media_id": "SV"}),
    (lambda c: c.location("o1", 39.7, 116.1, 15, "北京市房山区"), "location",
     {"location_x": "39.7", "location_y": "116.1", "scale": "15", "label": "北京市房山区"}),
    (lambda c: c.link("o1", "标题", "描述", "https://example.org/a"), "link",
     {"title": "标题", "url": "https://example.org/a"}),
]


@pytest.mark.parametrize("send, kind, expected", MESSAGES)
def test_message_types_parse_in_wechatpy(echo_factory, send, kind, expected):
    """Each message type arrives as wechatpy's matching message class with its fields."""
    echo = echo_factory()
    assert send(_client(echo)).status == 200
    message = echo.received[0]["message"]
    assert message.type == kind
    for name, value in expected.items():
        assert getattr(message, name) == value


EVENTS = [
    ({"event": "subscribe"}, "subscribe", {}),
    ({"event": "subscribe", "event_key": "qrscene_st.abc", "ticket": "T1"}, "subscribe_scan",
     {"scene_id": "st.abc", "ticket": "T1"}),
    ({"event": "unsubscribe"}, "unsubscribe", {}),
    ({"event": "SCAN", "event_key": "st.abc", "ticket": "T1"}, "scan", {"scene_id": "st.abc"}),
    ({"event": "LOCATION", "latitude": 39.9, "longitude": 116.4, "precision": 30.0}, "location",
     {"latitude": 39.9, "longitude": 116.4}),
    ({"event": "CLICK", "event_key": "NEARBY"}, "click", {"key": "NEARBY"}),
    ({"event": "VIEW", "event_key": "https://example.org/", "menu_id": 101}, "view",
     {"url": "https://example.org/"}),
    ({"event": "scancode_push", "event_key": "SCAN1", "scan_result": "hello"}, "scancode_push",
     {"scan_type": "qrcode", "scan_result": "hello"}),
    ({"event": "pic_sysphoto", "event_key": "PHOTO", "pic_md5s": ["abc", "def"]}, "pic_sysphoto",
     {"count": 2}),
    ({"event": "location_select", "event_key": "WHERE", "lat": 39.7, "lng": 116.1,
      "label": "房山", "poiname": "驿站"}, "location_select",
     {"location_x": "39.7", "location_y": "116.1", "label": "房山", "poiname": "驿站"}),
    ({"event": "TEMPLATESENDJOBFINISH", "msg_id": 200163836, "status": "success"},
     "templatesendjobfinish", {"id": 200163836, "status": "success"}),
]


@pytest.mark.parametrize("fields, kind, expected", EVENTS)
def test_events_parse_in_wechatpy(echo_factory, fields, kind, expected):
    """Each event arrives as wechatpy's matching event class, in plain and safe mode."""
    for aes_key in (None, new_aes_key()):
        echo = echo_factory(aes_key=aes_key)
        spec = dict(fields)
        result = _client(echo).event("o1", spec.pop("event"), **spec)
        assert result.status == 200 and result.reply is None
        message = echo.received[0]["message"]
        assert (message.type, message.event) == ("event", kind)
        for name, value in expected.items():
            assert getattr(message, name) == value
        assert "<MsgId>" not in echo.received[0]["xml"]


def test_build_xml_shapes():
    """Strings in CDATA (']]>' split), numbers bare, lists as <item>."""
    xml = build_xml({"A": "x]]>y", "B": 5, "C": {"PicList": [{"M": "1"}, {"M": "2"}]}})
    assert "<A><![CDATA[x]]]]><![CDATA[>y]]></A>" in xml and "<B>5</B>" in xml
    assert parse_xml(xml) == {"A": "x]]>y", "B": "5",
                              "C": {"PicList": {"item": [{"M": "1"}, {"M": "2"}]}}}


def test_parse_xml_refuses_entities():
    """defusedxml stops entity expansion."""
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><A>&a;</A></xml>'
    with pytest.raises(DefusedXmlException):
        parse_xml(bomb)
