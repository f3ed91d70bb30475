"""Application packets: enqueued after submit and after each review decision, compiled by a job.

Idempotent (rq delivers at least once): the job id is fixed per snapshot version and review
state; files are written under a temporary name and renamed into place; the Packet row turns
DONE only after every file is in place; the notice key is per packet. A worker killed mid-job
leaves at most hidden temporary files; rq retries the job (also after its abandoned-job
cleanup), and the periodic sweep re-enqueues any packet whose job was lost or gave up.
"""
import datetime as dt
import errno
import hashlib
import logging
import os
import tempfile
from pathlib import Path

from rq import Retry, get_current_job
from rq.timeouts import JobTimeoutException

from miniapp_backend.clock import format_local, utcnow
from miniapp_backend.models import (
    PACKET_STATUS_LABELS, Application, AppStatus, Packet, PacketStatus, StepMode)
from miniapp_backend.packets.build import render_packet
from miniapp_backend.packets.fonts import FontMissing
from miniapp_backend.packets.inputs import PACKET_LAYOUT, state_key
from miniapp_backend.services import notices, notifications, review
from miniapp_backend.storage import FileStore, write_atomically
from workers.context import job_context
from workers.packet_sources import opinions_of, packet_source
from workers.queues import deliver_notices, enqueue_once, job_is_live

log = logging.getLogger(__name__)

PACKET_RETRY = Retry(max=3, interval=[10, 60, 300])
PACKET_TIMEOUT = 600  # seconds; a 21-photo packet takes about one
FILE_NAMES = {"pdf": "packet.pdf", "docx": "packet.docx", "zip": "packet.zip"}
HASH_CHUNK = 1 << 20
# The sweep leaves young rows alone (their job may be on its way) and stops after this many runs.
SWEEP_GRACE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 8
NOTICE_TEXT = ("【{title}】申报材料（第{version}版）已生成{detail}。请在小程序“申报详情”中打开PDF，"
               "打印后签字盖章；电脑上可下载可编辑的Word版和全部材料压缩包。")


FAILED_TEXT = "生成失败：{reason}。系统会自动重试，多次失败请联系系统管理员"
# Once the sweep stops (MAX_ATTEMPTS runs) and rq has no retry left, nothing retries by itself.
GAVE_UP_TEXT = ("生成失败：{reason}。已尝试生成{attempts}次仍未成功，系统不再自动重试：管理员排除原因后"
                "可在申报页面点“重新生成材料包”，申报单位请联系区总工会组宣部")
PAPER_STEP_TEXT = "由{label}签署意见并盖章后，请在小程序“申报详情”上传盖章页扫描件，审核才会继续。"
OUTDATED_TEXT = ("材料包的版式已更新：这次下载的第{version}版仍是旧版式，新版式的材料包正在生成，"
                 "稍后重新下载即可")


def _folder(packet):
    """Where a packet's files live, relative to the storage dir."""
    return f"packets/{packet.application_id}/v{packet.version}-{packet.review_state_key}"


def packet_path(config, packet, kind="pdf"):
    """The file of a finished packet ("pdf", "docx" or "zip") for the API to serve."""
    return Path(config.storage_dir) / packet.folder / FILE_NAMES[kind]


def latest_packet(application):
    """The newest finished packet of an application, or None."""
    return Packet.latest_done(application)


def current_packet(application):
    """The newest finished packet of the application's current version, or None: after a
    resubmission the previous version's packet is not the one to print and stamp."""
    packet = Packet.latest_done(application)
    return packet if packet is not None and packet.version == application.version else None


def failure_reason(exc):
    """Why a packet could not be made, in words an admin can act on."""
    if isinstance(exc, FontMissing):
        return str(exc)  # says what to install
    if isinstance(exc, JobTimeoutException):
        return "生成超时（材料较多或服务器繁忙，未能在限定时间内完成）"
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        return "服务器磁盘已满，文件写不进去"
    if isinstance(exc, OSError):
        return f"服务器上的文件读写出错（{exc.strerror or type(exc).__name__}：{exc.filename or ''}）"
    return f"程序出错（{type(exc).__name__}: {exc}）"


def packet_state(application):
    """What keeps the newest packet from being there, for the unit and the admins: “第2版生成中”,
    “第2版生成失败：…”; "" when the newest packet is done."""
    newest = (Packet.select().where(Packet.application == application,
                                    Packet.status != PacketStatus.SUPERSEDED)
              .order_by(Packet.id.desc()).first())
    if newest is None or newest.status == PacketStatus.DONE:
        return ""
    label = f"第{newest.version}版{PACKET_STATUS_LABELS[PacketStatus(newest.status)]}"
    return newest.detail if newest.status == PacketStatus.FAILED and newest.detail else label


def enqueue_packet(redis, application, retry_now=False):
    """Ask for the packet of the application's current version and review state; return its row.
    `retry_now`: a job waiting for its retry runs now instead."""
    application = Application.get_by_id(application.id)
    if application.version < 1 or application.status == AppStatus.DRAFT:
        return None
    key = state_key(opinions_of(application, application.version), PACKET_LAYOUT)
    Packet.insert(application=application, version=application.version, review_state_key=key,
                  layout=PACKET_LAYOUT).on_conflict_ignore().execute()
    packet = Packet.get(application=application, version=application.version, review_state_key=key)
    if packet.status != PacketStatus.DONE:
        _enqueue(redis, packet, retry_now=retry_now)
    return packet


def retry_packet(redis, application):
    """An admin asks again for the current version's failed packet (its cause fixed): it reads as
    queued at once, and its job runs now (a retry rq scheduled for later is run now instead, not
    as well) with rq's retries whatever the sweep's count."""
    Packet.update(status=PacketStatus.QUEUED, detail="", updated_at=utcnow()).where(
        Packet.application == application, Packet.version == application.version,
        Packet.status == PacketStatus.FAILED).execute()
    return enqueue_packet(redis, application, retry_now=True)


def refresh_outdated(redis, application, packet):
    """When a packet about to be downloaded was drawn by an older layout: ask for it anew (it is
    still served meanwhile) and return the note saying so; "" for a packet of the current layout."""
    if packet.layout >= PACKET_LAYOUT:
        return ""
    enqueue_packet(redis, application)
    return OUTDATED_TEXT.format(version=packet.version)


def _enqueue(redis, packet, retry_now=False):
    """Enqueue the packet's job unless it is queued, running or waiting for its retry; a failed,
    finished or lost job's id is reused. Once per snapshot version and review state: requests at
    the same moment queue it once (enqueue_once), while a newer version or review state has a job
    of its own that runs even as this one does. `retry_now` runs a job waiting for its retry now."""
    return enqueue_once(redis, "workers.packets.compile_packet", packet.job_id,
                        packet.application_id, packet.version, packet.review_state_key,
                        replace_idle=True, keep_retries=True, retry_now=retry_now,
                        retry=PACKET_RETRY, job_timeout=PACKET_TIMEOUT)


def _mark(packet, status, **values):
    """Update a packet row's status and fields."""
    Packet.update(status=status, updated_at=utcnow(), **values).where(Packet.id == packet.id).execute()


def _write_streamed(target, write):
    """write_atomically for content too large to hold: `write(file)` fills a temporary file,
    which is synced and renamed into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_sha256(path):
    """The sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(HASH_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_files(config, packet, files):
    """Write the three files atomically; return their sha256 by kind."""
    folder = Path(config.storage_dir) / _folder(packet)
    digests = {}
    for kind in ("pdf", "docx"):
        data = getattr(files, kind)
        write_atomically(folder / FILE_NAMES[kind], data)
        digests[kind] = hashlib.sha256(data).hexdigest()
    _write_streamed(folder / FILE_NAMES["zip"], files.write_zip)
    digests["zip"] = _file_sha256(folder / FILE_NAMES["zip"])
    # Temporary files of a run killed mid-write are garbage now. A duplicate run still writing
    # would lose its rename, fail, and on its retry find the packet done.
    for leftover in folder.glob(".*.tmp"):
        leftover.unlink(missing_ok=True)
    return digests


def _notify(redis, application, packet, opinions):
    """Tell the unit's chair and staff, once per packet; not of a returned or rejected one, which
    is not to be printed and stamped (its status notice says what to do)."""
    if application.status in (AppStatus.RETURNED, AppStatus.REJECTED):
        return
    title = notices.application_title(application)
    acted = any(o.decided and o.mode == "digital" for o in opinions)
    detail = "，已填入审核意见" if acted else ""
    text = NOTICE_TEXT.format(title=title, version=packet.version, detail=detail)
    step = review.current_step(application) if application.status == AppStatus.SUBMITTED else None
    if step is not None and step.mode == StepMode.PAPER:
        text += PAPER_STEP_TEXT.format(label=step.label)
    parts = {"text": text,
             "title": title, "status": "已生成", "time": format_local(utcnow()),
             "detail": f"第{packet.version}版申报材料", "page": f"pages/application/detail?id={application.id}"}
    written = [notifications.queue(person, f"packet_ready:{packet.id}:p{person.id}", "packet_ready", parts)
               for person in notices.recipients(application.org)]
    deliver_notices(redis, [n for n in written if n])


def _redraws(packet, opinions):
    """True when a finished packet of an older layout printed the same opinions: this one only
    draws it anew, which is no news for the unit (and would spend its subscribe-message grants)."""
    older = Packet.select().where(Packet.application == packet.application_id, Packet.version == packet.version,
                                  Packet.status == PacketStatus.DONE, Packet.layout < packet.layout)
    return any(state_key(opinions, old.layout) == old.review_state_key for old in older)


def compile_packet(application_id, version, review_state_key):
    """Job: render the packet of one version and review state, put it in place, tell the unit."""
    with job_context() as ctx:
        application = Application.get_by_id(application_id)
        Packet.insert(application=application, version=version, review_state_key=review_state_key,
                      layout=PACKET_LAYOUT).on_conflict_ignore().execute()
        packet = Packet.get(application=application, version=version, review_state_key=review_state_key)
        if packet.status == PacketStatus.DONE:
            return PacketStatus.DONE
        if version < application.version:
            # Resubmitted since: nobody is to print this version, and its notice would ask them to.
            _mark(packet, PacketStatus.SUPERSEDED, detail=f"已重新提交第{application.version}版，不再生成")
            return PacketStatus.SUPERSEDED
        opinions = opinions_of(application, version)
        if state_key(opinions, PACKET_LAYOUT) != review_state_key:
            outdated = packet.layout < PACKET_LAYOUT
            _mark(packet, PacketStatus.SUPERSEDED, detail="版式已更新，已按新版式另行生成" if outdated
                  else "审核状态已变化，已按新状态另行生成")
            # A review step asks for its state's packet; a new layout, or a key an older release
            # computed, has nobody else to ask (once: the job id is fixed).
            enqueue_packet(ctx.redis, application)
            return PacketStatus.SUPERSEDED
        _mark(packet, PacketStatus.RUNNING, attempts=Packet.attempts + 1, started_at=utcnow())
        try:
            files = render_packet(packet_source(application, version, FileStore(ctx.config.storage_dir)))
            digests = _write_files(ctx.config, packet, files)
        except Exception as exc:
            log.exception("packet %s failed", packet.job_id)
            # In Chinese: the unit and the admins see it where the packet would be.
            reason = _failed_text(Packet.get_by_id(packet.id).attempts, failure_reason(exc))
            _mark(packet, PacketStatus.FAILED, detail=f"第{version}版{reason}"[:500])
            raise  # rq retries with backoff
        _mark(packet, PacketStatus.DONE, folder=_folder(packet), finished_at=utcnow(), detail="",
              pdf_sha256=digests["pdf"], docx_sha256=digests["docx"], zip_sha256=digests["zip"])
        if not _redraws(packet, opinions):
            _notify(ctx.redis, application, packet, opinions)
        return PacketStatus.DONE


def _failed_text(attempts, reason):
    """What a failed run tells the unit and the admins: retried by itself, or, after the last
    automatic run (the sweep's MAX_ATTEMPTS reached and no rq retry left), who can act."""
    job = get_current_job()
    if attempts < MAX_ATTEMPTS or (job is not None and job.retries_left):
        return FAILED_TEXT.format(reason=reason)
    return GAVE_UP_TEXT.format(reason=reason, attempts=attempts)


def requeue_lost(redis, now=None):
    """Re-enqueue unfinished packets whose job is gone or gave up; return their job ids."""
    cutoff = (now or utcnow()) - SWEEP_GRACE
    requeued = []
    for packet in Packet.unfinished().where(Packet.updated_at < cutoff, Packet.attempts < MAX_ATTEMPTS):
        if job_is_live(redis, packet.job_id):
            continue
        _mark(packet, PacketStatus.QUEUED)
        _enqueue(redis, packet)
        requeued.append(packet.job_id)
    return requeued


def sweep_packets():
    """Periodic: recover packets whose job a dead worker or exhausted retries left behind."""
    with job_context() as ctx:
        requeued = requeue_lost(ctx.redis)
        if requeued:
            log.info("re-enqueued packets %s", requeued)
        return {"requeued": len(requeued)}
