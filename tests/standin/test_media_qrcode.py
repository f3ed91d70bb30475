"""Temporary media (3-day life) and parametric QR codes (tickets, images, scans)."""
import io

import pytest
import requests
from PIL import Image
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat
from standin.images import qr_png

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _decode(png):
    """The text of the QR code in a PNG (skips when no independent decoder is installed)."""
    zxingcpp = pytest.importorskip("zxingcpp")
    return zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))[0].text


def test_upload_and_download(official):
    """media/upload returns type/media_id/created_at; media/get returns the bytes."""
    picture = qr_png("photo")
    uploaded = official.media.upload("image", ("photo.png", io.BytesIO(picture), "image/png"))
    assert uploaded["type"] == "image" and uploaded["created_at"] > 0
    response = official.media.download(uploaded["media_id"])
    assert response.content == picture
    assert response.headers["Content-Type"] == "image/png"


def test_upload_retried_after_token_expiry_sends_the_whole_file(official, control):
    """The retry after 42001 rewinds the file (wechatpy alone would upload it empty)."""
    official.user.get("o1")
    control("POST", "/standin/expire-tokens")
    picture = qr_png("retry")
    uploaded = official.media.upload("image", io.BytesIO(picture))
    assert official.media.download(uploaded["media_id"]).content == picture
    assert [c["errcode"] for c in control.calls("/cgi-bin/media/upload")] == [42001, 0]


def test_media_expires_after_three_days(official, control):
    """A user's photo must be fetched within 3 days; then 40007."""
    media_id = control("POST", "/standin/media", data=b"\xff\xd8jpeg",
                       headers={"Content-Type": "image/jpeg"})["media_id"]
    assert official.media.download(media_id).content == b"\xff\xd8jpeg"
    assert control("POST", "/standin/media/age",
                   json={"media_id": media_id, "seconds": 3 * 86400})["aged"] == 1
    for bad in (media_id, "unknown"):
        with pytest.raises(WeChatClientException) as caught:
            official.media.download(bad)
        assert caught.value.errcode == 40007


def test_upload_rejects_bad_type(official):
    """Only image, voice, video and thumb are temporary media types."""
    with pytest.raises(WeChatClientException) as caught:
        official.media.upload("pdf", ("a.pdf", io.BytesIO(b"%PDF"), "application/pdf"))
    assert caught.value.errcode == 40004


def test_permanent_qrcode_and_image(official):
    """A permanent string-scene code: ticket and url; showqrcode is a PNG encoding the url."""
    created = official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                      "action_info": {"scene": {"scene_str": "st.abc"}}})
    assert created["url"].startswith("http://weixin.qq.com/q/")
    assert "expire_seconds" not in created
    png = wechat.show_qrcode(official, created["ticket"])
    assert png.startswith(PNG_SIGNATURE)
    assert _decode(png) == created["url"]
    again = official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                    "action_info": {"scene": {"scene_str": "st.abc"}}})
    assert again["ticket"] == created["ticket"]


def test_temporary_qrcode_expires(official, standin):
    """expire_seconds is capped at 30 days; an expired ticket's image is gone (404)."""
    created = official.qrcode.create({"action_name": "QR_SCENE", "expire_seconds": 9_999_999,
                                      "action_info": {"scene": {"scene_id": 7}}})
    assert created["expire_seconds"] == 2_592_000
    standin.state.advance(2_592_001)
    with pytest.raises(requests.HTTPError) as caught:
        wechat.show_qrcode(official, created["ticket"])
    assert caught.value.response.status_code == 404


@pytest.mark.parametrize("action, scene, errcode", [
    ("QR_LIMIT_STR_SCENE", {"scene_str": "x" * 65}, 40053),
    ("QR_LIMIT_STR_SCENE", {"scene_str": ""}, 40053),
    ("QR_LIMIT_SCENE", {"scene_id": 100_001}, 40053),
    ("QR_WHATEVER", {"scene_id": 1}, 40052),
])
def test_qrcode_validation(official, action, scene, errcode):
    """Scene limits and action names."""
    with pytest.raises(WeChatClientException) as caught:
        official.qrcode.create({"action_name": action, "action_info": {"scene": scene}})
    assert caught.value.errcode == errcode


def test_permanent_qrcode_cap(official, standin):
    """Permanent codes are capped per account (100,000; lowered here) → 45029."""
    standin.settings.permanent_qrcode_limit = 2
    for scene in ("a", "b", "a"):
        official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                "action_info": {"scene": {"scene_str": scene}}})
    with pytest.raises(WeChatClientException) as caught:
        official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                "action_info": {"scene": {"scene_str": "c"}}})
    assert caught.value.errcode == 45029


def test_subscription_account_has_no_qrcodes(official, standin):
    """Parametric codes need a verified 服务号 (48001 otherwise)."""
    standin.settings.verified_service = False
    with pytest.raises(WeChatClientException) as caught:
        official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                "action_info": {"scene": {"scene_str": "a"}}})
    assert caught.value.errcode == 48001


def test_scan_sends_subscribe_then_scan(official, standin, control, echo_factory):
    """A stranger's scan arrives as subscribe + qrscene_<scene>; a follower's as SCAN + <scene>."""
    echo = echo_factory()
    standin.settings.callback_url = echo.url
    created = official.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                      "action_info": {"scene": {"scene_str": "st.abc"}}})
    for _ in range(2):
        result = control("POST", "/standin/qrcode/scan",
                         json={"openid": "o-walker", "url": created["url"]})
        assert result["status"] == 200
    first, second = (entry["message"] for entry in echo.received)
    assert (first.event, first.scene_id, first.ticket) == ("subscribe_scan", "st.abc",
                                                           created["ticket"])
    assert (second.event, second.scene_id) == ("scan", "st.abc")
    assert official.user.get("o-walker")["qr_scene_str"] == "st.abc"
