"""Our own session token (signed, expiring) and the WeChat session_key kept in Redis only."""
from flask import g, request
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from miniapp_backend.api import context
from miniapp_backend.api.errors import ApiError
from miniapp_backend.models import Channel, Identity

TOKEN_SALT = "api.v1.session"
TOKEN_LIFETIME = 3 * 24 * 3600  # seconds; the mini-program logs in again silently after that
SESSION_KEY_PREFIX = "miniapp:session_key:"
BEARER = "Bearer "


def _serializer():
    """The signer for session tokens, keyed by SECRET_KEY."""
    return URLSafeTimedSerializer(context.settings().secret_key, salt=TOKEN_SALT)


def issue_token(openid):
    """A token naming the mini-program identity; the person behind it is looked up per request."""
    return _serializer().dumps({"openid": openid})


def keep_session_key(openid, session_key):
    """Store WeChat's session_key server-side (it never leaves the server), as long as a token."""
    context.redis().set(SESSION_KEY_PREFIX + openid, session_key, ex=TOKEN_LIFETIME)


def _refuse(code, message):
    """A 401 that tells the mini-program to call wx.login again."""
    return ApiError(401, code, message, headers={"WWW-Authenticate": 'Bearer realm="api"'})


def _token():
    """The bearer token of this request, or None."""
    header = request.headers.get("Authorization", "")
    return header[len(BEARER):].strip() if header.startswith(BEARER) else None


def authenticate(required=True):
    """Set g.person and g.identity from the bearer token; refuse (401) when required and absent
    or not valid. Where signing in is optional, a stale token is ignored: the caller is served
    as anonymous (a worker's old token must not lock them out of public pages), and the refusal
    is kept for refuse_stale_token."""
    token = _token()
    if token is None:
        if required:
            raise _refuse("unauthenticated", "请先登录（缺少登录凭证）")
        return None
    try:
        identity = _identity(token)
    except ApiError as refusal:
        if required:
            raise
        g.stale_token_refusal = refusal
        return None
    g.identity, g.person = identity, identity.person
    return g.person


def _identity(token):
    """The mini-program identity a token names; ApiError (401) when expired, forged or unknown."""
    try:
        payload = _serializer().loads(token, max_age=TOKEN_LIFETIME)
    except SignatureExpired:
        raise _refuse("token_expired", "登录已过期，请重新登录") from None
    except BadSignature:
        raise _refuse("invalid_token", "登录凭证无效，请重新登录") from None
    openid = payload.get("openid") if isinstance(payload, dict) else None
    identity = Identity.get_or_none(channel=Channel.MINIAPP, openid=openid or "")
    if identity is None:
        raise _refuse("invalid_token", "登录凭证已失效，请重新登录")
    return identity


def refuse_stale_token():
    """Raise the 401 of a stale token ignored on a public call: for what only a signed-in caller
    could see, "sign in again" is the true answer, not "not found"."""
    refusal = g.get("stale_token_refusal")
    if refusal is not None:
        raise refusal


def current_person():
    """The signed-in person of this request (None on a public call without a token)."""
    return g.get("person")
