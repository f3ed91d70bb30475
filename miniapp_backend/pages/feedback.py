"""The feedback form: a signed per-page token (CSRF), a per-IP rate limit in Redis, validation."""
import hashlib
import hmac
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer

from miniapp_backend.free_text import count_chars, length_error, trim_text
from miniapp_backend.models import StationFeedback
from miniapp_backend.text_input import NUL_REFUSAL, contains_nul

TOPICS = ("建议", "表扬", "问题反映")
TOKEN_SALT = "station-feedback"
TOKEN_MAX_AGE = 2 * 3600  # seconds a page may stay open before its form expires
RATE_LIMIT = 5  # feedback notes per IP …
RATE_WINDOW = 3600  # … per hour
TEXT_MIN, TEXT_MAX = 2, 500
CONTACT_MAX = 60


@dataclass(frozen=True)
class Refusal(Exception):
    """Why a note was not accepted, in Chinese for the page."""

    message: str


def _serializer(secret_key):
    """Tokens signed with the app's secret."""
    return URLSafeTimedSerializer(secret_key, salt=TOKEN_SALT)


def form_token(secret_key, code):
    """The token embedded in a station page's form."""
    return _serializer(secret_key).dumps(code)


def ip_hash(secret_key, ip):
    """A keyed hash of the client IP: enough to rate-limit, useless to identify anyone."""
    return hmac.new(secret_key.encode(), (ip or "").encode(), hashlib.sha256).hexdigest()


def _check_token(secret_key, code, token):
    """Refuse a missing, forged, foreign or expired token."""
    try:
        signed = _serializer(secret_key).loads(token or "", max_age=TOKEN_MAX_AGE)
    except BadSignature:
        raise Refusal("页面已过期，请刷新后再提交") from None
    if signed != code:
        raise Refusal("页面已过期，请刷新后再提交")


def _take_rate(redis, hashed):
    """Count this note against the IP's hourly allowance."""
    key = f"pages:feedback:{hashed}"
    count = redis.incr(key)
    if count == 1:
        redis.expire(key, RATE_WINDOW)
    if count > RATE_LIMIT:
        raise Refusal("提交太频繁了，请一小时后再试")


def submit(redis, secret_key, station, form, ip):
    """Validate and record one feedback note; raise Refusal with the reason."""
    _check_token(secret_key, station.code, form.get("token"))
    topic = form.get("topic", "")
    text = trim_text(form.get("text") or "")
    contact = (form.get("contact") or "").strip()
    if topic not in TOPICS:
        raise Refusal("请选择反馈类型")
    if count_chars(text) < TEXT_MIN:
        raise Refusal(f"请填写{TEXT_MIN}到{TEXT_MAX}字的反馈内容")
    if too_long := length_error("反馈内容", text, TEXT_MAX):
        raise Refusal(too_long)
    if len(contact) > CONTACT_MAX:
        raise Refusal(f"联系方式不超过{CONTACT_MAX}字")
    if contains_nul(form):
        raise Refusal(NUL_REFUSAL)
    hashed = ip_hash(secret_key, ip)
    _take_rate(redis, hashed)
    return StationFeedback.create(station=station, topic=topic, text=text, contact=contact, ip_hash=hashed)
