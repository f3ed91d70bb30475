"""Fixtures for packet tests: a file store and rendered packets of submitted applications."""
import pytest

from miniapp_backend.packets.build import render_packet
from miniapp_backend.storage import FileStore
from tests.packets.builders import submitted
from workers.packet_sources import packet_source


@pytest.fixture
def store(tmp_path):
    """A file store for this test's uploads."""
    return FileStore(tmp_path / "files")


@pytest.fixture
def packet_of(world, store):
    """Submit a complete application of a kind and render its packet: (application, files, photos)."""
    def build(kind, with_report=True):
        """Submit one application of `kind` and render its packet."""
        application, _, photos = submitted(world, store, kind, with_report)
        source = packet_source(application, application.version, store)
        return application, render_packet(source), photos
    return build
