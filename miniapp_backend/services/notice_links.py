"""Links from a short WeChat message to its notice's full text.

A template or subscribe keyword holds about 20 characters, so a long 群发通知 or reminder arrives
cut. A subscribe message opens the notice's page in the mini-program, and so does a template
message where a mini-program is configured; a template message also carries the address of an H5
page of the notice, /n/<token>, signed so that ids cannot be tried in turn.
"""
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

NOTICE_PAGE = "pages/notices/detail?id={id}"
READER_PATH = "/n/"
TOKEN_SALT = "notice.reader"
# Long after any deadline a notice speaks of; the mini-program's inbox keeps it beyond that.
LINK_LIFETIME = 180 * 24 * 3600  # seconds


class LinkRefused(Exception):
    """A reader link that does not open a notice; `message` says why, for people."""

    message = "链接无效：可能复制不完整或被改动过"


class LinkExpired(LinkRefused):
    """A genuine link older than LINK_LIFETIME."""

    message = "链接已过期"


def _serializer(secret_key):
    """The signer of reader tokens, keyed by SECRET_KEY (its own salt: no other token passes)."""
    return URLSafeTimedSerializer(secret_key, salt=TOKEN_SALT)


def reader_token(secret_key, notice_id):
    """The signed token naming one notice."""
    return _serializer(secret_key).dumps(int(notice_id))


def notice_id_of(secret_key, token):
    """The notice id a token names; LinkExpired when too old, LinkRefused when not ours."""
    try:
        notice_id = _serializer(secret_key).loads(token or "", max_age=LINK_LIFETIME)
    except SignatureExpired:
        raise LinkExpired() from None
    except BadSignature:
        raise LinkRefused() from None
    if not isinstance(notice_id, int) or isinstance(notice_id, bool):
        raise LinkRefused()
    return notice_id


@dataclass(frozen=True)
class ReaderLinks:
    """What makes a notice's H5 address: PUBLIC_BASE_URL and the SECRET_KEY that signs it."""

    base_url: str
    secret_key: str

    def url(self, notice_id):
        """The absolute address of the notice's H5 page."""
        return f"{self.base_url.rstrip('/')}{READER_PATH}{reader_token(self.secret_key, notice_id)}"


def miniapp_page(page, notice_id):
    """Where a message opens in the mini-program (a subscribe message; a template message, where
    a mini-program is configured). A page naming one thing to act on (it carries a query, such
    as an application's id) is kept; a general one (the home page, a kind's default) gives way to
    the notice's own page, the only place its whole text is."""
    if page and "?" in page:
        return page
    return NOTICE_PAGE.format(id=notice_id)
