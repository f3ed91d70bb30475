"""/wechat served straight from WSGI, in front of the Flask app.

Every message anyone sends the account arrives here, within WeChat's 5 seconds, and a chair
filling a checklist sends one a few seconds apart. The callback needs none of what Flask builds
for a request (URL routing, a request and app context, a session, cookies): bots/endpoint.py
takes the query arguments and the body and gives back a status and a text. Served here, a
message costs about a fifth less CPU than through Flask's request handling (0.2 ms of about 1
ms on the 2-core benchmark machine, bench/chat.py). Every other path goes on to Flask.
"""
import logging
from http import HTTPStatus
from urllib.parse import parse_qsl

from werkzeug.wsgi import get_content_length, get_input_stream

from bots import clock, endpoint
from miniapp_backend.db import release_connection

log = logging.getLogger(__name__)

PATH = "/wechat"
ALLOWED = "GET, POST"


def query_args(environ):
    """The query string's arguments, the first of each name (as Flask's request.args.get gives)."""
    # WSGI hands the raw query bytes over as latin-1; its %-escapes are UTF-8.
    query = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", "replace")
    args = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        args.setdefault(name, value)
    return args


def _send(start_response, answer, headers=()):
    """Start the response for an endpoint.Answer and return its body."""
    body = answer.body.encode("utf-8")
    start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}",
                   [("Content-Type", answer.mimetype), ("Content-Length", str(len(body))), *headers])
    return [body]


class WeChatRoute:
    """WSGI middleware: /wechat answered by bots/endpoint.py, everything else by `next_app`."""

    def __init__(self, app, next_app):
        self.app, self.next_app = app, next_app

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != PATH:
            return self.next_app(environ, start_response)
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "POST"):
            return _send(start_response, endpoint.Answer(405), [("Allow", ALLOWED)])
        try:
            return _send(start_response, self._answer(method, environ))
        except Exception:  # Redis or the database down: WeChat retries a 500
            log.exception("wechat callback failed")
            return _send(start_response, endpoint.Answer(500))
        finally:
            release_connection()  # the database connection a message took goes back to the pool

    def _answer(self, method, environ):
        """The endpoint's Answer to one request."""
        config = self.app.config["ZGZJ"]
        callback = endpoint.Callback(query_args(environ), get_content_length(environ),
                                     get_input_stream(environ).read)
        if method == "GET":
            return endpoint.verify(config, callback)
        return endpoint.receive(config, self.app.extensions["redis"], clock.now(self.app), callback)
