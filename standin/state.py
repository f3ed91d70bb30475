"""The stand-in's in-memory world: one process plays Tencent, so plain containers behind a lock."""
import collections
import itertools
import secrets
import threading
import time

from standin.protocol import ApiError
from standin.tokens import TokenBook

# Logs are bounded so a stand-in left running under `make run` does not grow without end.
LOG_LIMIT = 10_000


class StandinState:
    """Tokens, one-time codes, media, users, menus, tags, QR tickets, faults and the logs."""

    def __init__(self, settings):
        """A fresh world for `settings`."""
        self.settings = settings
        self.lock = threading.RLock()
        self.reset()

    def reset(self):
        """Forget everything, as a fresh Tencent."""
        with self.lock:
            self.offset = 0.0
            self.tokens = TokenBook(self.settings, self.now)
            self.codes = {}
            self.media = {}
            self.users = {}
            self.menu = None
            self.conditional_menus = []
            self.tags = {}
            self.qrcodes = {}
            self.permanent_scenes = {}
            self.faults = []
            self.sent = collections.deque(maxlen=LOG_LIMIT)
            self.calls = collections.deque(maxlen=LOG_LIMIT)
            self.inbound = collections.deque(maxlen=LOG_LIMIT)
            self._ids = itertools.count(100)

    def now(self):
        """Tencent's clock: real time plus whatever tests advanced it by."""
        return time.time() + self.offset

    def advance(self, seconds):
        """Move Tencent's clock forward (tokens, codes, media and tickets age with it)."""
        with self.lock:
            self.offset += seconds

    def next_id(self):
        """A fresh number for menu ids, tag ids and msgids."""
        with self.lock:
            return next(self._ids)

    def mint_code(self, kind, payload):
        """A one-time code (wx.login, getPhoneNumber) valid for code_lifetime seconds."""
        code = secrets.token_hex(16)
        with self.lock:
            self.codes[(kind, code)] = (payload, self.now() + self.settings.code_lifetime)
        return code

    def redeem_code(self, kind, code):
        """The payload behind a code, once; 40029 when unknown, used or expired."""
        with self.lock:
            entry = self.codes.pop((kind, code), None)
        if entry is None or entry[1] <= self.now():
            raise ApiError(40029)
        return entry[0]

    def add_media(self, data, content_type, media_type="image", filename="media"):
        """Store a temporary media file and return its record."""
        record = {"media_id": secrets.token_urlsafe(48), "data": data, "type": media_type,
                  "content_type": content_type or "application/octet-stream",
                  "filename": filename or "media", "created_at": int(self.now())}
        with self.lock:
            self.media[record["media_id"]] = record
        return record

    def media_record(self, media_id):
        """A stored media record younger than 3 days, else 40007."""
        with self.lock:
            record = self.media.get(media_id)
        if record is None or self.now() - record["created_at"] >= self.settings.media_lifetime:
            raise ApiError(40007)
        return record

    def age_media(self, seconds, media_id=None):
        """Make one media file (or all) older by `seconds`; returns how many were aged."""
        with self.lock:
            records = [self.media[media_id]] if media_id in self.media else (
                [] if media_id else list(self.media.values()))
            for record in records:
                record["created_at"] -= seconds
            return len(records)

    def user(self, openid):
        """What Tencent knows of a user (subscribe 0 for strangers)."""
        with self.lock:
            return dict(self.users.get(openid, {"subscribe": 0, "tagid_list": []}))

    def update_user(self, openid, **fields):
        """Create or change a known user."""
        with self.lock:
            user = self.users.setdefault(openid, {"subscribe": 0, "tagid_list": []})
            user.update(fields)
            return dict(user)

    def record_sent(self, openid, kind, payload, **extra):
        """Log one message sent to a user (custom, template or subscribe), with `extra` fields
        such as a template's msgid (what its TEMPLATESENDJOBFINISH event carries)."""
        with self.lock:
            self.sent.append({"openid": openid, "kind": kind, "payload": payload,
                              "time": self.now(), **extra})

    def log_call(self, entry):
        """Log one API call; the entry can be completed later (errcode)."""
        with self.lock:
            self.calls.append(entry)

    def add_fault(self, spec):
        """Queue a fault: the next `times` calls to `path` (for `openid`) answer errcode/delay. A
        delay alone is carried out after it, as Tencent does with a call it answers late: longer
        than the client's timeout, it is a read timeout on a send that still reaches the user.
        `http_status` (502, 503 …) answers an HTTP error as a gateway in front of Tencent does:
        before the call is carried out, or with `carried_out` after it (the answer was lost)."""
        if not isinstance(spec.get("path"), str) or not (
                "errcode" in spec or "delay" in spec or "http_status" in spec):
            raise ValueError("a fault needs a path and an errcode, a delay or an http_status")
        fault = {"path": spec["path"].lstrip("/"), "times": int(spec.get("times", 1)),
                 "errcode": spec.get("errcode"), "errmsg": spec.get("errmsg"),
                 "delay": float(spec.get("delay", 0)), "openid": spec.get("openid"),
                 "http_status": spec.get("http_status"), "carried_out": bool(spec.get("carried_out"))}
        if fault["times"] < 1:
            raise ValueError("times must be at least 1")
        with self.lock:
            self.faults.append(fault)
        return fault

    def take_fault(self, path, openid):
        """The first queued fault matching this call, spending one of its times."""
        with self.lock:
            for fault in self.faults:
                if fault["path"] == path and fault["openid"] in (None, openid):
                    fault["times"] -= 1
                    if not fault["times"]:
                        self.faults.remove(fault)
                    return dict(fault)
        return None
