"""The ballot edge: GET/POST /b/<code> (HTML form) and GET/POST /b/<code>.json (mini-program).

No cookies and no sign-in: the personal code in the link is the credential, so the page works
in WeChat's in-app browser and in any phone browser without following the official account.
The HTML form carries a signed per-page token (guard.page_token); the JSON endpoint accepts only
an application/json body, which a cross-site page cannot send without a CORS preflight that this
server never grants. Responses are not cached and send no Referer (the URL holds the code).
"""
import logging

from flask import Blueprint, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from miniapp_backend.ballot import guard
from miniapp_backend.clock import format_deadline, format_local
from miniapp_backend.free_text import LAYOUT_ALLOWANCE
from miniapp_backend.services import ballots
from miniapp_backend.services.errors import DomainError, ValidationFailed

log = logging.getLogger(__name__)
bp = Blueprint("ballot", __name__, template_folder="templates")

THANKS = "投票成功，感谢您的参与！您的选择不会与您的姓名关联。"
TOO_MANY = "操作过于频繁，请10分钟后再试"
EXPIRED = "页面已过期或来源无法确认，请核对您的选择后再提交一次"
FAILED = "系统出了点问题，请稍后再试"
NOT_JSON = '请以 JSON 提交，如 {"agree": true, "scores": {"组织健全": 5}, "comment": ""}'
HTTP_STATUS = ((ballots.MalformedCode, 404), (ballots.NotOnRoster, 404), (ballots.AlreadyVoted, 409),
               (ballots.RoundClosed, 409), (ValidationFailed, 400))
LOOKUP_FAILURES = (ballots.MalformedCode, ballots.NotOnRoster)


def _secret():
    """The server secret the ballot HMACs and page tokens are keyed with."""
    return current_app.config["SECRET_KEY"]


def _status(exc):
    """The HTTP status of a refusal."""
    return next((status for cls, status in HTTP_STATUS if isinstance(exc, cls)), 400)


def _refused(exc):
    """Count lookup failures against the address (guessing), then report the status."""
    if isinstance(exc, LOOKUP_FAILURES):
        guard.note_failure(current_app.extensions["redis"], request.remote_addr)
    return _status(exc)


def _json_request():
    """True for the mini-program's JSON endpoints, which answer in JSON even when refusing."""
    return bool(request.endpoint and request.endpoint.endswith("_json"))


@bp.before_request
def _limit():
    """Refuse floods of one code and addresses that keep trying unknown codes."""
    code = (request.view_args or {}).get("code", "")
    if not guard.over_limit(current_app.extensions["redis"], code, request.remote_addr):
        return None
    if _json_request():
        return jsonify(error={"code": "rate_limited", "message": TOO_MANY}), 429
    return render_template("ballot/message.html", heading="请稍后再试", message=TOO_MANY), 429


@bp.errorhandler(Exception)
def _unexpected(exc):
    """A fault: logged with its trace but never the path (Flask's own log line names it)."""
    if isinstance(exc, HTTPException):
        return exc
    log.exception("unhandled error on a ballot %s (path not logged: it holds a voter's code)",
                  request.method)
    if _json_request():
        return jsonify(error={"code": "server_error", "message": FAILED}), 500
    return render_template("ballot/message.html", heading="请稍后再试", message=FAILED), 500


@bp.after_request
def _private(response):
    """The page is personal: never cached, never indexed, never referred."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _message(exc):
    """A refusal as a page."""
    return render_template("ballot/message.html", heading="无法投票", message=exc.message), _refused(exc)


def _state_page(view, status=200):
    """The page for a code that has voted or a round that has ended (409 when a vote was sent)."""
    if view.state == "voted":
        page = render_template("ballot/message.html", heading="您已投过票", message=ballots.VOTED_MESSAGE)
    else:
        page = render_template("ballot/message.html", heading="评议已结束",
                               message=ballots.closed_message(view.round))
    return page, status


def _form(code, view, error="", entered=None, status=200):
    """The ballot form, with the entries kept when it comes back with an error."""
    return render_template("ballot/form.html", view=view, round=view.round, scale=ballots.SCALE,
                           token=guard.page_token(_secret(), code), error=error, entered=entered or {},
                           comment_max=ballots.COMMENT_MAX,
                           # The browser's cap counts breaks and spaces: only a backstop to ours.
                           comment_maxlength=ballots.COMMENT_MAX * LAYOUT_ALLOWANCE,
                           closes=format_deadline(view.round.closes_at)), status


def _form_values(round_):
    """(agree, scores in standard order, comment) from the posted form; None where unanswered."""
    agree = {"yes": True, "no": False}.get(request.form.get("agree", ""))
    scores = [request.form.get(f"s{index}") for index in range(len(round_.standards))]
    return agree, scores, request.form.get("comment", "")


@bp.get("/b/<code>")
def page(code):
    """The voter's ballot, or why they cannot vote."""
    try:
        view = ballots.view(_secret(), code)
    except DomainError as exc:
        return _message(exc)
    return _form(code, view) if view.state == "open" else _state_page(view)


@bp.post("/b/<code>")
def submit(code):
    """Cast the posted ballot; on a fixable error show the form again with the entries kept."""
    try:
        view = ballots.view(_secret(), code)
    except DomainError as exc:
        return _message(exc)
    if view.state != "open":
        return _state_page(view, 409)
    agree, scores, comment = _form_values(view.round)
    entered = dict(request.form)
    if not guard.token_valid(_secret(), code, request.form.get("token")):
        return _form(code, view, EXPIRED, entered, 400)
    try:
        ballots.cast(_secret(), code, agree, scores, comment)
    except ValidationFailed as exc:
        return _form(code, view, exc.message, entered, 400)
    except DomainError as exc:
        return _message(exc)
    return render_template("ballot/message.html", heading="投票成功", message=THANKS), 200


def _describe(view):
    """The ballot as JSON for the mini-program."""
    round_ = view.round
    return {"state": view.state, "voter": view.voter_name, "org": round_.org.full_name,
            "title": round_.title, "motion": round_.motion, "standards": list(round_.standards),
            "scale": [{"value": v, "label": label} for v, label in ballots.SCALE.items()],
            "comment_max": ballots.COMMENT_MAX, "closes_at": format_local(round_.closes_at),
            "closes_text": format_deadline(round_.closes_at)}


def _json_error(exc):
    """A refusal as JSON: {"error": {"code", "message", "details"}}."""
    body = {"code": exc.code, "message": exc.message, "details": exc.details}
    return jsonify(error=body), _refused(exc)


@bp.get("/b/<code>.json")
def state_json(code):
    """The ballot's question, standards and state."""
    try:
        return jsonify(_describe(ballots.view(_secret(), code)))
    except DomainError as exc:
        return _json_error(exc)


@bp.post("/b/<code>.json")
def cast_json(code):
    """Cast a ballot sent as JSON: {"agree": bool, "scores": {standard: 1–5} or [..], "comment"}."""
    if not request.is_json:
        return jsonify(error={"code": "bad_request", "message": NOT_JSON}), 415
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return jsonify(error={"code": "bad_request", "message": NOT_JSON}), 400
    try:
        ballots.cast(_secret(), code, body.get("agree"), body.get("scores"), body.get("comment"))
    except DomainError as exc:
        return _json_error(exc)
    return jsonify(ok=True, message=THANKS), 201
