"""Control endpoints under /standin/: faults, clock, logs, users, inbound messages, config."""
from flask import Blueprint, jsonify, request

from standin.inbound import deliver
from standin.protocol import as_int, state

bp = Blueprint("standin_control", __name__, url_prefix="/standin")


def _body():
    """The control request's JSON (a dict or a list), {} when absent."""
    return request.get_json(force=True, silent=True) or {}


@bp.get("/health")
def health():
    """Ready check for supervisors."""
    return jsonify(ok=True)


@bp.post("/faults")
def add_faults():
    """Queue one fault or a list of them: {"path", "errcode" and/or "delay", or "http_status" (with
    "carried_out"), "times", "openid"}."""
    specs = _body()
    specs = specs if isinstance(specs, list) else [specs]
    try:
        added = [state().add_fault(spec) for spec in specs]
    except (ValueError, TypeError, AttributeError) as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(added)


@bp.get("/faults")
def list_faults():
    """The faults still queued."""
    with state().lock:
        return jsonify(list(state().faults))


@bp.delete("/faults")
def clear_faults():
    """Drop every queued fault."""
    with state().lock:
        state().faults.clear()
    return jsonify(ok=True)


@bp.post("/expire-tokens")
def expire_tokens():
    """Every access token issued so far answers 42001 from now on."""
    state().tokens.expire_all()
    return jsonify(ok=True)


@bp.post("/clock")
def advance_clock():
    """Move Tencent's clock: {"advance": seconds}."""
    state().advance(as_int(_body().get("advance"), 0))
    return jsonify(now=state().now())


def _matching(entries, **wanted):
    """Entries whose fields equal every non-empty wanted value."""
    with state().lock:
        return [e for e in entries if all(not v or e.get(k) == v for k, v in wanted.items())]


@bp.get("/sent")
def list_sent():
    """Messages sent to users, filtered by ?openid= and ?kind= (custom, template, subscribe)."""
    return jsonify(_matching(state().sent, openid=request.args.get("openid"),
                             kind=request.args.get("kind")))


@bp.delete("/sent")
def clear_sent():
    """Forget the sent messages."""
    with state().lock:
        state().sent.clear()
    return jsonify(ok=True)


@bp.get("/calls")
def list_calls():
    """API calls made to the stand-in, filtered by ?path= (e.g. /cgi-bin/token)."""
    path = request.args.get("path", "")
    return jsonify(_matching(state().calls, path=path and "/" + path.lstrip("/")))


@bp.delete("/calls")
def clear_calls():
    """Forget the API call log."""
    with state().lock:
        state().calls.clear()
    return jsonify(ok=True)


@bp.post("/inbound")
def post_inbound():
    """A user message or event, delivered to the callback URL as WeChat would."""
    try:
        return jsonify(deliver(state(), _body()))
    except LookupError as exc:
        return jsonify(error=str(exc)), 409
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return jsonify(error=f"bad description: {exc}"), 400


@bp.get("/inbound")
def list_inbound():
    """Messages delivered so far, each with its attempts and replies."""
    with state().lock:
        return jsonify(list(state().inbound))


@bp.post("/users")
def put_user():
    """Create or change a user: {"openid", "subscribe": 1, "unionid": ..., "tagid_list": [...]}."""
    fields = dict(_body())
    openid = fields.pop("openid", None)
    if not openid:
        return jsonify(error="openid is required"), 400
    return jsonify(state().update_user(openid, **fields))


@bp.post("/config")
def change_config():
    """Change settings at run time, e.g. {"callback_url": ..., "aes_key": ...}."""
    try:
        state().settings.update(_body())
    except (KeyError, TypeError, ValueError) as exc:
        return jsonify(error=f"bad setting: {exc}"), 400
    return jsonify(vars(state().settings))


@bp.post("/reset")
def reset():
    """Forget all state (tokens, media, menus, logs, faults, clock)."""
    state().reset()
    return jsonify(ok=True)
