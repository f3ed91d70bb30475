"""/b/<code>: the ballot as a plain web page (any phone browser, WeChat's included) and as JSON."""
from miniapp_backend.ballot.views import bp

__all__ = ["bp"]
