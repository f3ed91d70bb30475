"""Public pages for phones and WeChat's in-app browser: stations /s/<code>, notices /n/<token>."""
from flask import Blueprint

bp = Blueprint("pages", __name__, template_folder="templates")

from miniapp_backend.pages import notices, views  # noqa: E402,F401 (routes register on import)
