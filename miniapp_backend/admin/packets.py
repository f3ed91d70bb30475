"""The packets worker's files: links on the detail page, a zip of many."""
from flask import url_for

from miniapp_backend.admin.blueprint import current_config
from miniapp_backend.admin.common import redis
from miniapp_backend.models import AppStatus
from miniapp_backend.services.notices import application_title
from workers import packets as packet_jobs

PACKET_KINDS = {"pdf": "PDF（打印盖章）", "docx": "Word（可编辑）", "zip": "全部材料（压缩包）"}
ZIP_LIMIT = 200  # packets are a few MB each: more than this is a job, not a web request


def latest(application):
    """The newest finished packet of `application`, or None."""
    return packet_jobs.latest_packet(application)


def refresh_outdated(application, packet):
    """Ask anew for a packet drawn by an older layout (still served meanwhile); the note, or ""."""
    return packet_jobs.refresh_outdated(redis(), application, packet)


def path_of(packet, kind):
    """The file of `kind` of a finished packet."""
    return packet_jobs.packet_path(current_config(), packet, kind)


def links(application):
    """[(label, url)] of the packet files of the newest finished packet; after a resubmission, while
    the new version's packet is not there yet, the previous one's are labelled as superseded."""
    packet = latest(application)
    if packet is None:
        return []
    old = "" if packet.version == application.version else f"（旧版，已被第{application.version}版取代，勿打印）"
    return [(f"第{packet.version}版{label}{old}",
             url_for("admin.packet_file", application_id=application.id, kind=kind))
            for kind, label in PACKET_KINDS.items()]


def state(application):
    """Why the current version's packet is not there yet (生成中, 生成失败 and why), or ""."""
    current = packet_jobs.packet_state(application)
    if current or application.status == AppStatus.DRAFT or packet_jobs.current_packet(application):
        return current
    # Resubmitted a moment ago: the new version's packet is asked for but has no row yet.
    return f"第{application.version}版生成中" if latest(application) is not None else ""


def failed(application):
    """True when the newest packet failed (an admin may ask for it again)."""
    return "失败" in packet_jobs.packet_state(application)


def retry(application):
    """Ask again for the packet of the application's current version and review state."""
    packet_jobs.retry_packet(redis(), application)


def zip_of(applications):
    """One zip holding each application's packet zip, named by unit and id; refuses too many."""
    from miniapp_backend.packets.bundle import Typed, build_zip, fitted_name
    from miniapp_backend.services.errors import ValidationFailed
    if applications.count() > ZIP_LIMIT:
        raise ValidationFailed(f"一次最多打包{ZIP_LIMIT}份申报材料，请缩小筛选范围", key="export")
    entries = []
    for application in applications:
        packet = latest(application)
        if packet is not None:
            title = application_title(application)
            name = fitted_name(Typed(application.org.full_name), "_", Typed(title),
                               f"_{application.id}_第{packet.version}版.zip")
            entries.append((name, path_of(packet, "zip").read_bytes()))
    if not entries:
        raise ValidationFailed("筛选出的申报还没有生成材料包", key="export")
    return build_zip(entries)
