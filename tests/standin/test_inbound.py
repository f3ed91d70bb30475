"""/standin/inbound: the stand-in delivering user messages and events to our callback URL."""
import base64

import pytest
import requests

from standin.images import qr_png
from tests.standin.conftest import new_aes_key


@pytest.fixture
def echo(standin, echo_factory):
    """A wechatpy-checked callback endpoint, configured as the stand-in's callback URL."""
    endpoint = echo_factory()
    standin.settings.callback_url = endpoint.url
    return endpoint


def test_text_round_trip(echo, control):
    """A text message arrives signed; the reply comes back parsed; the delivery is listed."""
    result = control("POST", "/standin/inbound",
                     json={"openid": "o1", "type": "text", "content": "申报"})
    assert result["status"] == 200 and result["error"] is None
    assert result["reply"]["Content"] == "收到：申报"
    assert result["message"]["ToUserName"] == "gh_standin0001"
    assert echo.received[0]["message"].content == "申报"
    [listed] = control("GET", "/standin/inbound")
    assert listed["message"]["MsgId"] == result["message"]["MsgId"]


def test_safe_mode(standin, echo_factory, control):
    """With an AES key set, the message is encrypted and the encrypted reply decrypted."""
    key = new_aes_key()
    endpoint = echo_factory(aes_key=key)
    control("POST", "/standin/config", json={"callback_url": endpoint.url, "aes_key": key})
    result = control("POST", "/standin/inbound",
                     json={"openid": "o1", "type": "text", "content": "你好"})
    assert result["reply"]["Content"] == "收到：你好"
    assert endpoint.received[0]["args"]["encrypt_type"] == "aes"


def test_retries_resend_the_identical_request(echo, control):
    """retries=2: three deliveries with the same MsgId, nonce and timestamp (for dedupe tests)."""
    result = control("POST", "/standin/inbound",
                     json={"openid": "o1", "type": "text", "content": "x", "retries": 2})
    assert len(result["attempts"]) == 3
    assert len({str(seen["args"]) for seen in echo.received}) == 1
    assert len({seen["message"].id for seen in echo.received}) == 1


def test_image_from_file_registers_media(echo, control, official):
    """file_b64 becomes a media file the product can download with the MediaId it receives."""
    picture = qr_png("a photo")
    control("POST", "/standin/inbound", json={
        "openid": "o1", "type": "image", "content_type": "image/png",
        "file_b64": base64.b64encode(picture).decode()})
    message = echo.received[0]["message"]
    assert official.media.download(message.media_id).content == picture


def test_location_and_location_select(echo, control):
    """Location message (Location_X = latitude) and the menu's location_select event."""
    control("POST", "/standin/inbound", json={
        "openid": "o1", "type": "location", "lat": 39.7, "lng": 116.1, "label": "房山"})
    control("POST", "/standin/inbound", json={
        "openid": "o1", "type": "event", "event": "location_select", "event_key": "WHERE",
        "lat": 39.7, "lng": 116.1, "scale": 16, "label": "房山", "poiname": ""})
    location, selected = (seen["message"] for seen in echo.received)
    assert (location.location_x, location.location_y, location.label) == ("39.7", "116.1", "房山")
    assert selected.location_info["Location_X"] == "39.7"
    assert selected.location_info["Scale"] == "16"


def test_follow_state_follows_events(echo, control, official):
    """subscribe makes user/info say 1; unsubscribe says 0 and 客服 sends are refused."""
    control("POST", "/standin/inbound", json={
        "openid": "o1", "type": "event", "event": "subscribe", "event_key": "qrscene_st.abc"})
    info = official.user.get("o1")
    assert info["subscribe"] == 1 and info["subscribe_scene"] == "ADD_SCENE_QR_CODE"
    control("POST", "/standin/inbound", json={"openid": "o1", "type": "event",
                                              "event": "unsubscribe"})
    assert official.user.get("o1")["subscribe"] == 0
    assert echo.received[0]["message"].scene_id == "st.abc"


def test_without_callback_url(standin, control):
    """No callback URL configured → 409 with a reason."""
    response = requests.post(standin.url + "/standin/inbound", timeout=5,
                             json={"openid": "o1", "type": "text", "content": "x"})
    assert response.status_code == 409


def test_unreachable_callback_is_reported(standin, control):
    """A server that is down shows as status None with an error."""
    standin.settings.callback_url = "http://127.0.0.1:9/wechat"
    result = control("POST", "/standin/inbound",
                     json={"openid": "o1", "type": "text", "content": "x"})
    assert result["status"] is None and result["error"].startswith("connection failed")
