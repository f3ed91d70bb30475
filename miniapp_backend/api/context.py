"""What API views share: settings, Redis, the file store, the WeChat client and the clock."""
from flask import current_app

from miniapp_backend import wechat
from miniapp_backend.clock import local_today, utcnow
from miniapp_backend.storage import FileStore

# Campaign windows make "today" decide what a chair may do; tests and demos pin the moment
# with app.config["API_NOW"] (a naive UTC datetime) instead of patching time.
NOW_SETTING = "API_NOW"
CLIENT_KEY = "api.miniapp_client"


def settings():
    """The app's Config."""
    return current_app.config["ZGZJ"]


def redis():
    """The shared Redis client."""
    return current_app.extensions["redis"]


def filestore():
    """The content-addressed store for uploads."""
    return FileStore(settings().storage_dir)


def now():
    """The current moment as naive UTC (the pinned one when set)."""
    return current_app.config.get(NOW_SETTING) or utcnow()


def today():
    """Today's local (Asia/Shanghai) date by this clock."""
    return local_today(now())


def miniapp_client():
    """The mini-program's WeChat client, built once per app (its token lives in Redis)."""
    client = current_app.extensions.get(CLIENT_KEY)
    if client is None:
        client = wechat.miniapp_client(settings(), redis())
        current_app.extensions[CLIENT_KEY] = client
    return client
