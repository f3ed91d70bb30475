"""Signing in through the stand-in's jscode2session, our own token, the phone-number code."""
import time

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from miniapp_backend.api import sessions
from miniapp_backend.models import Channel, Identity, Person
from miniapp_backend.services import people
from tests.api.conftest import Api


@pytest.fixture
def wx_api(wx_app):
    """The API with WeChat served by the stand-in."""
    return Api(wx_app)


def login_code(control, openid, unionid=None):
    """What wx.login hands the mini-program for this user."""
    return control("POST", "/standin/miniapp/login-code", json={"openid": openid, "unionid": unionid})["code"]


def test_login_returns_our_token_and_keeps_session_key_server_side(wx_api, control, redis_client):
    response = wx_api.post("/auth/login", json={"code": login_code(control, "m-new")})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"token", "expires_in", "person_id"}
    assert "session_key" not in response.get_data(as_text=True)
    assert redis_client.get(sessions.SESSION_KEY_PREFIX + "m-new")
    assert redis_client.ttl(sessions.SESSION_KEY_PREFIX + "m-new") > 0
    identity = Identity.get(channel=Channel.MINIAPP, openid="m-new")
    assert identity.person_id == body["person_id"]
    me = wx_api.get("/me", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200 and me.get_json()["channels"] == ["miniapp"]


def test_login_joins_the_official_account_person_through_unionid(wx_api, control, db):
    chat_person = people.person_for(Channel.OFFICIAL, "o-chat", unionid="u-1")
    body = wx_api.post("/auth/login", json={"code": login_code(control, "m-1", "u-1")}).get_json()
    assert body["person_id"] == chat_person.id


def test_a_used_code_is_refused_in_chinese(wx_api, control):
    code = login_code(control, "m-once")
    assert wx_api.post("/auth/login", json={"code": code}).status_code == 200
    again = wx_api.post("/auth/login", json={"code": code})
    assert again.status_code == 401
    assert again.get_json()["error"]["code"] == "invalid_code"
    assert "wx.login" in again.get_json()["error"]["message"]


def test_wechat_outage_is_a_503_not_a_crash(wx_api, control):
    control("POST", "/standin/faults", json={"path": "/sns/jscode2session", "errcode": -1})
    response = wx_api.post("/auth/login", json={"code": login_code(control, "m-x")})
    assert response.status_code == 503
    assert response.get_json()["error"]["code"] == "wechat_unavailable"


def test_missing_bad_and_forged_tokens_are_401(api, world):
    assert api.get("/me").get_json()["error"]["code"] == "unauthenticated"
    bad = api.get("/me", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and bad.get_json()["error"]["code"] == "invalid_token"
    assert "Bearer" in bad.headers["WWW-Authenticate"]
    forger = URLSafeTimedSerializer("another-key", salt=sessions.TOKEN_SALT)
    forged = forger.dumps({"openid": f"m-{world.chair.id}"})
    assert api.get("/me", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


def test_an_expired_token_is_refused(api, world, monkeypatch):
    issued_long_ago = int(time.time()) - sessions.TOKEN_LIFETIME - 10
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued_long_ago)
        token = api.token(world.chair)
    expired = api.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert expired.status_code == 401 and expired.get_json()["error"]["code"] == "token_expired"
    assert api.get("/me", world.chair).status_code == 200


def test_phone_number_through_the_one_time_code(wx_api, control, world):
    code = control("POST", "/standin/miniapp/phone-code", json={"phone": "13800138000"})["code"]
    response = wx_api.post("/auth/phone", world.chair, json={"code": code})
    assert response.status_code == 200
    assert response.get_json() == {"phone": "13800138000", "country_code": "86"}
    assert Person.get_by_id(world.chair.id).phone == "13800138000"
    again = wx_api.post("/auth/phone", world.chair, json={"code": code})
    assert again.status_code == 422  # not 401: the client must ask for the phone, not sign in again
    assert again.get_json()["error"]["code"] == "invalid_phone_code"
    assert again.get_json()["error"]["message"] == "手机号授权已失效，请重新获取"
