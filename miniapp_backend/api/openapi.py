"""The OpenAPI 3.1 document, generated from the route table and the declared shapes.

Every route of the blueprint that wears @operation is described from that declaration, so the
document lists exactly what the code enforces; nothing is kept by hand beside it.
"""
import re

from flask import current_app

from miniapp_backend.api import bp
from miniapp_backend.api.converters import ID_MAX
from miniapp_backend.api.errors import HTTP_MESSAGES
from miniapp_backend.api.operations import Auth, FileResponse, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import REGISTRY, Schema
from miniapp_backend.api.shapes import Error

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
CACHE_KEY = "api.openapi"
IGNORED_METHODS = {"HEAD", "OPTIONS"}
PARAMETER = re.compile(r"<(?:(?P<converter>\w+)(?:\([^)]*\))?:)?(?P<name>\w+)>")
CONVERTER_SCHEMAS = {"id": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
                     "default": {"type": "string"}}
ALWAYS = (400, 500)  # any call may be malformed (unknown parameter) or meet an unexpected fault
DESCRIPTION = (
    "房山区总工会职工之家小程序接口。登录：wx.login 的 code 换取会话凭证，放在请求头 "
    "Authorization: Bearer <token>。所有错误均为 JSON：{\"error\": {\"code\", \"message\", \"fields\"}}，"
    "message 为中文说明，fields 逐字段说明。请求体中的未知字段一律拒绝。坐标均为 GCJ-02。")

OpenApiDocument = Schema("OpenApiDocument", {}, closed=False, description="本文档")


def _path(rule):
    """The rule's path in OpenAPI form, and its path parameters."""
    parameters = [{"name": m["name"], "in": "path", "required": True,
                   "schema": CONVERTER_SCHEMAS.get(m["converter"] or "default", CONVERTER_SCHEMAS["default"])}
                  for m in PARAMETER.finditer(rule.rule)]
    return PARAMETER.sub(lambda m: "{" + m["name"] + "}", rule.rule), parameters


def _query_parameters(op):
    """Query parameters from the declared query shape."""
    if op.query is None:
        return []
    return [{"name": name, "in": "query", "required": name in op.query.required,
             "description": prop.get("title", ""), "schema": prop}
            for name, prop in op.query.properties.items()]


def _request_body(op):
    """The JSON or multipart body, if the operation takes one."""
    if op.body is not None:
        return {"required": True, "content": {"application/json": {"schema": op.body.ref}}}
    if op.form is not None:
        binary = [n for n, p in op.form.properties.items() if p.get("format") == "binary"]
        encoding = {name: {"contentType": "image/jpeg, image/png, image/webp, application/pdf"}
                    for name in binary}
        return {"required": True, "content": {"multipart/form-data": {
            "schema": op.form.ref, "encoding": encoding}}}
    return None


def _success(op):
    """The success response."""
    if isinstance(op.response, FileResponse):
        content = {mime: {"schema": {"type": "string", "format": "binary"}}
                   for mime in op.response.media_types}
    else:
        content = {"application/json": {"schema": op.response.ref}}
    return {"description": "成功", "content": content}


def _error_statuses(op):
    """Every error status the operation may answer."""
    statuses = set(ALWAYS) | set(op.errors)
    if op.auth == Auth.REQUIRED:  # an optional sign-in ignores a stale token; a view may still list 401
        statuses.add(401)
    if op.bucket is not None:
        statuses.add(429)
    if op.body is not None or op.form is not None:
        statuses.add(413)
    return sorted(statuses)


def _error(status):
    """One error response, always the JSON error shape."""
    response = {"description": f"{HTTP_MESSAGES[status][1]}（{HTTP_MESSAGES[status][0]}）",
                "content": {"application/json": {"schema": Error.ref}}}
    if status == 429:
        response["headers"] = {"Retry-After": {"description": "几秒后可以再试", "schema": {"type": "integer"}}}
    return response


def _security(op):
    """Who may call: a bearer token required, optional, or none at all."""
    return {Auth.REQUIRED: [{"bearer": []}], Auth.OPTIONAL: [{}, {"bearer": []}], Auth.NONE: []}[op.auth]


def _operation(endpoint, op, path_parameters):
    """The OpenAPI operation object of one declared view."""
    described = {
        "operationId": endpoint.split(".", 1)[1], "summary": op.summary, "tags": [op.tag],
        "parameters": path_parameters + _query_parameters(op),
        "responses": {str(op.status): _success(op),
                      **{str(status): _error(status) for status in _error_statuses(op)}},
        "security": _security(op),
    }
    if op.description:
        described["description"] = op.description
    body = _request_body(op)
    if body is not None:
        described["requestBody"] = body
    return described


def build(app):
    """The whole document for the API routes of `app`."""
    paths = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        op = getattr(app.view_functions[rule.endpoint], "operation", None)
        if op is None or not rule.endpoint.startswith(f"{bp.name}."):
            continue
        path, parameters = _path(rule)
        for method in sorted(rule.methods - IGNORED_METHODS):
            paths.setdefault(path, {})[method.lower()] = _operation(rule.endpoint, op, parameters)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": "职工之家小程序接口", "version": API_VERSION, "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": {name: shape.json_schema() for name, shape in sorted(REGISTRY.items())},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "POST /api/v1/auth/login 得到的 token"}},
        },
    }


@bp.get("/openapi.json")
@operation("本接口的 OpenAPI 文档", tag="文档", auth=Auth.NONE, bucket=Bucket.PUBLIC,
           response=OpenApiDocument)
def document():
    """The document, built once per app."""
    cached = current_app.extensions.get(CACHE_KEY)
    if cached is None:
        cached = current_app.extensions[CACHE_KEY] = build(current_app)
    return cached
