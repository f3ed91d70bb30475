"""Proposals to revoke a 区级 or higher title: a 系统工会's 复验 asks, the 区总工会 decides.

The seed gives the decision to the district ("区总工会……对获得称号的单位实行动态管理……撤销所获得
的荣誉称号"): a proposal (a Reinspection kept PROPOSED) waits, listed for the district admins,
until one of them revokes the title (eligibility.revoke answers every waiting proposal) or
declines with the reason the 系统工会 is told.
"""
from peewee import JOIN

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models import (
    PROPOSED, Honour, HonourStatus, Org, Person, ProposalDecision, Reinspection, Role, RoleKind)
from miniapp_backend.services import eligibility
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.permissions import require

ANSWERED = "这条撤销建议已经处理过，请刷新页面"


def _waiting():
    """The condition of a proposal still waiting: undecided, on a title still active."""
    return ((Reinspection.kept == PROPOSED) & (Reinspection.decision == ProposalDecision.PENDING)
            & Honour.held())


def pending(org_condition):
    """Proposals waiting on titles of orgs within `org_condition`, oldest first, with the title,
    its org and the proposer."""
    proposer = Person.alias()
    return (Reinspection.select(Reinspection, Honour, Org, proposer).join(Honour).join(Org)
            .switch(Reinspection).join(proposer, JOIN.LEFT_OUTER, on=(Reinspection.inspector == proposer.id))
            .where(org_condition, _waiting()).order_by(Reinspection.inspected_on, Reinspection.id))


def honours_waiting():
    """A subquery of the ids of titles with a proposal waiting (the register's filter)."""
    return Reinspection.select(Reinspection.honour).join(Honour).where(_waiting())


def pending_of(honour):
    """The proposals waiting on `honour`, oldest first."""
    return list(Reinspection.select(Reinspection, Honour).join(Honour)
                .where(Reinspection.honour == honour, _waiting()).order_by(Reinspection.id))


def decided_of(honour):
    """The proposals on `honour` the district has answered."""
    return list(Reinspection.select().where(Reinspection.honour == honour, Reinspection.kept == PROPOSED,
                                            Reinspection.decision != ProposalDecision.PENDING))


def admins_over(org, kind):
    """People holding the admin role `kind` on `org` or an org above it."""
    return [role.person_id for role in Role.select(Role.person).where(Role.kind == kind,
                                                                      Role.org.in_(org.ancestor_ids()))]


def deciders(honour):
    """Who decides proposals on `honour`: the district admins over its org."""
    return admins_over(honour.org, RoleKind.DISTRICT_ADMIN)


def proposers(honour):
    """Who hears the district's answer: the 系统工会 admins over the title's org (any of them may
    have proposed; the proposer may since have left)."""
    return admins_over(honour.org, RoleKind.SYSTEM_ADMIN)


def decide(proposal, person, revoke, note=""):
    """The district revokes the title (reason: `note`, else the proposal's findings) or declines
    (reason `note`, required: the 系统工会 is told why). Returns the proposal as decided."""
    with database.atomic():
        # Held: a revocation and a refusal sent at once (two admins, two tabs) make one answer.
        honour = Honour.locked(Honour(id=proposal.honour_id))
        require(eligibility.may_revoke(person, honour), "撤销建议由区总工会决定")
        proposal = Reinspection.get_by_id(proposal.id)
        if proposal.kept != PROPOSED:
            raise InvalidState("这条复验记录不是撤销建议")
        if proposal.decision != ProposalDecision.PENDING or honour.status != HonourStatus.ACTIVE:
            raise InvalidState(ANSWERED)
        if revoke:
            eligibility.revoke(honour, person, note.strip() or proposal.findings)
        else:
            if not note.strip():
                raise ValidationFailed("不予撤销须写明理由（会告知提出建议的系统工会）", key="note")
            proposal.decision, proposal.decided_by, proposal.decided_at = ProposalDecision.DECLINED, person, utcnow()
            proposal.decision_note = note.strip()
            proposal.save()
    return Reinspection.get_by_id(proposal.id)
