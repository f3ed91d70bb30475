"""Every API error as JSON {"error": {"code", "message", "fields"}}: never HTML, never a trace."""
import logging
from dataclasses import asdict, is_dataclass

from flask import current_app, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound as RouteNotFound

from miniapp_backend.api import bp
from miniapp_backend.api.schemas import InvalidRequest
from miniapp_backend.services import errors as domain

log = logging.getLogger(__name__)

# Most specific first: the first class an error is an instance of decides its status.
DOMAIN_STATUS = (
    (domain.PermissionDenied, 403),
    (domain.NotFound, 404),
    (domain.RevisionConflict, 409),
    (domain.InvalidState, 409),
    (domain.ValidationFailed, 422),
    (domain.Incomplete, 422),
    (domain.NotEligible, 422),
    (domain.DomainError, 400),
)
HTTP_MESSAGES = {
    400: ("bad_request", "请求格式不对"),
    401: ("unauthenticated", "请先登录"),
    403: ("forbidden", "没有权限进行这个操作"),
    404: ("not_found", "没有这个接口或对象"),
    405: ("method_not_allowed", "这个接口不支持该请求方式"),
    409: ("conflict", "与当前状态冲突：已在另一端修改，或当前状态不允许这样做"),
    413: ("too_large", "上传的内容太大"),
    415: ("unsupported_media_type", "请求内容的格式不受支持"),
    422: ("validation", "内容不符合要求，请按提示修改"),
    429: ("rate_limited", "操作太频繁，请稍后再试"),
    500: ("server_error", "服务器出了点问题，请稍后再试；如果一直这样，请联系区总工会"),
    502: ("bad_gateway", "微信返回的结果无法使用，请重试"),
    503: ("unavailable", "服务暂时不可用，请稍后再试"),
}
ROUTABLE = ["GET", "POST", "PUT", "PATCH", "DELETE"]


class ApiError(Exception):
    """An edge-level refusal with its own status (401, 413, 429, 503 …)."""

    def __init__(self, status, code, message, fields=None, headers=None, **details):
        """Keep what error_response needs; `details` go out under error.details."""
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers, self.details = fields or {}, headers or {}, details


def error_response(status, code, message, fields=None, details=None, headers=None):
    """The one JSON shape of every API error."""
    body = {"code": code, "message": message, "fields": fields or {}}
    if details:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    response.headers.update(headers or {})
    return response


def domain_status(exc):
    """The HTTP status of a domain refusal."""
    return next(status for kind, status in DOMAIN_STATUS if isinstance(exc, kind))


def jsonable(value):
    """Domain details made JSON-safe (dataclasses such as Missing become dicts)."""
    if is_dataclass(value):
        return asdict(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


@bp.errorhandler(domain.DomainError)
def _domain_error(exc):
    """A domain refusal: its Chinese message, the field it names, its details."""
    details = jsonable(exc.details)
    fields = {}
    if isinstance(exc, domain.Incomplete):
        # A value breaking a rule across fields is there, only wrong: its label is the rule's message.
        fields = {m["key"]: f"{'需修正' if m['kind'] == 'invalid' else '缺少'}：{m['label']}"
                  for m in details.get("missing", [])}
    elif "key" in details:
        fields = {details["key"]: exc.message}
    return error_response(domain_status(exc), exc.code, exc.message, fields, details)


@bp.errorhandler(InvalidRequest)
def _invalid_request(exc):
    """A request that does not match its declared shape."""
    return error_response(400, "bad_request", exc.message, exc.fields)


@bp.errorhandler(ApiError)
def _api_error(exc):
    """An edge-level refusal."""
    return error_response(exc.status, exc.code, exc.message, exc.fields, jsonable(exc.details),
                          exc.headers)


@bp.errorhandler(HTTPException)
def _http_error(exc):
    """Werkzeug's errors (413 from the body limit, 400 from a broken form …) as JSON."""
    code, message = HTTP_MESSAGES.get(exc.code, ("http_error", exc.description or ""))
    headers = {"Allow": ", ".join(exc.valid_methods)} if getattr(exc, "valid_methods", None) else None
    return error_response(exc.code or 500, code, message, headers=headers)


@bp.errorhandler(Exception)
def _unexpected(_exc):
    """Anything else: logged with its trace, answered without one."""
    log.exception("unhandled error on %s %s", request.method, request.path)
    return error_response(500, *HTTP_MESSAGES[500])


@bp.route("/", defaults={"rest": ""}, methods=ROUTABLE)
@bp.route("/<rest:rest>", methods=ROUTABLE)
def unrouted(rest):
    """Unknown paths (404) and known paths with another method (405), answered inside the API.

    Routing errors happen before a blueprint is chosen, so the blueprint's handlers would not see
    them; this catch-all keeps them in JSON without an app-wide handler other surfaces share.
    """
    allowed = methods_elsewhere()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed)
    raise RouteNotFound()


def methods_elsewhere():
    """The methods a real route (not this catch-all) answers for the requested path."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    found = []
    for method in ROUTABLE:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            found.append(method)
    return found
