"""Public station pages /s/<code>, made for phones and WeChat's in-app browser."""
from flask import Blueprint

bp = Blueprint("pages", __name__, template_folder="templates")

from miniapp_backend.pages import views  # noqa: E402,F401 (routes register on import)
