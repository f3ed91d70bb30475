"""One call from a PacketSource to the three files: the PDF, the DOCX and the zip of everything."""
import io
import re
from dataclasses import dataclass, field
from typing import Callable

from miniapp_backend.packets.bundle import Typed, file_name, fitted_name, write_zip
from miniapp_backend.packets.compose import REPORT_SLOT, build_document, report_stem
from miniapp_backend.packets.docx_render import render_docx
from miniapp_backend.packets.pdf_render import render_pdf

PHOTO_FOLDER = "影像资料原图"
STAMPED_FOLDER = "盖章页扫描件"
STAMPED_PREFIX = "stamped:"
ASIDE = re.compile(r"（[^）]*）$")  # “（盖章页上传）” closing a paper step's label
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


@dataclass(frozen=True)
class PacketFiles:
    """The rendered packet; the zip (with every original photo) is streamed when written."""

    pdf: bytes
    docx: bytes
    write_zip: Callable = field(repr=False)

    @property
    def zip(self):
        """The zip as bytes (holds every original in memory: for tests and small packets)."""
        out = io.BytesIO()
        self.write_zip(out)
        return out.getvalue()


def packet_file_name(unit_name, title, version, extension):
    """The name people see for a packet file: “<单位>_<申报>申报材料_第1版.pdf”, within a file
    name's byte limit (a long unit or station name is shortened)."""
    return fitted_name(Typed(unit_name), "_", Typed(title), f"申报材料_第{version}版.{extension}")


def file_names(source):
    """(PDF name, DOCX name) of the packet of `source`."""
    return tuple(packet_file_name(source.unit_name, source.title, source.version, ext) for ext in ("pdf", "docx"))


def _named(blob, stem):
    """A file name for an upload: the stem and the extension its type suggests."""
    return f"{stem}{EXTENSIONS.get(blob.mime, '')}"


def _originals(source, appendix):
    """The uploads at full size for PCs and admins: photos by figure number, report, scans.

    Entries carry loaders, not bytes, so the zip holds one original in memory at a time.
    """
    entries = []
    for sha, number in sorted(appendix.first_use.items(), key=lambda pair: pair[1]):
        blob = source.files[sha]
        entries.append((f"{PHOTO_FOLDER}/{_named(blob, f'图{number:02d}')}", blob.load))
    reports = [source.files[sha] for sha in source.evidence.get(REPORT_SLOT, ()) if sha in source.files]
    for index, blob in enumerate(reports):
        entries.append((_named(blob, report_stem(index, len(reports))), blob.load))
    # Scans are named after the opinion blocks stamped on them (同级行政意见、同级党委意见), in the
    # words the reviewers read on the forms, not the chain's level key.
    labels = {o.level: file_name(ASIDE.sub("", o.label)) for o in source.opinions if o.label}
    for slot in sorted(s for s in source.evidence if s.startswith(STAMPED_PREFIX)):
        level = slot.removeprefix(STAMPED_PREFIX)
        name = labels.get(level, level)
        for index, sha in enumerate(source.evidence[slot]):
            if sha in source.files:
                blob = source.files[sha]
                entries.append((f"{STAMPED_FOLDER}/{_named(blob, f'{name}_{index + 1}')}", blob.load))
    return entries


def render_packet(source):
    """Render the packet of one snapshot and review state."""
    document, appendix = build_document(source)
    pdf, docx = render_pdf(document, source.files), render_docx(document)
    pdf_name, docx_name = file_names(source)
    entries = [(pdf_name, lambda: pdf), (docx_name, lambda: docx)] + _originals(source, appendix)
    return PacketFiles(pdf, docx, lambda target: write_zip(target, entries))
