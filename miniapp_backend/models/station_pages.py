"""What public station pages and signs need: scannable codes per station, feedback, the quota."""
from enum import StrEnum

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.stations import Station

# Tencent allows 100,000 permanent parametric QR codes per official account.
PERMANENT_QR_LIMIT = 100_000


class CodeKind(StrEnum):
    """Which WeChat code a station's sign carries beside the plain URL code."""

    OFFICIAL = "official"  # permanent parametric code of the 服务号 (QR_LIMIT_STR_SCENE)
    MINIAPP = "miniapp"  # mini-program code (getwxacodeunlimit), no count limit
    URL = "url"  # neither could be had: the URL code alone
    # WeChat refused or could not be reached: the URL code alone for now, and the sign is drawn
    # again once WeChat answers (workers.stations).
    FALLBACK = "fallback"
    # The mini-program's station page was not released yet (errcode 41030): the URL code alone,
    # and the code is asked for again now and then until the page is released (workers.stations).
    UNRELEASED = "unreleased"


class StationWechatCode(BaseModel):
    """A station's WeChat code: its kind, scene, ticket and url, and the image in the file store."""

    station = ForeignKeyField(Station, unique=True, backref="+", on_delete="CASCADE")
    kind = CharField(max_length=10)
    scene = CharField(max_length=64)
    appid = CharField(max_length=32, default="")
    ticket = CharField(max_length=255, default="")
    # Indexed: a scan in the 扫码 menu reports this url, and the station is looked up by it.
    url = CharField(max_length=255, default="", index=True)
    image_sha256 = CharField(max_length=64, default="")
    updated_at = DateTimeField(default=utcnow)


class QrQuota(BaseModel):
    """Permanent parametric codes used per official account (counted before each is created)."""

    appid = CharField(max_length=32, unique=True)
    used = IntegerField(default=0)

    @classmethod
    def reserve(cls, appid, limit=PERMANENT_QR_LIMIT):
        """Take one code from the quota; False when the account has used them all."""
        cls.insert(appid=appid, used=0).on_conflict_ignore().execute()
        return bool(cls.update(used=cls.used + 1)
                    .where(cls.appid == appid, cls.used < limit).execute())

    @classmethod
    def release(cls, appid):
        """Give back a reservation whose code was not created."""
        cls.update(used=cls.used - 1).where(cls.appid == appid, cls.used > 0).execute()

    @classmethod
    def exhaust(cls, appid, limit=PERMANENT_QR_LIMIT):
        """Tencent says the quota is gone (45029): believe it."""
        cls.update(used=limit).where(cls.appid == appid).execute()


class StationFeedback(BaseModel):
    """A note a worker left on a station's page; the IP is kept only as a keyed hash."""

    station = ForeignKeyField(Station, backref="feedback", on_delete="CASCADE")
    topic = CharField(max_length=12)
    text = TextField()
    contact = CharField(max_length=60, default="")
    ip_hash = CharField(max_length=64)
    handled_at = DateTimeField(null=True)
