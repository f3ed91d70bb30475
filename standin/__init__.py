"""A local stand-in for Tencent's WeChat HTTP API and for WeChat's callbacks to us.

Start it in-process with `StandinServer(settings).start()`, or as `python -m standin`.
"""
from standin.server import StandinServer, create_standin_app
from standin.settings import StandinSettings

__all__ = ["StandinServer", "StandinSettings", "create_standin_app"]
