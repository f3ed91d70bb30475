"""The one decorator every API view wears: sign-in, rate limit, request checks, and its contract.

What a view declares here is both what it enforces and what the OpenAPI document says about it.
"""
import functools
from dataclasses import dataclass
from enum import StrEnum

from flask import jsonify, request
from werkzeug.exceptions import BadRequest

from miniapp_backend.api import ratelimit, sessions
from miniapp_backend.api.schemas import InvalidRequest, Schema
from miniapp_backend.text_input import BROKEN_REFUSAL, NUL_REFUSAL, contains_broken_character, contains_nul

JSON_BODY_LIMIT = 256 * 1024  # bytes; answers are short, photos go through the upload form


class Auth(StrEnum):
    """Whether a view needs a signed-in person."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    NONE = "none"


@dataclass(frozen=True)
class FileResponse:
    """A view that answers with file bytes of these media types (photo, thumbnail, PDF)."""

    media_types: tuple


@dataclass(frozen=True)
class Operation:
    """An endpoint's contract: summary, checks and every answer it can give."""

    summary: str
    tag: str
    auth: Auth
    bucket: ratelimit.Bucket | None
    query: Schema | None
    body: Schema | None
    form: Schema | None
    response: Schema | FileResponse | None
    status: int
    errors: tuple
    description: str
    max_bytes: int


def operation(summary, *, tag, response=None, status=200, errors=(), auth=Auth.REQUIRED,
              bucket=ratelimit.Bucket.READ, query=None, body=None, form=None, description="",
              max_bytes=JSON_BODY_LIMIT):
    """Declare and enforce a view's contract; the view gets `query`, `body` or `form` checked."""
    op = Operation(summary, tag, auth, bucket, query, body, form, response, status,
                   tuple(errors), description, max_bytes)

    def wrap(view):
        """Run the checks in the order a caller should meet them: 401, 429, then 400."""
        @functools.wraps(view)
        def run(**kwargs):
            """Authenticate, count, check the request, call the view, shape its answer."""
            if op.auth != Auth.NONE:
                sessions.authenticate(required=op.auth == Auth.REQUIRED)
            if op.bucket is not None:
                ratelimit.hit(op.bucket)
            kwargs.update(_checked_inputs(op))
            result = view(**kwargs)
            return (jsonify(result), op.status) if isinstance(result, dict) else result
        run.operation = op
        return run
    return wrap


def _checked_inputs(op):
    """The query, body and form of this request, each checked against its declared shape."""
    inputs = {}
    request.max_content_length = op.max_bytes
    if contains_nul(request.args):
        raise InvalidRequest(NUL_REFUSAL)
    if op.query is not None:
        inputs["query"] = op.query.load_text(request.args)
    elif request.args:
        raise InvalidRequest("这个接口不接受查询参数", {key: "不支持的参数" for key in request.args})
    if op.form is not None:
        if contains_nul(request.form):
            raise InvalidRequest(NUL_REFUSAL)
        inputs["form"] = op.form.load_form(request.form, request.files)
        return inputs
    if op.body is not None:
        if not request.is_json:
            raise InvalidRequest("请求内容应为JSON（Content-Type: application/json）")
        try:
            body = request.get_json()
        except BadRequest:  # malformed, or nested too deeply to decode (see BoundedJSONProvider)
            raise InvalidRequest("请求内容不是有效的JSON") from None
        if contains_nul(body):
            raise InvalidRequest(NUL_REFUSAL)
        if contains_broken_character(body):
            raise InvalidRequest(BROKEN_REFUSAL)
        inputs["body"] = op.body.load(body)
    elif request.get_data(cache=True) and request.get_json(silent=True) != {}:
        # wx.request sends "{}" for an empty body; anything more is refused, not ignored.
        raise InvalidRequest("这个接口不接受请求内容")
    return inputs
