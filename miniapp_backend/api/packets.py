"""The application's packet PDF, as the packet job (workers.packets) makes and files it."""
from miniapp_backend.api import context
from workers import packets as packet_jobs

# A draft never submitted has no packet coming: waiting would not bring one.
NOT_SUBMITTED = "申报提交后才会生成材料包，请先填完并提交"


def packet_path(application):
    """The PDF of the newest finished packet of the current version, or None while none has been made."""
    packet = packet_jobs.current_packet(application)
    return packet_jobs.packet_path(context.settings(), packet) if packet else None


def refresh_outdated(application):
    """Ask anew for the newest packet when an older layout drew it (it is still served meanwhile);
    the note saying so, or ""."""
    packet = packet_jobs.current_packet(application)
    return packet_jobs.refresh_outdated(context.redis(), application, packet) if packet else ""


def request_packet(application):
    """Ask the packet job for the packet of the application's current version and review state."""
    packet_jobs.enqueue_packet(context.redis(), application)


def missing_message(application):
    """Why there is no packet to serve: never submitted, still being made, or what failed (the
    unit tells its admin rather than waiting for a packet that is not coming). A failed packet is
    asked for again; its message says whether it is still retried by itself."""
    if application.version == 0:
        return NOT_SUBMITTED
    state = packet_jobs.packet_state(application)
    if "失败" not in state:
        return f"第{application.version}版材料包生成中，请稍后再试"
    request_packet(application)
    return state
