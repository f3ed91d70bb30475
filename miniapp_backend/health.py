"""/healthz: is the database reachable, is Redis reachable."""
from flask import Blueprint, current_app, jsonify
from peewee import PeeweeException
from redis import RedisError

from miniapp_backend.db import database

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 with both checks ok, else 503 naming what failed."""
    checks = {}
    try:
        database.execute_sql("SELECT 1")
        checks["database"] = "ok"
    except PeeweeException as exc:
        checks["database"] = f"error: {exc}"
    try:
        current_app.extensions["redis"].ping()
        checks["redis"] = "ok"
    except RedisError as exc:
        checks["redis"] = f"error: {exc}"
    healthy = all(value == "ok" for value in checks.values())
    return jsonify(status="ok" if healthy else "error", checks=checks), 200 if healthy else 503
