"""The stand-in's Flask app (Tencent's paths plus /standin/ controls) and an in-thread runner."""
import threading
import time

from flask import Flask, Response, g, jsonify, request
from werkzeug.serving import make_server

from standin import api_account, api_auth, api_control, api_media, api_messages, api_qrcode
from standin.protocol import ApiError, error_body
from standin.settings import StandinSettings
from standin.state import StandinState


def _openid_of_call():
    """The user a call concerns (touser in the body, or ?openid=), for per-user faults."""
    # wechatpy posts JSON without a JSON content type, hence force=True.
    body = None if request.files else request.get_json(force=True, silent=True)
    if isinstance(body, dict) and (body.get("touser") or body.get("openid")):
        return body.get("touser") or body.get("openid")
    return request.args.get("openid")


def _gateway_error(status):
    """An HTTP error as a gateway answers it: a status and a short HTML page, no errcode."""
    return Response(f"<html><body><h1>{status}</h1></body></html>", status=status, mimetype="text/html")


def _install_hooks(app, state):
    """Log every API call, apply queued faults, answer ApiError the way Tencent does."""
    @app.before_request
    def log_and_fault():
        """Log the call, then answer a queued fault (after its delay) if one matches."""
        if request.path.startswith("/standin/"):
            return None
        g.call = {"method": request.method, "path": request.path,
                  "query": request.args.to_dict(), "time": state.now()}
        state.log_call(g.call)
        fault = state.take_fault(request.path.lstrip("/"), _openid_of_call())
        if fault is None:
            return None
        g.call["fault"] = True
        time.sleep(fault["delay"])
        if fault["http_status"] is not None:
            if fault["carried_out"]:
                g.http_status = fault["http_status"]
                return None
            return _gateway_error(fault["http_status"])
        if fault["errcode"] is None:
            return None
        return jsonify(error_body(fault["errcode"], fault["errmsg"]))

    @app.after_request
    def note_errcode(response):
        """Record the errcode the call was answered with; a call carried out before its HTTP
        error fault is answered with that error instead."""
        call = g.get("call")
        if call is not None and response.is_json and isinstance(response.get_json(), dict):
            call["errcode"] = response.get_json().get("errcode", 0)
        if g.get("http_status") is not None:
            return _gateway_error(g.http_status)
        return response

    @app.errorhandler(ApiError)
    def api_error(exc):
        """Tencent answers errors with HTTP 200 and a JSON errcode."""
        return jsonify(error_body(exc.errcode, exc.errmsg))


def create_standin_app(settings=None):
    """The stand-in as a Flask app, with its own in-memory state."""
    settings = settings or StandinSettings()
    app = Flask("standin", static_folder=None)
    app.json.ensure_ascii = False
    state = StandinState(settings)
    app.extensions["standin"] = state
    for module in (api_auth, api_messages, api_account, api_media, api_qrcode, api_control):
        app.register_blueprint(module.bp)
    _install_hooks(app, state)
    return app


class StandinServer:
    """Serves the stand-in on a (free, when port=0) port from a background thread."""

    def __init__(self, settings=None, host="127.0.0.1", port=0):
        """Bind the socket now, so `url` is known before `start`."""
        self.settings = settings or StandinSettings()
        self.app = create_standin_app(self.settings)
        self.state = self.app.extensions["standin"]
        self._server = make_server(host, port, self.app, threaded=True)
        self.host, self.port = host, self._server.server_port
        self._thread = None

    @property
    def url(self):
        """Base URL to use as WECHAT_API_BASE_URL."""
        return f"http://{self.host}:{self.port}"

    def start(self):
        """Start serving in a daemon thread; returns self."""
        # A short poll interval makes stop() quick (tests start one stand-in each).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,),
                                        name="standin", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Stop serving and close the socket."""
        self._server.shutdown()
        self._server.server_close()
        if self._thread:
            self._thread.join(5)

    def __enter__(self):
        """Start serving for a with-block."""
        return self.start()

    def __exit__(self, *exc):
        """Stop serving at the end of the with-block."""
        self.stop()
