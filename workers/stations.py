"""Station jobs: page QR codes (PNG, SVG), the WeChat code, the A4 sign, batches of signs."""
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path

import requests
from rq import Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job
from wechatpy.exceptions import WeChatClientException

from miniapp_backend.models import Asset, CodeKind, Org, Station, StationKind, StationStatus
from miniapp_backend.models.assets import APP_12351_QR
from miniapp_backend.packets.bundle import Typed, build_zip, fitted_name
from miniapp_backend.packets.content_keys import content_key
from miniapp_backend.packets.qr_files import page_qr_path, station_folder
from miniapp_backend.packets.sign_pdf import SIGN_LAYOUT, SignContent, render_sign
from miniapp_backend.services import nearby, stations as station_service
from miniapp_backend.storage import FileStore, write_atomically
from workers.context import job_context
from workers.packets import failure_reason
from workers.queues import enqueue_once, job_is_live
from workers.station_codes import (
    awaits_code, code_states, fallback_station_ids, on_fallback, unreleased_due, wechat_code_or_fallback,
    wechat_image)

SIGN_TITLES = {StationKind.WARM_STATION: "北京工会职工暖心驿站", StationKind.PUBLIC_HOME: "北京工会职工之家"}
# A 公共区域职工之家 is no 驿站: its sign calls its number after what it is.
CODE_LABELS = {StationKind.WARM_STATION: "驿站编号", StationKind.PUBLIC_HOME: "职工之家编号"}
BATCH_FOLDER = "signs"
# Stations whose signs go up: open ones, and those being built, which hang theirs before their
# acceptance (item 2 of the 驿站 checklist). A closed or moved station's sign would lead to a page
# saying so; its own sign can still be downloaded on its own.
POSTED = (StationStatus.ACTIVE, StationStatus.PLANNED)
KEY_LENGTH = 12
FALLBACK_NOTE = ("此标识牌上只有驿站网页的链接二维码，不是公众号二维码{reason}。微信接口恢复后系统会自动"
                 "重新生成带公众号二维码的标识牌，届时请重新下载打印")
SIGN_RETRY = Retry(max=3, interval=[10, 60, 300])
BATCH_TIMEOUT = 1800  # seconds: a district's first batch may create hundreds of WeChat codes


def _app_qr(filestore):
    """The uploaded 北京工会12351 APP QR image, or None."""
    asset = Asset.named(APP_12351_QR)
    return filestore.get(asset.sha256) if asset and filestore.exists(asset.sha256) else None


def _chair_line(station):
    """The chair's contact, printed for internal (non-public) stations only."""
    contact = station_service.chair_contact_text(station_service.chair_contact(station))
    return f"本驿站为单位内部驿站　{contact}" if contact else ""


def _sign_hours(station):
    """The hours the sign prints: none when none are registered (a sign on a wall does not
    advertise missing data; its page, reached by the code, says whom to ask)."""
    return station_service.hours_text(station) if station_service.hours_known(station) else ""


def sign_content(ctx, station, wechat_code):
    """Everything the sign of `station` shows, with the WeChat code of the row `wechat_code`."""
    filestore = FileStore(ctx.config.storage_dir)
    page_qr = page_qr_path(ctx.config.storage_dir, ctx.config.public_base_url, station.code).read_bytes()
    image, caption = wechat_image(ctx, wechat_code)
    labels = station_service.vocabulary()
    return SignContent(
        title=SIGN_TITLES.get(station.kind, SIGN_TITLES[StationKind.WARM_STATION]), name=station.name,
        address=station.address, hours=_sign_hours(station),
        services=tuple(labels.get(s, s) for s in station.services), code=station.code,
        page_qr=page_qr, wechat_code=image, wechat_caption=caption, app_qr=_app_qr(filestore),
        chair=_chair_line(station), phone=station.phone,
        code_label=CODE_LABELS.get(station.kind, CODE_LABELS[StationKind.WARM_STATION]))


def app_qr_sha():
    """The sha256 of the uploaded APP QR image ("" while there is none)."""
    asset = Asset.named(APP_12351_QR)
    return asset.sha256 if asset else ""


def sign_key(config, station, qr_sha):
    """What the station's sign shows, as a digest (its WeChat code is made once and kept), and the
    layout it is drawn with: a sign drawn by an older layout is drawn again."""
    return content_key(KEY_LENGTH, station.kind, station.name, station.address,
                       _sign_hours(station), station.services, station.code,
                       _chair_line(station), qr_sha, config.public_base_url, station.phone, SIGN_LAYOUT)


def sign_path(config, station, qr_sha=None):
    """Where the sign of the station as it is now is kept: a change to what it shows, a new file."""
    sha = app_qr_sha() if qr_sha is None else qr_sha
    return station_folder(config.storage_dir, station.code) / f"sign-{sign_key(config, station, sha)}.pdf"


def sign_download_name(station):
    """The name a station's sign is downloaded under, “<驿站>_标识牌.pdf”, within a file name's byte
    limit (a long name is shortened)."""
    return fitted_name(Typed(station.name), "_标识牌.pdf")


def _write_sign(ctx, station, path, outage=None):
    """Render the sign into `path` and drop the station's older signs; return the PDF and the
    WeChat error that left it with the URL code alone (None when WeChat answered, or was not asked
    after the `outage` of another sign of the batch)."""
    wechat_code, error = wechat_code_or_fallback(ctx, station, outage)
    pdf = render_sign(sign_content(ctx, station, wechat_code))
    write_atomically(path, pdf)
    for older in path.parent.glob("sign-*.pdf"):
        if older != path:
            older.unlink(missing_ok=True)
    return pdf, error


def sign_failure_reason(exc):
    """Why a sign could not be made, in words an admin can act on."""
    if isinstance(exc, WeChatClientException):
        return f"微信接口拒绝了请求（错误码{exc.errcode}：{exc.errmsg}），请检查公众号和小程序的AppID、密钥"
    if isinstance(exc, requests.RequestException):
        return "连不上微信接口（网络或微信服务暂时不可用）"
    return failure_reason(exc)


@contextmanager
def _failure_noted():
    """Keep why a job failed with the job, so the admin who asks for its file again learns why
    it is missing (job_failure)."""
    try:
        yield
    except Exception as exc:
        job = get_current_job()
        if job is not None:
            job.meta["failure"] = sign_failure_reason(exc)
            job.save_meta()
        raise


def job_failure(redis, job_id):
    """Why the last run of a sign or batch job failed, or "" (none failed, or it ran since)."""
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        return ""
    return "" if job.get_status() == "finished" else job.meta.get("failure", "")


def compile_station_assets(station_id):
    """Job: the page QR code as PNG and SVG, the WeChat code, and the A4 sign; return the sign path.

    When WeChat refuses or cannot be reached the sign is made with the URL code alone, and the job
    then fails with WeChat's error: rq's retries (and after them the sweep) draw it again with the
    WeChat code once WeChat answers.
    """
    with job_context() as ctx, _failure_noted():
        station = Station.get_by_id(station_id)
        page_qr_path(ctx.config.storage_dir, ctx.config.public_base_url, station.code, "svg")
        path = sign_path(ctx.config, station)
        if not path.exists() or awaits_code(station):
            _, error = _write_sign(ctx, station, path)
            if error is not None:
                raise error
        return str(path)


def _sign_job_id(config, station):
    """The id of the job that makes the station's sign as it is now."""
    return f"station-{station.id}-{sign_key(config, station, app_qr_sha())}"


def sign_failure(redis, config, station):
    """Why the last run of the station's current sign job failed, or "" (none failed)."""
    return job_failure(redis, _sign_job_id(config, station))


def fallback_note(redis, config, station):
    """What an admin should know of a sign made with the URL code alone while WeChat did not
    answer, with WeChat's answer when it is still known; "" for any other sign."""
    return _fallback_text(redis, config, station) if on_fallback(station) else ""


def fallback_notes(redis, config, stations):
    """{station id: its fallback_note} of those of `stations` whose sign carries the URL code
    alone (one query for all, however many are listed)."""
    waiting = fallback_station_ids()
    return {s.id: _fallback_text(redis, config, s) for s in stations if s.id in waiting}


def _fallback_text(redis, config, station):
    """The fallback note of a station known to be on the URL code alone."""
    reason = sign_failure(redis, config, station)
    return FALLBACK_NOTE.format(reason=f"（{reason}）" if reason else "")


class SignState(StrEnum):
    """Where a station's current sign stands."""

    READY = "ready"
    RUNNING = "running"
    FAILED = "failed"
    MISSING = "missing"  # no job asked for it yet (an import before the sweep came by)


def sign_state(redis, config, station):
    """(SignState, why the last run failed or ""): the file first, since a failed job's note
    outlives a later run that made the sign another way (a batch renders missing signs too)."""
    if sign_path(config, station).exists():
        return SignState.READY, ""
    failure = sign_failure(redis, config, station)
    if failure:
        return SignState.FAILED, failure
    live = job_is_live(redis, _sign_job_id(config, station))
    return (SignState.RUNNING if live else SignState.MISSING), ""


def is_posted(station):
    """True while the station's sign should hang (see POSTED)."""
    return station.status in POSTED


def enqueue_station_assets(redis, config, station):
    """Enqueue the station's codes and sign, once per content; a failed or ended run is replaced
    (the job does nothing when the sign is in place)."""
    return enqueue_once(redis, "workers.stations.compile_station_assets", _sign_job_id(config, station),
                        station.id, replace_idle=True, retry=SIGN_RETRY)


def station_changed(redis, config, station):
    """After an edge created or edited a station: the nearby index follows at once, the sign by a job."""
    nearby.station_changed(redis, station)
    enqueue_station_assets(redis, config, station)


def sweep_signs():
    """Periodic: a job for each station without its current sign (imports, demo data, a changed
    chair contact or APP QR image, a lost job) or whose sign waits for its WeChat code: at once
    after WeChat did not answer, every UNRELEASED_RETRY while the mini-program page was unreleased."""
    with job_context() as ctx:
        sha, waiting = app_qr_sha(), fallback_station_ids() | unreleased_due()
        missing = [s for s in Station.select(Station, Org).join(Org).order_by(Station.id)
                   if s.id in waiting or not sign_path(ctx.config, s, sha).exists()]
        for station in missing:
            enqueue_station_assets(ctx.redis, ctx.config, station)
        return {"enqueued": len(missing)}


def batch_stations(org):
    """The stations of an org's subtree (the district: all) whose signs are posted, in a stable
    order."""
    return list(Station.select(Station, Org).join(Org)
                .where(Org.path.startswith(org.path), Station.status.in_(POSTED)).order_by(Station.id))


def batch_path(config, org_id, key):
    """Where the zip of an org's signs is kept."""
    return Path(config.storage_dir) / BATCH_FOLDER / f"org-{org_id}-{key}.zip"


def batch_download_name(org):
    """The name an org's zip of signs is downloaded under, “<单位>_驿站标识牌.zip”, within a file
    name's byte limit."""
    return fitted_name(Typed(org.full_name), "_驿站标识牌.zip")


def batch_key(config, stations):
    """What a batch of `stations` (batch_stations) depends on: their signs as they are now, and
    which of them wait for their WeChat code (a batch made meanwhile is made again after)."""
    sha, waiting = app_qr_sha(), code_states()
    return content_key(KEY_LENGTH, [(sign_key(config, s, sha), waiting.get(s.id) == CodeKind.FALLBACK,
                                     waiting.get(s.id) == CodeKind.UNRELEASED) for s in stations])


def batch_job_id(org_id, key):
    """The id of the job that makes one content of an org's batch."""
    return f"signs-{org_id}-{key}"


def compile_batch_signs(org_id, key):
    """Job: one zip of the signs of every station of an org (or the district); return its path.

    `key` names the content asked for; the zip is filed under the content it holds (stations may
    have changed since). Signs already in place are reused; missing ones, and those waiting for
    their WeChat code, are rendered and kept (with the URL code alone while WeChat does not answer).
    """
    with job_context() as ctx, _failure_noted():
        members = batch_stations(Org.get_by_id(org_id))
        path = batch_path(ctx.config, org_id, batch_key(ctx.config, members))
        if not path.exists():
            sha, waiting, entries, outage = app_qr_sha(), fallback_station_ids(), [], None
            for station in members:
                sign = sign_path(ctx.config, station, sha)
                if sign.exists() and station.id not in waiting:
                    pdf = sign.read_bytes()
                else:
                    pdf, error = _write_sign(ctx, station, sign, outage)
                    outage = outage or error
                entries.append((fitted_name(f"{station.code}_", Typed(station.name), ".pdf"), pdf))
            # Filed under what it holds now: a sign just made may be waiting for its WeChat code.
            path = batch_path(ctx.config, org_id, batch_key(ctx.config, members))
            write_atomically(path, build_zip(entries))
            for older in path.parent.glob(f"org-{org_id}-*.zip"):
                if older != path:
                    older.unlink(missing_ok=True)
        return str(path)


def enqueue_batch_signs(redis, org, key):
    """Enqueue the zip of an org's signs for the content `key` names."""
    return enqueue_once(redis, "workers.stations.compile_batch_signs", batch_job_id(org.id, key), org.id, key,
                        replace_idle=True, job_timeout=BATCH_TIMEOUT)
