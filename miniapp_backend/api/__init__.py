"""The mini-program's JSON API under /api/v1: one module per resource, described by openapi.py."""
from flask import Blueprint

from miniapp_backend.api.converters import CONVERTERS

bp = Blueprint("api", __name__, url_prefix="/api/v1")
bp.record_once(lambda state: state.app.url_map.converters.update(CONVERTERS))

from miniapp_backend.api import (  # noqa: E402,F401  (modules register their routes on bp)
    applications, auth, drafts, errors, evaluations, evidence, forms, honour_minutes, honours, me, notices, openapi,
    station_signs, stations, subscriptions)
