"""Fixtures for the stand-in tests: a tiny callback endpoint that checks WeChat's requests with
wechatpy (an independent peer). The stand-in and client fixtures live in tests/wechat_fixtures.py."""
import base64
import os
import threading

import pytest
from flask import Flask, abort, request
from werkzeug.serving import make_server
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature


def new_aes_key():
    """A random EncodingAESKey (43 characters)."""
    return base64.b64encode(os.urandom(32)).decode("ascii")[:43]


class EchoEndpoint:
    """Our side of the callback, verified by wechatpy: records messages, answers text with text."""

    def __init__(self, token, appid, aes_key=None):
        """Bind a loopback port for /wechat; `start` serves it."""
        self.token, self.appid, self.aes_key = token, appid, aes_key
        self.received = []
        self.encrypt_replies = True
        app = Flask("echo")
        app.add_url_rule("/wechat", "wechat", self.handle, methods=["GET", "POST"])
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}/wechat"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        daemon=True)

    def handle(self):
        """Check signatures (and decrypt) the way wechatpy does, then reply."""
        args = request.args
        try:
            check_signature(self.token, args["signature"], args["timestamp"], args["nonce"])
            if request.method == "GET":
                return args["echostr"]
            xml = request.get_data(as_text=True)
            if args.get("encrypt_type") == "aes":
                xml = WeChatCrypto(self.token, self.aes_key, self.appid).decrypt_message(
                    xml, args["msg_signature"], args["timestamp"], args["nonce"])
        except InvalidSignatureException:
            abort(403)
        message = parse_message(xml)
        self.received.append({"args": dict(args), "xml": xml, "message": message})
        if message.type != "text":
            return "success"
        reply = TextReply(content=f"收到：{message.content}", message=message).render()
        if self.aes_key and self.encrypt_replies:
            reply = WeChatCrypto(self.token, self.aes_key, self.appid).encrypt_message(
                reply, args["nonce"], args["timestamp"])
        return reply


@pytest.fixture
def echo_factory():
    """Start echo endpoints on loopback ports; all are stopped after the test."""
    started = []

    def start(token="standintoken", appid="wx0000000000000001", aes_key=None):
        """Start one endpoint (plain mode unless aes_key is given)."""
        endpoint = EchoEndpoint(token, appid, aes_key)
        endpoint._thread.start()
        started.append(endpoint)
        return endpoint

    yield start
    for endpoint in started:
        endpoint._server.shutdown()
        endpoint._server.server_close()
