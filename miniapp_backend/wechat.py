"""WeChat clients for the product: one shared access token per app, and the Messenger over them.

WECHAT_API_BASE_URL (when set) sends every call to another host (the local stand-in, or an
egress relay): wechatpy 1.8.18 hard-codes Tencent's hosts, so that is done at the HTTP layer.
"""
import threading
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.redisstorage import RedisStorage

from miniapp_backend.clock import local_end_of_day_utc, local_today, utcnow
from miniapp_backend.services.channels import (
    DAILY_QUOTA, SYSTEM_BUSY, TOKEN_ERRORS, SendRefused, SendUnconfirmed)

TENCENT_HOSTS = ("https://api.weixin.qq.com/", "https://mp.weixin.qq.com/")
HTTP_TIMEOUT = 10.0
TOKEN_MARGIN = 60  # stop using a token this many seconds before Tencent expires it
# Once an interface's daily quota is used up, every call before midnight would only be refused
# again, so none is made (one key per app and interface).
QUOTA_OUT_KEY = "wechat:quota-out:{appid}:{interface}"
QUOTA_OUT_MESSAGE = "daily quota used up earlier today; not called again before midnight"


class RewritingAdapter(HTTPAdapter):
    """Sends requests for Tencent's hosts to `base_url` and gives every request a timeout."""

    def __init__(self, base_url="", timeout=HTTP_TIMEOUT, **kwargs):
        """Rewrite to `base_url` when set; `timeout` is the default for every request."""
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        self.timeout = timeout

    def send(self, request, **kwargs):
        """Rewrite Tencent's host to base_url, then send as usual."""
        host = next((h for h in TENCENT_HOSTS if request.url.startswith(h)), None)
        if self.base_url and host:
            request.url = self.base_url + request.url[len(host):]
        # wechatpy's token fetch passes no timeout at all; never wait forever.
        kwargs["timeout"] = kwargs.get("timeout") or self.timeout
        return super().send(request, **kwargs)


class SharedTokenClient(WeChatClient):
    """A WeChatClient whose access token lives in Redis; one process at a time fetches it."""

    def __init__(self, appid, secret, redis, base_url="", timeout=HTTP_TIMEOUT):
        """A client for `appid` with its token in `redis` and calls sent to `base_url` if set."""
        # auto_retry=False: wechatpy's own retry refetches without a bound; ours retries once.
        super().__init__(appid, secret, session=RedisStorage(redis, prefix=f"wechat:{appid}"),
                         timeout=timeout, auto_retry=False)
        self._redis = redis
        self._local = threading.local()
        self._http.mount("https://", RewritingAdapter(base_url, timeout))

    @property
    def access_token(self):
        """The shared token, fetched first when no process has stored one."""
        return self.session.get(self.access_token_key) or self.fetch_access_token()["access_token"]

    def fetch_access_token(self, rejected=None):
        """Fetch under a Redis lock unless the store got a token other than `rejected` meanwhile."""
        lock = self._redis.lock(f"wechat:token-lock:{self.appid}", timeout=10, blocking_timeout=10)
        with lock:
            current = self.session.get(self.access_token_key)
            if current and current != rejected:
                return {"access_token": current}
            result = super().fetch_access_token()
            expires_in = int(result.get("expires_in", 7200))
            ttl = max(expires_in - min(TOKEN_MARGIN, expires_in // 10), 1)
            self.session.set(self.access_token_key, result["access_token"], ttl)
            return result

    def _handle_result(self, res, method=None, url=None, result_processor=None, **kwargs):
        """On a rejected token, refresh it and retry the call once (never in a loop)."""
        result = res if isinstance(res, dict) else self._decode_result(res)
        errcode = int(result.get("errcode", 0)) if isinstance(result, dict) else 0
        params = kwargs.get("params")
        if errcode not in TOKEN_ERRORS or not isinstance(params, dict) or getattr(
                self._local, "retrying", False):
            return super()._handle_result(res, method, url, result_processor, **kwargs)
        self.fetch_access_token(rejected=params.get("access_token"))
        params["access_token"] = self.access_token
        _rewind(kwargs.get("files"))
        self._local.retrying = True
        try:
            return self._request(method, url, result_processor=result_processor, **kwargs)
        finally:
            self._local.retrying = False


def _rewind(files):
    """Seek uploaded files back to the start: the first attempt read them to the end."""
    for value in (files or {}).values():
        stream = value[1] if isinstance(value, tuple) else value
        if hasattr(stream, "seek"):
            stream.seek(0)


def official_client(config, redis, timeout=HTTP_TIMEOUT):
    """The official account's client (公众号)."""
    return SharedTokenClient(config.wechat_appid, config.wechat_secret, redis,
                             config.wechat_api_base_url, timeout)


def miniapp_client(config, redis, timeout=HTTP_TIMEOUT):
    """The mini-program's client; wechatpy serves it with WeChatClient and its `wxa` API."""
    return SharedTokenClient(config.miniapp_appid, config.miniapp_secret, redis,
                             config.wechat_api_base_url, timeout)


def call_stable_token(client, force_refresh=False):
    """cgi-bin/stable_token through the client's transport; returns access_token, expires_in."""
    # access_token=None: requests drops it, so no token is fetched in order to fetch one.
    return client.post("stable_token", params={"access_token": None}, data={
        "grant_type": "client_credential", "appid": client.appid, "secret": client.secret,
        "force_refresh": force_refresh})


def get_user_phone_number(client, code):
    """Exchange a getPhoneNumber code for phone_info (phoneNumber, purePhoneNumber, ...)."""
    result = client.post("https://api.weixin.qq.com/wxa/business/getuserphonenumber",
                         data={"code": code})
    return result["phone_info"]


def show_qrcode(client, ticket):
    """The PNG/JPEG bytes of a parametric QR code; wechatpy's qrcode.show bypasses the session."""
    response = client._http.get(client.qrcode.get_url(ticket), timeout=client.timeout)
    response.raise_for_status()
    return response.content


def _template_data(data):
    """Tencent wants {"key": {"value": ...}}; plain values are wrapped."""
    return {key: value if isinstance(value, dict) else {"value": str(value)}
            for key, value in data.items()}


# Failures before a request goes out: no connection made in time, no TLS or proxy tunnel.
NOT_SENT = (requests.ConnectTimeout, requests.exceptions.SSLError, requests.exceptions.ProxyError)
# Failures after it went out: no answer in time, the connection lost or the answer cut short.
UNANSWERED = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def _reached_tencent(exc):
    """Whether a failed call may have been carried out: its request went out and the answer never
    came. A connection refused or not made, or a timed-out token fetch (before the send), sent nothing."""
    path = urlsplit(getattr(exc.request, "url", None) or "").path
    if isinstance(exc, NOT_SENT) or not isinstance(exc, UNANSWERED) or path.endswith("token"):
        return False
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return not isinstance(reason, NewConnectionError)


# HTTP errors by which the server says it did not handle the request (503 Service Unavailable,
# 429 Too Many Requests): nothing was carried out, the send may be tried again. Any other 5xx may
# come after Tencent carried the send out (a gateway's 502 or 504 when Tencent's answer was lost
# or late, a 500 halfway through), and its status cannot tell a gateway that never passed the
# request on from one that did.
NOT_HANDLED = (429, 503)


def _may_have_been_carried_out(exc):
    """Whether a call answered with an HTTP error (`exc`: wechatpy's, without an errcode) may have
    been carried out: a server error other than NOT_HANDLED on a send (a token fetch sends nothing)."""
    status = getattr(exc.response, "status_code", None)
    path = urlsplit(getattr(exc.request, "url", None) or "").path
    return status is not None and status >= 500 and status not in NOT_HANDLED and not path.endswith("token")


def _send(call, *args, **kwargs):
    """Run one send and return Tencent's answer; refusals become SendRefused(errcode), failures
    before the request went out or not handled SendRefused(-1), a request left unanswered or
    answered by a server error that may follow its send SendUnconfirmed."""
    try:
        return call(*args, **kwargs)
    except WeChatClientException as exc:
        if exc.errcode is None:
            status = getattr(exc.response, "status_code", "?")
            if _may_have_been_carried_out(exc):
                raise SendUnconfirmed(f"HTTP {status}", http_status=status) from exc
            raise SendRefused(SYSTEM_BUSY, f"HTTP {status}") from exc
        raise SendRefused(exc.errcode, exc.errmsg) from exc
    except requests.RequestException as exc:
        if _reached_tencent(exc):
            raise SendUnconfirmed(f"transport: {exc}") from exc
        raise SendRefused(SYSTEM_BUSY, f"transport: {exc}") from exc


def _send_within_quota(client, interface, call, *args, **kwargs):
    """_send, unless `interface` of the client's app used up its daily quota today: then refused
    at once with 45009, without calling Tencent (all processes share the mark in Redis)."""
    key = QUOTA_OUT_KEY.format(appid=client.appid, interface=interface)
    if client._redis.exists(key):
        raise SendRefused(DAILY_QUOTA, QUOTA_OUT_MESSAGE)
    try:
        return _send(call, *args, **kwargs)
    except SendRefused as exc:
        if exc.errcode == DAILY_QUOTA:
            now = utcnow()
            until_midnight = local_end_of_day_utc(local_today(now)) - now
            client._redis.set(key, 1, ex=max(int(until_midnight.total_seconds()) + 1, 1))
        raise


class WeChatMessenger:
    """Messenger over WeChat: 客服 and template messages on the 公众号, subscribe on the 小程序."""

    def __init__(self, official_client, miniapp_client):
        """Keep the two clients: 公众号 and 小程序."""
        self.official, self.miniapp = official_client, miniapp_client

    def send_customer_text(self, openid, text):
        """A 客服 text message (48 h window; 45015/45047 when refused)."""
        _send_within_quota(self.official, "custom", self.official.message.send_text, openid, text)

    def send_template(self, openid, template_id, data, url="", page=""):
        """A template message (verified 服务号 only); returns the msgid its delivery event will carry.
        With a mini-program configured (MINIAPP_APPID), `page` is opened in it; WeChat prefers that to
        `url`, which older clients and accounts without a mini-program open."""
        jump = {"appid": self.miniapp.appid, "pagepath": page} if page and self.miniapp.appid else None
        return _send_within_quota(self.official, "template", self.official.message.send_template, openid,
                                  template_id, _template_data(data), url=url or None,
                                  mini_program=jump)["msgid"]

    def send_subscribe(self, openid, template_id, data, page=""):
        """A mini-program subscribe message (43101 when the user has no grant left)."""
        _send_within_quota(self.miniapp, "subscribe", self.miniapp.wxa.send_subscribe_message, openid,
                           template_id, _template_data(data), page=page or None)
