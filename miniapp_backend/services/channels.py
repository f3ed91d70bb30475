"""What the notification service needs from a message transport (WeChat, behind an adapter)."""
from typing import Protocol

# Tencent's errcodes both the adapter and the notification service act on.
SYSTEM_BUSY = -1  # "try again later"; the adapter also reports a send that never went out so
TOKEN_ERRORS = (40001, 40014, 42001)  # access_token invalid / not latest, invalid, expired
# An interface's daily quota is used up; Tencent renews it at midnight Beijing time.
DAILY_QUOTA = 45009


class SendRefused(Exception):
    """The platform refused a send; `errcode` says why (45015, 45047, 43101, 40164 …)."""

    def __init__(self, errcode, errmsg=""):
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


class SendUnconfirmed(Exception):
    """The send reached the platform but its outcome is unknown: its answer never came (a read
    timeout), or an HTTP server error (`http_status`) came that may follow a send carried out.
    The message may well have been delivered, so it must not be sent again by itself."""

    def __init__(self, message="", http_status=None):
        super().__init__(message)
        self.http_status = http_status


class Messenger(Protocol):
    """Sends one message on one channel, or raises SendRefused or SendUnconfirmed."""

    def send_customer_text(self, openid: str, text: str) -> None:
        """A customer-service (客服) text message to an official-account follower."""

    def send_template(self, openid: str, template_id: str, data: dict, url: str = "", page: str = "") -> int:
        """A template message on a verified 服务号; its msgid (delivery is reported later by it).
        `page`: the mini-program page it opens, where a mini-program is configured (else `url`)."""

    def send_subscribe(self, openid: str, template_id: str, data: dict, page: str = "") -> None:
        """A mini-program subscribe message (spends one grant)."""
