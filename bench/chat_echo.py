"""A minimal wechatpy safe-mode echo endpoint: the floor the /wechat benchmark compares against.

It is wechatpy's own echo example (examples/echo-encrypted/app.py, a Flask app) without its
prints and index page: what the crypto and a reply cost through the stack an account's server
is usually written on."""
import os

from flask import Flask, Response, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

app = Flask(__name__)
TOKEN = os.environ["WECHAT_TOKEN"]
CRYPTO = WeChatCrypto(TOKEN, os.environ["WECHAT_AES_KEY"], os.environ["WECHAT_APPID"])


@app.post("/wechat")
def echo():
    """Verify, decrypt, answer the text back, encrypt: the same crypto work /wechat must do."""
    args = request.args
    try:
        check_signature(TOKEN, args["signature"], args["timestamp"], args["nonce"])
        xml = CRYPTO.decrypt_message(request.data, args["msg_signature"], args["timestamp"], args["nonce"])
    except (KeyError, InvalidSignatureException):
        return Response("", 403)
    message = parse_message(xml)
    reply = TextReply(message=message, content=f"收到：{message.content}").render()
    return Response(CRYPTO.encrypt_message(reply, args["nonce"], args["timestamp"]),
                    mimetype="application/xml")
