"""Gathering a packet's inputs from the database and the file store (for workers.packets)."""
import logging

from miniapp_backend.clock import to_local
from miniapp_backend.models import EvidenceLink, StoredFile, Submission
from miniapp_backend.packets.build import STAMPED_PREFIX
from miniapp_backend.packets.inputs import Blob, Opinion, PacketSource
from miniapp_backend.packets.print_copies import PrintCache
from miniapp_backend.services import notices, review
from miniapp_backend.services.drafts import templates

log = logging.getLogger(__name__)


def opinions_of(application, version):
    """The review steps of a version as printed opinions, in chain order."""
    result = []
    for step in review.steps_of(application, version):
        result.append(Opinion(
            seq=step.seq, level=step.level, mode=step.mode, label=step.label, status=step.status,
            reviewer=step.reviewer.name if step.reviewer_id else "",
            org=step.org.full_name if step.org_id else "", text=step.opinion or "",
            decided_on=to_local(step.decided_at).date().isoformat() if step.decided_at else ""))
    return tuple(result)


def _blobs(snapshot, filestore):
    """The snapshot's files that exist, with their types and lazy loaders."""
    shas = sorted({sha for files in snapshot.get("evidence", {}).values() for sha in files})
    rows = {f.sha256: f for f in StoredFile.select().where(StoredFile.sha256.in_(shas))} if shas else {}
    blobs = {}
    for sha in shas:
        if sha not in rows or not filestore.exists(sha):
            log.warning("packet input %s is missing from the file store; left out", sha)
            continue
        blobs[sha] = Blob(sha, rows[sha].mime, lambda sha=sha: filestore.get(sha))
    return blobs


def _with_stamped_pages(snapshot, application):
    """The snapshot and the unit's stamped-page scans, uploaded after it was frozen (the paper
    step of the chain), so the packet's zip holds them too."""
    stamped = {}
    links = (EvidenceLink.select(EvidenceLink.slot, StoredFile.sha256).join(StoredFile)
             .where(EvidenceLink.application == application, EvidenceLink.slot.startswith(STAMPED_PREFIX))
             .order_by(EvidenceLink.id).tuples())
    for slot, sha in links:
        stamped.setdefault(slot, []).append(sha)
    return {**snapshot, "evidence": {**snapshot.get("evidence", {}), **stamped}} if stamped else snapshot


def packet_source(application, version, filestore):
    """Everything the packet of `version` in the current review state is made of."""
    submission = Submission.get(Submission.application == application, Submission.version == version)
    snapshot = _with_stamped_pages(submission.snapshot, application)
    return PacketSource(snapshot=snapshot, templates=tuple(templates(application)),
                        opinions=opinions_of(application, version),
                        files=_blobs(snapshot, filestore),
                        title=notices.application_title(application), version=version,
                        print_cache=PrintCache(filestore))
