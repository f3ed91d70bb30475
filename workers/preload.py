"""What the worker loads once at start, before rq forks a work horse for each job.

A work horse begins as a copy of the worker: what the worker has loaded, every job has for free;
what it has not, each job loads again. For a packet that is python-docx, reportlab and pypdf
(a quarter of a second to import) and the CJK fonts (a tenth to parse).
"""
from miniapp_backend.packets.fonts import register_fonts


def preload():
    """Import the packet job with its renderers and register the fonts."""
    import workers.packets  # noqa: F401 (imported for the work horses to inherit)
    register_fonts()
