"""A station's WeChat code for its sign: a permanent official-account code on a verified 服务号
(capped at 100,000 per account), else a mini-program code (no cap), else none (URL code only)."""
import datetime as dt
import logging

import requests
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat
from miniapp_backend.clock import utcnow
from miniapp_backend.models import CodeKind, QrQuota, StationWechatCode
from miniapp_backend.services.stations import scene_of
from miniapp_backend.storage import FileStore

log = logging.getLogger(__name__)

QUOTA_EXHAUSTED = 45029  # Tencent: no permanent QR codes left on this account
PAGE_NOT_PUBLISHED = 41030  # Tencent: the mini-program has no released page of that path
# The mini-program page that shows a station (its `scene` names the station).
STATION_PAGE = "pages/station/index"
# How often a sign made before the station page was released asks WeChat for its code again.
UNRELEASED_RETRY = dt.timedelta(hours=6)
CAPTIONS = {CodeKind.OFFICIAL: "微信扫码关注公众号<br/>查找附近驿站、联系工会",
            CodeKind.MINIAPP: "微信扫码打开小程序<br/>查找附近驿站"}


def _save(station, kind, appid, image=b"", filestore=None, **values):
    """Record the station's code (one row per station, replaced when the kind changes)."""
    sha256 = filestore.put(image) if image else ""
    fields = dict(kind=kind, scene=scene_of(station), appid=appid, image_sha256=sha256,
                  updated_at=utcnow(), ticket=values.get("ticket", ""), url=values.get("url", ""))
    StationWechatCode.insert(station=station, **fields).on_conflict(
        conflict_target=[StationWechatCode.station], update=fields).execute()
    return StationWechatCode.get(StationWechatCode.station == station)


def _official(ctx, station, filestore):
    """A permanent QR_LIMIT_STR_SCENE code, or None past the account's cap."""
    appid = ctx.config.wechat_appid
    if not QrQuota.reserve(appid):
        return None
    client = wechat.official_client(ctx.config, ctx.redis)
    try:
        created = client.qrcode.create({"action_name": "QR_LIMIT_STR_SCENE",
                                        "action_info": {"scene": {"scene_str": scene_of(station)}}})
        image = wechat.show_qrcode(client, created["ticket"])
    except WeChatClientException as exc:
        if exc.errcode == QUOTA_EXHAUSTED:
            QrQuota.exhaust(appid)
            return None
        QrQuota.release(appid)
        raise
    except requests.RequestException:
        QrQuota.release(appid)
        raise
    return _save(station, CodeKind.OFFICIAL, appid, image, filestore,
                 ticket=created["ticket"], url=created["url"])


def _miniapp(ctx, station, filestore):
    """A mini-program code for the station page; an UNRELEASED row (no image) while the page is not
    released; None when no mini-program is configured."""
    if not ctx.config.miniapp_appid:
        return None
    client = wechat.miniapp_client(ctx.config, ctx.redis)
    try:
        response = client.wxa.get_wxa_code_unlimited(scene_of(station), page=STATION_PAGE)
    except WeChatClientException as exc:
        if exc.errcode != PAGE_NOT_PUBLISHED:
            raise  # busy, token, quota: an outage, drawn again once WeChat answers
        # The station page is not released yet: the sign goes out with the URL code alone, and is
        # drawn again with the mini-program code once the page is released (the sweep asks).
        log.warning("no mini-program code for station %s: %s %s", station.code, exc.errcode, exc.errmsg)
        return _save(station, CodeKind.UNRELEASED, "", filestore=filestore)
    return _save(station, CodeKind.MINIAPP, ctx.config.miniapp_appid, response.content, filestore)


def _kept(station, filestore):
    """The station's WeChat code row if it has its image; URL-only and FALLBACK rows (no image) are
    tried again."""
    existing = StationWechatCode.get_or_none(StationWechatCode.station == station)
    return existing if existing and existing.image_sha256 and filestore.exists(existing.image_sha256) else None


def ensure_wechat_code(ctx, station):
    """The station's WeChat code row, created on first need; URL-only when none can be had."""
    filestore = FileStore(ctx.config.storage_dir)
    kept = _kept(station, filestore)
    if kept is not None:
        return kept
    made = None
    if ctx.config.verified_service_account and ctx.config.wechat_appid:
        made = _official(ctx, station, filestore)
    made = made or _miniapp(ctx, station, filestore)
    return made or _save(station, CodeKind.URL, "", filestore=filestore)


def wechat_code_or_fallback(ctx, station, outage=None):
    """(the station's WeChat code row, None); when WeChat refuses or cannot be reached, (a
    FALLBACK row, the error): the sign then carries the URL code alone until WeChat answers.

    `outage`: WeChat's error for another sign of the same batch a moment ago; WeChat is not asked
    again (a batch of hundreds would otherwise wait out hundreds of timeouts).
    """
    filestore = FileStore(ctx.config.storage_dir)
    if outage is not None:
        return _kept(station, filestore) or _save(station, CodeKind.FALLBACK, "", filestore=filestore), None
    try:
        return ensure_wechat_code(ctx, station), None
    except (WeChatClientException, requests.RequestException) as exc:
        log.warning("no WeChat code for station %s, its sign carries the URL code alone: %r", station.code, exc)
        return _save(station, CodeKind.FALLBACK, "", filestore=filestore), exc


def fallback_station_ids():
    """The ids of the stations whose sign carries the URL code alone until WeChat answers."""
    rows = StationWechatCode.select(StationWechatCode.station).where(StationWechatCode.kind == CodeKind.FALLBACK)
    return {row.station_id for row in rows}


def unreleased_due(now=None):
    """The ids of the stations whose sign carries the URL code alone because the mini-program's
    station page was not released when it was made, last asked about UNRELEASED_RETRY ago or more."""
    cutoff = (now or utcnow()) - UNRELEASED_RETRY
    rows = StationWechatCode.select(StationWechatCode.station).where(
        StationWechatCode.kind == CodeKind.UNRELEASED, StationWechatCode.updated_at <= cutoff)
    return {row.station_id for row in rows}


def code_states():
    """{station id: its code kind} of the stations whose sign carries the URL code alone for now
    (WeChat did not answer, or the mini-program page was not released)."""
    rows = StationWechatCode.select(StationWechatCode.station, StationWechatCode.kind).where(
        StationWechatCode.kind.in_([CodeKind.FALLBACK, CodeKind.UNRELEASED]))
    return {row.station_id: row.kind for row in rows}


def awaits_code(station):
    """True while the station's sign carries the URL code alone for now (see code_states)."""
    return StationWechatCode.select().where(
        StationWechatCode.station == station,
        StationWechatCode.kind.in_([CodeKind.FALLBACK, CodeKind.UNRELEASED])).exists()


def on_fallback(station):
    """True while the station's sign carries the URL code alone until WeChat answers."""
    return StationWechatCode.select().where(StationWechatCode.station == station,
                                            StationWechatCode.kind == CodeKind.FALLBACK).exists()


def wechat_image(ctx, row):
    """(image bytes, caption) of a code row for the sign, or (None, "") for URL-only."""
    if row.kind == CodeKind.URL or not row.image_sha256:
        return None, ""
    return FileStore(ctx.config.storage_dir).get(row.image_sha256), CAPTIONS[CodeKind(row.kind)]
