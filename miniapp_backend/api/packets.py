"""The application's packet PDF, as the packet job (workers.packets) makes and files it."""
from miniapp_backend.api import context
from workers import packets as packet_jobs


def packet_path(application):
    """The PDF of the newest finished packet, or None while none has been made."""
    packet = packet_jobs.latest_packet(application)
    return packet_jobs.packet_path(context.settings(), packet) if packet else None


def request_packet(application):
    """Ask the packet job for the packet of the application's current version and review state."""
    packet_jobs.enqueue_packet(context.redis(), application)
