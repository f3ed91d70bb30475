"""Access tokens: one shared token in Redis, expiry, invalidation, bounded retry, stable_token."""
import threading
import time

import pytest
import requests
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat

OFFICIAL = ("wx0000000000000001", "standin-secret-official")


def _raw_token(standin, appid=OFFICIAL[0], secret=OFFICIAL[1]):
    """Fetch a token directly, as another (misbehaving) process would."""
    params = {"grant_type": "client_credential", "appid": appid, "secret": secret}
    return requests.get(standin.url + "/cgi-bin/token", params=params, timeout=5).json()


def _user_info(standin, token):
    """user/info with an explicit token; returns the JSON answer."""
    params = {"access_token": token, "openid": "o1"}
    return requests.get(standin.url + "/cgi-bin/user/info", params=params, timeout=5).json()


def test_two_clients_share_one_token(official, wx_config, redis_client, control):
    """A second client (another process) on the same Redis reuses the first one's token."""
    official.user.get("o1")
    other = wechat.official_client(wx_config, redis_client)
    other.user.get("o1")
    assert len(control.calls("/cgi-bin/token")) == 1
    assert other.access_token == official.access_token


def test_concurrent_clients_fetch_once(wx_config, redis_client, control):
    """Under the Redis lock only one of several simultaneous clients fetches."""
    clients = [wechat.official_client(wx_config, redis_client) for _ in range(5)]
    threads = [threading.Thread(target=client.user.get, args=("o1",)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(control.calls("/cgi-bin/token")) == 1


def test_expired_token_is_refetched_and_call_retried(official, control):
    """42001 mid-conversation: wechatpy-style refetch and one retry, transparently."""
    official.user.get("o1")
    control("POST", "/standin/expire-tokens")
    assert official.user.get("o1")["openid"] == "o1"
    assert [c.get("errcode") for c in control.calls("/cgi-bin/user/info")] == [0, 42001, 0]
    assert len(control.calls("/cgi-bin/token")) == 2


def test_invalid_token_fault_is_recovered(official, control):
    """A 40001 (token replaced elsewhere) is answered by refetching and retrying once."""
    official.user.get("o1")
    control("POST", "/standin/faults", json={"path": "cgi-bin/user/info", "errcode": 40001})
    assert official.user.get("o1")["subscribe"] == 0
    assert len(control.calls("/cgi-bin/token")) == 2


def test_persistent_token_error_is_not_retried_forever(official, control):
    """wechatpy alone would recurse; the product retries exactly once and then raises."""
    control("POST", "/standin/faults",
            json={"path": "cgi-bin/user/info", "errcode": 40001, "times": 50})
    with pytest.raises(WeChatClientException) as caught:
        official.user.get("o1")
    assert caught.value.errcode == 40001
    assert len(control.calls("/cgi-bin/user/info")) == 2


def test_short_lifetime_token_is_refreshed_before_use(standin, official, control):
    """The Redis copy expires with the token, so an expired token is never sent."""
    standin.settings.token_lifetime = 1
    official.user.get("o1")
    time.sleep(1.1)
    official.user.get("o1")
    assert len(control.calls("/cgi-bin/token")) == 2
    assert all(c.get("errcode") == 0 for c in control.calls("/cgi-bin/user/info"))


def test_replaced_token_works_for_300_seconds(standin):
    """A newer fetch leaves the old token valid for the grace period, then 40001."""
    old = _raw_token(standin)["access_token"]
    new = _raw_token(standin)["access_token"]
    assert _user_info(standin, old)["openid"] == "o1"
    standin.state.advance(301)
    assert _user_info(standin, old)["errcode"] == 40001
    assert _user_info(standin, new)["openid"] == "o1"
    standin.state.advance(7200)
    assert _user_info(standin, new)["errcode"] == 42001
    assert _user_info(standin, "made-up")["errcode"] == 40001


def test_bad_credentials(standin, wx_config, redis_client):
    """40013 for an unknown appid, 40125 for a wrong secret; no retry loop on either."""
    assert _raw_token(standin, appid="wx9999")["errcode"] == 40013
    assert _raw_token(standin, secret="nope")["errcode"] == 40125
    client = wechat.SharedTokenClient(OFFICIAL[0], "nope", redis_client, standin.url)
    with pytest.raises(WeChatClientException) as caught:
        client.user.get("o1")
    assert caught.value.errcode == 40125


def test_token_of_the_wrong_app_is_unauthorized(miniapp, control):
    """A mini-program token cannot call official-account APIs (48001)."""
    with pytest.raises(WeChatClientException) as caught:
        miniapp.user.get("o1")
    assert caught.value.errcode == 48001


def test_stable_token(official, control, standin):
    """Same stable token until force_refresh, which kills the old one at once."""
    first = wechat.call_stable_token(official)
    assert wechat.call_stable_token(official)["access_token"] == first["access_token"]
    assert 0 < first["expires_in"] <= 7200
    forced = wechat.call_stable_token(official, force_refresh=True)
    assert forced["access_token"] != first["access_token"]
    assert _user_info(standin, first["access_token"])["errcode"] == 40001
    assert _user_info(standin, forced["access_token"])["openid"] == "o1"
    assert control.calls("/cgi-bin/token") == []
    assert "access_token" not in control.calls("/cgi-bin/stable_token")[0]["query"]


def test_whitelist_fault_on_token_fetch(official, control):
    """40164 (server IP not whitelisted) surfaces from the token fetch."""
    control("POST", "/standin/faults", json={"path": "/cgi-bin/token", "errcode": 40164})
    with pytest.raises(WeChatClientException) as caught:
        official.user.get("o1")
    assert caught.value.errcode == 40164
