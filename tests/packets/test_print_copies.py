"""Print copies: a packet derives and keeps the ones missing, reuses them after, prints the same."""
import dataclasses

from miniapp_backend.models import ApplicationKind
from miniapp_backend.packets.build import render_packet
from miniapp_backend.packets.print_copies import PrintCache, print_image, print_key
from tests.packets.builders import submitted
from workers.packet_sources import packet_source


def kept_copies(store):
    """{path: (inode, mtime)} of every print copy on disk: a copy written again changes both."""
    root = store.root / "print"
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()}


def test_a_packet_derives_missing_copies_keeps_them_and_reuses_them(world, store):
    # Stored through the service, as photos were before copies were made on arrival: none kept.
    application, _, photos = submitted(world, store, ApplicationKind.MODEL_HOME)
    assert kept_copies(store) == {}
    source = packet_source(application, application.version, store)
    first = render_packet(source)
    cache = PrintCache(store)
    shas = {sha for shas in photos.values() for sha in shas}
    for sha in shas:
        assert cache.get(print_key(sha)) == print_image(store.get(sha)).data
    kept = kept_copies(store)
    assert len(kept) == len(shas)
    again = render_packet(packet_source(application, application.version, store))
    assert kept_copies(store) == kept  # read, not derived and written again
    uncached = render_packet(dataclasses.replace(source, print_cache=None))
    for files in (again, uncached):
        assert (files.pdf, files.docx, files.zip) == (first.pdf, first.docx, first.zip)
