"""create_app(): the one place the web application is assembled."""
import logging

from flask import Flask
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from miniapp_backend.config import Config
from miniapp_backend.db import init_database, release_connection
from miniapp_backend.redis_conn import open_redis


class CookieFirstSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, but a request without the cookie (WeChat's callbacks,
    the mini-program API) gets its empty session without a signing serializer being built."""

    def open_session(self, app, request):
        if app.config["SESSION_COOKIE_NAME"] not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON, but a body nested too deeply to decode is invalid JSON (a 400), not a 500."""

    ensure_ascii = False

    def loads(self, s, **kwargs):
        """Decode JSON; nesting beyond Python's recursion limit is a ValueError like other bad JSON."""
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # request.get_json answers a ValueError as malformed JSON but lets RecursionError through.
            raise ValueError("JSON nested too deeply") from None


def create_app(config=None):
    """Build the Flask app from `config` (default: the environment)."""
    config = config or Config.from_env()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = Flask(__name__)
    app.session_interface = CookieFirstSessionInterface()
    app.config["SECRET_KEY"] = config.secret_key
    app.config["ZGZJ"] = config
    app.json = BoundedJSONProvider(app)
    if config.trusted_proxy_count:
        # Behind nginx every request comes from nginx: rate limits need the client's own address,
        # which only the trusted hops' X-Forwarded-For entries tell (a client can forge the rest).
        n = config.trusted_proxy_count
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)
    # WeChat's callbacks, the hot path, skip Flask's request handling (bots/route.py).
    from bots.route import WeChatRoute
    app.wsgi_app = WeChatRoute(app, app.wsgi_app)
    init_database(config.database_url, pooled=True)
    app.extensions["redis"] = open_redis(config)

    # A request takes a pooled connection on its first query and gives it back at the end.
    @app.teardown_request
    def _release(_exc):
        release_connection()

    from miniapp_backend import health
    app.register_blueprint(health.bp)
    from miniapp_backend.api import bp as api_bp
    app.register_blueprint(api_bp)
    from miniapp_backend.admin import bp as admin_bp
    app.register_blueprint(admin_bp)
    from miniapp_backend.pages import bp as pages_bp
    app.register_blueprint(pages_bp)
    from miniapp_backend import ballot
    app.register_blueprint(ballot.bp)
    from miniapp_backend import cli
    cli.register(app)
    return app
