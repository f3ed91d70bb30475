"""WeChat fixtures for the whole suite: loopback-only network, the stand-in, clients on it."""
import dataclasses
import socket

import pytest
import requests

from miniapp_backend import wechat
from standin import StandinServer, StandinSettings


LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Fail any name lookup other than loopback, so no call can leak to Tencent's real hosts."""
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host, *args, **kwargs):
        """getaddrinfo for loopback names only."""
        name = host.decode() if isinstance(host, bytes) else host
        if name not in LOOPBACK:
            raise OSError(f"test tried to reach {name!r}; only loopback is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)


@pytest.fixture
def standin_settings():
    """Default stand-in settings; a test may change them before `standin` starts."""
    return StandinSettings()


@pytest.fixture
def standin(standin_settings):
    """A fresh stand-in on 127.0.0.1:<free port>, with `.url`, `.settings` and `.state`."""
    with StandinServer(standin_settings) as server:
        yield server


class Control:
    """Calls the stand-in's /standin/ control endpoints and returns their JSON."""

    def __init__(self, base_url):
        """Talk to the stand-in at `base_url`."""
        self.base_url = base_url

    def __call__(self, method, path, **kwargs):
        """One control request; its JSON answer."""
        response = requests.request(method, self.base_url + path, timeout=10, **kwargs)
        return response.json()

    def calls(self, path):
        """The logged API calls to `path`."""
        return self("GET", "/standin/calls", params={"path": path})

    def sent(self, **filters):
        """The recorded messages to users."""
        return self("GET", "/standin/sent", params=filters)


@pytest.fixture
def control(standin):
    """Control-endpoint helper for the running stand-in."""
    return Control(standin.url)


@pytest.fixture
def wx_config(config, standin):
    """The test Config pointed at the stand-in."""
    return dataclasses.replace(config, wechat_api_base_url=standin.url)


@pytest.fixture
def official(wx_config, redis_client):
    """The product's official-account client on the stand-in and the test Redis."""
    return wechat.official_client(wx_config, redis_client)


@pytest.fixture
def miniapp(wx_config, redis_client):
    """The product's mini-program client on the stand-in and the test Redis."""
    return wechat.miniapp_client(wx_config, redis_client)
