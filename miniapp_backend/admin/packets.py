"""The packets worker's files: links on the detail page, a zip of many."""
from flask import url_for

from miniapp_backend.admin.blueprint import current_config
from miniapp_backend.admin.common import redis
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
    """[(label, url)] of the packet files of the newest finished packet."""
    packet = latest(application)
    if packet is None:
        return []
    return [(f"第{packet.version}版{label}", url_for("admin.packet_file", application_id=application.id, kind=kind))
            for kind, label in PACKET_KINDS.items()]


def state(application):
    """Why the newest packet is not there yet (生成中, 生成失败 and why), or ""."""
    return packet_jobs.packet_state(application)


def zip_of(applications):
    """One zip holding each application's packet zip, named by unit and id; refuses too many."""
    from miniapp_backend.packets.bundle import build_zip, file_name
    from miniapp_backend.services.errors import ValidationFailed
    if applications.count() > ZIP_LIMIT:
        raise ValidationFailed(f"一次最多打包{ZIP_LIMIT}份申报材料，请缩小筛选范围", key="export")
    entries = []
    for application in applications:
        packet = latest(application)
        if packet is not None:
            title = application_title(application)
            name = file_name(f"{application.org.full_name}_{title}_{application.id}_第{packet.version}版.zip")
            entries.append((name, path_of(packet, "zip").read_bytes()))
    if not entries:
        raise ValidationFailed("筛选出的申报还没有生成材料包", key="export")
    return build_zip(entries)
