"""Station jobs: page QR codes (PNG, SVG), the WeChat code, the A4 sign, batches of signs."""
import hashlib
import json
from pathlib import Path

from miniapp_backend.models import Asset, Org, Station, StationKind
from miniapp_backend.models.assets import APP_12351_QR
from miniapp_backend.packets.bundle import build_zip
from miniapp_backend.packets.qr_files import page_qr_path, station_folder
from miniapp_backend.packets.sign_pdf import SignContent, render_sign
from miniapp_backend.services import stations as station_service
from miniapp_backend.storage import FileStore, write_atomically
from workers.context import job_context
from workers.queues import enqueue_once
from workers.station_codes import ensure_wechat_code, wechat_image

SIGN_TITLES = {StationKind.WARM_STATION: "北京工会职工暖心驿站", StationKind.PUBLIC_HOME: "北京工会职工之家"}
SIGN_FILE = "sign.pdf"
BATCH_FOLDER = "signs"
KEY_LENGTH = 12
BATCH_TIMEOUT = 1800  # seconds: a district's first batch may create hundreds of WeChat codes


def _app_qr(filestore):
    """The uploaded 北京工会12351 APP QR image, or None."""
    asset = Asset.named(APP_12351_QR)
    return filestore.get(asset.sha256) if asset and filestore.exists(asset.sha256) else None


def _chair_line(station):
    """The chair's contact, printed for internal (non-public) stations only."""
    org = station.org
    if station.public or not (org.chair_name or org.phone or org.email):
        return ""
    parts = [f"工会主席：{org.chair_name}" if org.chair_name else "",
             f"电话：{org.phone}" if org.phone else "", f"邮箱：{org.email}" if org.email else ""]
    return "本驿站为单位内部驿站　" + "　".join(p for p in parts if p)


def sign_content(ctx, station, with_wechat=True):
    """Everything the sign of `station` shows."""
    filestore = FileStore(ctx.config.storage_dir)
    page_qr = page_qr_path(ctx.config.storage_dir, ctx.config.public_base_url, station.code).read_bytes()
    image, caption = wechat_image(ctx, ensure_wechat_code(ctx, station)) if with_wechat else (None, "")
    labels = station_service.vocabulary()
    return SignContent(
        title=SIGN_TITLES.get(station.kind, SIGN_TITLES[StationKind.WARM_STATION]), name=station.name,
        address=station.address, hours=station_service.hours_text(station),
        services=tuple(labels.get(s, s) for s in station.services), code=station.code,
        page_qr=page_qr, wechat_code=image, wechat_caption=caption, app_qr=_app_qr(filestore),
        chair=_chair_line(station))


def sign_path(config, station):
    """Where the station's current sign PDF is kept."""
    return station_folder(config.storage_dir, station.code) / SIGN_FILE


def compile_station_assets(station_id):
    """Job: the page QR code as PNG and SVG, the WeChat code, and the A4 sign; return the sign path."""
    with job_context() as ctx:
        station = Station.get_by_id(station_id)
        page_qr_path(ctx.config.storage_dir, ctx.config.public_base_url, station.code, "svg")
        path = sign_path(ctx.config, station)
        write_atomically(path, render_sign(sign_content(ctx, station)))
        return str(path)


def _content_key(*parts):
    """A short digest of what a sign or batch depends on (so changed inputs get a new job)."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:KEY_LENGTH]


def enqueue_station_assets(redis, station):
    """Enqueue the station's codes and sign (once per content of the station)."""
    asset = Asset.named(APP_12351_QR)
    key = _content_key(station.id, station.updated_at, asset.sha256 if asset else "")
    return enqueue_once(redis, "workers.stations.compile_station_assets", f"station-{station.id}-{key}",
                        station.id)


def _batch_stations(org):
    """The stations of an org's subtree (the district: all), in a stable order."""
    return list(Station.select().join(Org).where(Org.path.startswith(org.path)).order_by(Station.id))


def batch_path(config, org_id, key):
    """Where the zip of an org's signs is kept."""
    return Path(config.storage_dir) / BATCH_FOLDER / f"org-{org_id}-{key}.zip"


def batch_key(org):
    """What a batch depends on: its stations as they are now, and the APP QR image."""
    asset = Asset.named(APP_12351_QR)
    return _content_key([(s.id, s.updated_at) for s in _batch_stations(org)], asset.sha256 if asset else "")


def compile_batch_signs(org_id, key):
    """Job: one zip of the signs of every station of an org (or the district); return its path."""
    with job_context() as ctx:
        org = Org.get_by_id(org_id)
        path = batch_path(ctx.config, org_id, key)
        if not path.exists():
            entries = [(f"{s.code}_{s.name}.pdf", render_sign(sign_content(ctx, s)))
                       for s in _batch_stations(org)]
            write_atomically(path, build_zip(entries))
        return str(path)


def enqueue_batch_signs(redis, org):
    """Enqueue the zip of an org's signs; the job id says which content it will hold."""
    key = batch_key(org)
    return enqueue_once(redis, "workers.stations.compile_batch_signs", f"signs-{org.id}-{key}", org.id, key,
                        job_timeout=BATCH_TIMEOUT)
