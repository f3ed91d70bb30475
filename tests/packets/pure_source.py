"""A PacketSource built without the database, so other processes can render the same packet."""
import hashlib

from miniapp_backend.forms import FormCatalog
from miniapp_backend.packets.inputs import Blob, Opinion, PacketSource
from tests.packets.builders import ROTATE_90_CW, field_value, photo, report_pdf

FORMS = ("district_home_registration", "district_home_checklist")


def _blob(data, mime):
    """A blob over bytes held in memory."""
    sha = hashlib.sha256(data).hexdigest()
    return sha, Blob(sha, mime, lambda: data)


def sample_source(opinions=(), forms=FORMS):
    """A 区级先进职工之家 packet: both forms answered, a photo per item, one shared, a report
    (or the packet of other `forms`, answered the same way)."""
    templates = tuple(FormCatalog().get(2018, code) for code in forms)
    answers, evidence, files = {}, {}, {}
    shared_sha, shared = _blob(photo(999, orientation=ROTATE_90_CW), "image/jpeg")
    files[shared_sha] = shared
    for template in templates:
        answers.update({f"{template.code}:{f.key}": field_value(f) for f in template.fields()})
        for item in template.items:
            answers[f"{template.code}:{item.key}"] = {"done": True, "note": ""}
            sha, blob = _blob(photo(item.no), "image/jpeg")
            files[sha] = blob
            evidence[f"{template.code}:{item.key}"] = [sha] + ([shared_sha] if item.no in (4, 6) else [])
    report_sha, report = _blob(report_pdf(), "application/pdf")
    files[report_sha] = report
    evidence["report"] = [report_sha]
    snapshot = {"answers": answers, "evidence": evidence, "org": {"full_name": "北京良乡示例科技有限公司工会委员会"}}
    return PacketSource(snapshot, templates, tuple(opinions), files, "2018年区级先进职工之家", 1)


def digests(opinions=()):
    """sha256 of the PDF, DOCX and zip of the sample packet."""
    from miniapp_backend.packets.build import render_packet
    files = render_packet(sample_source(opinions))
    return [hashlib.sha256(data).hexdigest() for data in (files.pdf, files.docx, files.zip)]


SAMPLE_OPINION = Opinion(2, "system", "digital", "乡镇街道委局公司工会意见", "approved", "钱进",
                         "房山区良乡镇总工会", "同意上报。", "2018-05-12")
