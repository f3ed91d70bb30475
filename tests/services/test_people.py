"""Identities, invites (wrong, used, expired, raced) and linking the two WeChat channels."""
import datetime as dt

import pytest

from miniapp_backend.clock import utcnow
from miniapp_backend.models import Channel, Identity, InviteCode, OrgKind, Person, RoleKind
from miniapp_backend.services import orgs, people
from miniapp_backend.services.errors import InvalidState, NotFound, ValidationFailed


def test_person_for_is_stable_and_unionid_joins_channels(world):
    first = people.person_for(Channel.OFFICIAL, "o-new", unionid="u-1")
    assert people.person_for(Channel.OFFICIAL, "o-new").id == first.id
    assert people.person_for(Channel.MINIAPP, "m-new", unionid="u-1").id == first.id


def test_invite_binds_once_and_each_failure_has_its_own_message(world):
    invite = people.create_invite(world.other_unit)
    newcomer = people.person_for(Channel.OFFICIAL, "o-newcomer")
    role = people.redeem_invite(newcomer, f" {invite.code.lower()[:4]}-{invite.code.lower()[4:]} ")
    assert (role.org_id, role.kind) == (world.other_unit.id, RoleKind.CHAIR)
    assert people.redeem_invite(newcomer, invite.code).id == role.id  # repeating is harmless
    intruder = people.person_for(Channel.OFFICIAL, "o-intruder")
    with pytest.raises(InvalidState, match="已被使用"):
        people.redeem_invite(intruder, invite.code)
    with pytest.raises(NotFound, match="不存在"):
        people.redeem_invite(intruder, "ZZZZZZZZ")
    with pytest.raises(ValidationFailed):
        people.redeem_invite(intruder, "  ")
    old = people.create_invite(world.other_unit)
    InviteCode.update(expires_at=utcnow() - dt.timedelta(seconds=1)).where(InviteCode.id == old.id).execute()
    with pytest.raises(InvalidState, match="过期"):
        people.redeem_invite(intruder, old.code)


def test_subtree_chair_invites_skip_units_whose_chair_has_bound(world):
    new_unit = orgs.create_org(world.system, OrgKind.GRASSROOTS, "北京良乡新建示例公司工会委员会")
    invites, skipped = people.invite_subtree(world.system)
    assert [i.org_id for i in invites] == [new_unit.id] and skipped == 2  # the unit and its 分会 have chairs
    staff, skipped = people.invite_subtree(world.system, RoleKind.STAFF)
    assert sorted(i.org_id for i in staff) == sorted([world.unit.id, world.branch.id, new_unit.id])
    assert skipped == 0 and len({i.batch for i in staff}) == 1


def test_link_code_joins_identities_across_channels(world):
    code = people.create_link_code(world.chair, Channel.OFFICIAL)
    mini = people.person_for(Channel.MINIAPP, "m-chair")
    with pytest.raises(InvalidState, match="另一端"):
        people.redeem_link_code(world.chair, Channel.OFFICIAL, code.code)
    survivor = people.redeem_link_code(mini, Channel.MINIAPP, code.code)
    assert survivor.id == world.chair.id
    assert Identity.get(channel=Channel.MINIAPP, openid="m-chair").person_id == world.chair.id
    assert Person.get_or_none(Person.id == mini.id) is None
    with pytest.raises(InvalidState, match="无效或已过期"):
        people.redeem_link_code(mini, Channel.MINIAPP, code.code)
