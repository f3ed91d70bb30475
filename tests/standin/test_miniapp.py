"""Mini-program APIs: login codes, phone numbers, mini-program codes, subscribe-message limits."""
import io

import pytest
from PIL import Image
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat
from miniapp_backend.services.channels import SendRefused

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_login_code_works_once(miniapp, control):
    """jscode2session answers openid/session_key (+unionid) once, then 40029."""
    code = control("POST", "/standin/miniapp/login-code",
                   json={"openid": "o-mini-1", "unionid": "u-1"})["code"]
    session = miniapp.wxa.code_to_session(code)
    assert session["openid"] == "o-mini-1" and session["unionid"] == "u-1"
    assert len(session["session_key"]) == 24
    for bad in (code, "never-issued"):
        with pytest.raises(WeChatClientException) as caught:
            miniapp.wxa.code_to_session(bad)
        assert caught.value.errcode == 40029


def test_login_code_expires(miniapp, control, standin):
    """A wx.login code lives five minutes."""
    code = control("POST", "/standin/miniapp/login-code", json={"openid": "o2"})["code"]
    standin.state.advance(301)
    with pytest.raises(WeChatClientException) as caught:
        miniapp.wxa.code_to_session(code)
    assert caught.value.errcode == 40029


def test_phone_number(miniapp, official, control):
    """getuserphonenumber: phone_info with the mini-program's watermark; once; mini-program only."""
    code = control("POST", "/standin/miniapp/phone-code", json={"phone": "13800138000"})["code"]
    info = wechat.get_user_phone_number(miniapp, code)
    assert info["phoneNumber"] == info["purePhoneNumber"] == "13800138000"
    assert info["countryCode"] == "86"
    assert info["watermark"]["appid"] == "wx0000000000000002"
    with pytest.raises(WeChatClientException) as caught:
        wechat.get_user_phone_number(miniapp, code)
    assert caught.value.errcode == 40029
    code = control("POST", "/standin/miniapp/phone-code", json={"phone": "13800138000"})["code"]
    with pytest.raises(WeChatClientException) as caught:
        wechat.get_user_phone_number(official, code)
    assert caught.value.errcode == 48001


def test_wxacode_is_a_png_naming_scene_and_page(miniapp):
    """A valid request returns an image; decoded, it names the scene and page."""
    response = miniapp.wxa.get_wxa_code_unlimited("st=42&k=a.b", page="pages/station/index")
    assert response.headers["Content-Type"] == "image/png"
    assert response.content.startswith(PNG_SIGNATURE)
    zxingcpp = pytest.importorskip("zxingcpp")
    text = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))[0].text
    assert "scene=st%3D42%26k%3Da.b" in text and "page=pages%2Fstation%2Findex" in text


@pytest.mark.parametrize("scene, page, errcode", [
    ("x" * 33, "pages/index/index", 40169),
    ("", "pages/index/index", 40169),
    ("站点1", "pages/index/index", 40129),
    ("a%20b", "pages/index/index", 40129),
    ("ok", "/pages/index/index", 41030),
])
def test_wxacode_validation(miniapp, scene, page, errcode):
    """Scene ≤ 32 of the allowed characters; page without a leading slash."""
    with pytest.raises(WeChatClientException) as caught:
        miniapp.wxa.get_wxa_code_unlimited(scene, page=page)
    assert caught.value.errcode == errcode


def test_wxacode_check_path_against_known_pages(miniapp, standin):
    """With the published pages configured, an unknown page is 41030 unless check_path is off."""
    standin.settings.miniapp_pages = ("pages/index/index",)
    assert miniapp.wxa.get_wxa_code_unlimited("a", page="pages/index/index").content
    with pytest.raises(WeChatClientException) as caught:
        miniapp.wxa.get_wxa_code_unlimited("a", page="pages/new/new")
    assert caught.value.errcode == 41030
    answer = miniapp.post("https://api.weixin.qq.com/wxa/getwxacodeunlimit",
                          data={"scene": "a", "page": "pages/new/new", "check_path": False})
    assert answer.content.startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("data", [
    {"thing1": "一" * 21},
    {"phrase2": "已完成处理中"},
    {"phrase2": "OK"},
    {"number3": "12a"},
    {"thing1": ""},
    {"thing1": {"value": 5}},
])
def test_subscribe_value_limits(official, miniapp, data):
    """thing ≤ 20 characters, phrase ≤ 5 Chinese characters, etc. → 47003."""
    messenger = wechat.WeChatMessenger(official, miniapp)
    with pytest.raises(SendRefused) as caught:
        messenger.send_subscribe("o-mini-1", "TPL-SUB", data)
    assert caught.value.errcode == 47003


def test_subscribe_within_limits_is_recorded(official, miniapp, control):
    """Values at the limits pass and the send is recorded with page and wrapped data."""
    messenger = wechat.WeChatMessenger(official, miniapp)
    data = {"thing1": "一" * 20, "phrase2": "已受理", "time3": "2026-05-01 10:00", "number4": "3"}
    messenger.send_subscribe("o-mini-1", "TPL-SUB", data, page="pages/my/index")
    [sent] = control.sent(openid="o-mini-1", kind="subscribe")
    assert sent["payload"]["data"]["phrase2"] == {"value": "已受理"}
    assert sent["payload"]["page"] == "pages/my/index"
