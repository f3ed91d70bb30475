"""Status notices beyond review decisions: a title awarded or revoked reaches the org at once;
a declared 合格 reaches the admins who confirm it; a proposal to revoke reaches the district
admins, and their answer the 系统工会 admins.

The edges call these right after `eligibility.award` / `revoke` / `reinspect`, `qualified.declare_qualified` /
`verify_qualified` / `refuse_declaration` and `revocation_proposals.decide`; the rows are written here and the
caller enqueues their delivery (or the sweep does within a minute). One row per honour (or
proposal), event and person, so a retried call sends nothing twice.
"""
from miniapp_backend.models import HONOUR_LABELS, HonourKind, HonourStatus, ProposalDecision, RoleKind
from miniapp_backend.services import notifications, qualified, revocation_proposals
from miniapp_backend.services.notices import recipients
from miniapp_backend.services.reminders import texts

NOTICE_KIND = "honour_changed"
AWARDED, REVOKED, DECLARED, REFUSED = "awarded", "revoked", "declared", "refused"


def _queue_people(person_ids, key, parts):
    """One row per person under `key`; return the rows written now."""
    rows = (notifications.queue(person_id, f"{key}:p{person_id}", NOTICE_KIND, parts) for person_id in person_ids)
    return [row for row in rows if row is not None]


def _queue_all(honour, event, parts):
    """One row per chair/staff of the honour's org; return the rows written now."""
    return _queue_people([person.id for person in recipients(honour.org)], f"honour:{honour.id}:{event}", parts)


def honour_awarded(honour, now):
    """Tell the org it holds a title (only once the title is active)."""
    if honour.status != HonourStatus.ACTIVE:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    return _queue_all(honour, AWARDED, texts.honour_parts(label, honour.year, True, now))


def honour_revoked(honour, now):
    """Tell the org its title was revoked, with the reason given."""
    if honour.status != HonourStatus.REVOKED:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    parts = texts.honour_parts(label, honour.year, False, now, honour.revoked_reason)
    return _queue_all(honour, REVOKED, parts)


def declaration_refused(honour, now):
    """Tell the org's chair and staff their 合格 declaration was refused, with the reason."""
    if honour.status != HonourStatus.REFUSED:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    parts = texts.refused_parts(label, honour.congress_date, qualified.confirming_union(honour.org),
                                honour.revoked_reason, now)
    return _queue_all(honour, REFUSED, parts)


def confirmers(honour):
    """Who confirms a declared 合格: the 系统工会 admins over the org, or the 区总工会 admins where
    there are none (a 直属 unit, a 系统工会 itself)."""
    return (revocation_proposals.admins_over(honour.org, RoleKind.SYSTEM_ADMIN)
            or revocation_proposals.admins_over(honour.org, RoleKind.DISTRICT_ADMIN))


def qualified_declared(honour, now, base_url=""):
    """Ask the admins who confirm a declared 合格 to check it (only while it awaits them);
    `base_url` (PUBLIC_BASE_URL) links the admin web's list of titles awaiting confirmation."""
    if honour.status != HonourStatus.DECLARED:
        return []
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    parts = texts.declared_parts(label, honour.org.full_name, honour.congress_date, now, base_url)
    return _queue_people(confirmers(honour), f"honour:{honour.id}:{DECLARED}", parts)


def revocation_proposed(honour, now, base_url=""):
    """Ask the district admins over the title's org to decide each proposal waiting on it;
    `base_url` (PUBLIC_BASE_URL) links the admin web's list of waiting proposals."""
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    deciders = revocation_proposals.deciders(honour)
    return [row for proposal in revocation_proposals.pending_of(honour)
            for row in _queue_people(deciders, f"honour:{honour.id}:proposal:{proposal.id}",
                                     texts.proposal_parts(label, honour.year, honour.org.full_name,
                                                          proposal.findings, now, base_url))]


def proposals_answered(honour, now):
    """Tell the 系统工会 admins over the title's org how the district answered each proposal."""
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    proposers = revocation_proposals.proposers(honour)
    rows = []
    for proposal in revocation_proposals.decided_of(honour):
        revoked = proposal.decision == ProposalDecision.REVOKED
        reason = honour.revoked_reason if revoked else proposal.decision_note
        parts = texts.proposal_outcome_parts(label, honour.year, honour.org.full_name, revoked, reason, now)
        rows += _queue_people(proposers, f"honour:{honour.id}:proposal:{proposal.id}:{proposal.decision}", parts)
    return rows
