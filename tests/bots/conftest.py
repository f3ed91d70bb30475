"""Fixtures for the chat bot: a world on a pinned date, a WeChat user on the test client,
the stand-in, jobs run in-process, and the app served on loopback for end-to-end tests."""
import dataclasses
import io
import datetime as dt
import itertools
import threading
import time

import pytest
from PIL import Image
from rq import SimpleWorker
from werkzeug.serving import make_server

import workers.context
from bots import clock
from miniapp_backend.app import create_app
from standin import StandinServer, StandinSettings
from standin import crypto as wx_crypto
from standin.callback import CallbackClient, new_nonce, parse_xml
from tests.conftest import TEST_WECHAT
from tests.factories import build_world
from workers.queues import queue

# 10:00 in Beijing on the day the suite's campaign windows are open.
BOT_NOW = dt.datetime(2018, 5, 10, 2, 0)
REPLY_LIMIT = 2048
def _tiny_png():
    """A real 2×2 PNG (bytes appended to it still decode, so variants make distinct photos)."""
    out = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(out, "PNG")
    return out.getvalue()


PNG = _tiny_png()


@pytest.fixture
def world(db):
    """The district tree, people and the 2018 campaign."""
    return build_world()


@pytest.fixture
def bot_app(app):
    """The app with the conversation's clock pinned inside the 2018 windows."""
    app.config[clock.NOW_SETTING] = BOT_NOW
    return app


class Sent:
    """What the endpoint answered to one message."""

    def __init__(self, response, reply, fields):
        self.status, self.raw, self.reply, self.fields = response.status_code, response.text, reply, fields

    @property
    def text(self):
        """The reply's text content ("" for success or a hand-over)."""
        return (self.reply or {}).get("Content", "")


class WeChatUser:
    """One WeChat user messaging /wechat through the Flask test client, signed as WeChat signs."""

    def __init__(self, client, openid, aes_key=None, appid=TEST_WECHAT["WECHAT_APPID"]):
        self.client, self.openid = client, openid
        self.token = TEST_WECHAT["WECHAT_TOKEN"]
        # Every message a new CreateTime: events are deduplicated by sender and CreateTime.
        ticks = itertools.count(int(time.time()))
        self.builder = CallbackClient("", self.token, appid, clock=lambda: next(ticks))
        self.crypto = wx_crypto.MessageCrypto(aes_key, appid) if aes_key else None

    def request(self, xml, timestamp=None, nonce=None):
        """(query, body) of a signed (and in safe mode encrypted) callback."""
        timestamp, nonce = str(timestamp or int(time.time())), nonce or new_nonce()
        query = {"signature": wx_crypto.signature(self.token, timestamp, nonce),
                 "timestamp": timestamp, "nonce": nonce, "openid": self.openid}
        if not self.crypto:
            return query, xml
        encrypt = self.crypto.encrypt(xml)
        signature = wx_crypto.msg_signature(self.token, timestamp, nonce, encrypt)
        query.update(encrypt_type="aes", msg_signature=signature)
        return query, CallbackClient.build_xml({"ToUserName": "gh_standin0001", "Encrypt": encrypt})

    def post_raw(self, query, body):
        """POST prepared query and body; return the Flask response."""
        return self.client.post("/wechat", query_string=query, data=body.encode("utf-8"),
                                content_type="text/xml")

    def _reply(self, response):
        """The reply as a dict (decrypted and its signature checked in safe mode)."""
        text = response.text.strip()
        if response.status_code != 200 or text in ("", "success"):
            return None
        message = parse_xml(text)
        if self.crypto:
            expected = wx_crypto.msg_signature(self.token, message["TimeStamp"], message["Nonce"],
                                               message["Encrypt"])
            assert wx_crypto.same_signature(expected, message["MsgSignature"])
            message = parse_xml(self.crypto.decrypt(message["Encrypt"]))
        return message

    def send(self, fields, **request_options):
        """Post one message built from its fields."""
        xml = CallbackClient.build_xml(fields)
        response = self.post_raw(*self.request(xml, **request_options))
        sent = Sent(response, self._reply(response), fields)
        assert len(sent.text.encode("utf-8")) <= REPLY_LIMIT, sent.text
        return sent

    def say(self, content, msg_id=None):
        """Send text; return the reply text."""
        return self.send(self.builder.message_fields(self.openid, "text", {"Content": content}, msg_id)).text

    def photo(self, media_id):
        """Send an image; return the reply text."""
        body = {"PicUrl": "http://mmbiz.qpic.cn/x", "MediaId": media_id}
        return self.send(self.builder.message_fields(self.openid, "image", body)).text

    def location(self, lat, lng, label=""):
        """Send a location message; return the reply text."""
        body = {"Location_X": lat, "Location_Y": lng, "Scale": 15, "Label": label}
        return self.send(self.builder.message_fields(self.openid, "location", body)).text

    def event(self, event, **fields):
        """Send an event; return the Sent."""
        return self.send(self.builder.event_fields(self.openid, event, **fields))


@pytest.fixture
def wechat_user(bot_app):
    """A factory of WeChat users on the test client."""
    client = bot_app.test_client()
    return lambda openid, aes_key=None: WeChatUser(client, openid, aes_key)


@pytest.fixture
def standin():
    """The WeChat stand-in on a free loopback port."""
    with StandinServer(StandinSettings()) as server:
        yield server


def add_photo(standin, data=PNG):
    """A photo a user "sent": registered with the stand-in; returns its MediaId."""
    return standin.state.add_media(data, "image/png", "image", "photo.png")["media_id"]


@pytest.fixture
def jobs(config, standin, redis_client, monkeypatch):
    """Runs queued rq jobs in this process, configured like the app and pointed at the stand-in."""
    env = {"APP_ENV": "test", "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url,
           "VAR_DIR": str(config.var_dir), "SECRET_KEY": config.secret_key,
           "PUBLIC_BASE_URL": config.public_base_url, "STORAGE_DIR": str(config.storage_dir),
           "WECHAT_API_BASE_URL": standin.url, **TEST_WECHAT}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(workers.context, "_cached", {})

    def run():
        SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    return run


class LiveServer:
    """An app served on loopback from a thread."""

    def __init__(self, app):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def live_factory(config, db, redis_client):
    """Serve an app built from `config` (with changes) on loopback, clock pinned."""
    servers = []

    def start(**changes):
        app = create_app(dataclasses.replace(config, **changes))
        app.config[clock.NOW_SETTING] = BOT_NOW
        servers.append(LiveServer(app))
        return servers[-1]
    yield start
    for server in servers:
        server.stop()
