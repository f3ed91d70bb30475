"""Identities, invites (wrong, used, expired, raced) and linking the two WeChat channels."""
import datetime as dt

import pytest

from miniapp_backend.clock import utcnow
from miniapp_backend.models import AuditLog, Channel, Identity, InviteCode, OrgKind, Person, Role, RoleKind
from miniapp_backend.services import orgs, people
from miniapp_backend.services.errors import InvalidState, NotFound, PermissionDenied, ValidationFailed
from tests.factories import person


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


def test_a_bulk_chair_code_is_spent_once_the_unit_has_a_chair(world):
    """Codes handed out before a chair bound (or before bulk invites skipped bound units) cannot
    make a second chair; a code issued for that unit on its own still can."""
    new_unit = orgs.create_org(world.system, OrgKind.GRASSROOTS, "北京良乡新建示例公司工会委员会")
    (first, *_), _ = people.invite_subtree(world.system)
    (second, *_), _ = people.invite_subtree(world.system)
    assert first.org_id == second.org_id == new_unit.id
    people.redeem_invite(person("甲"), first.code)
    with pytest.raises(InvalidState, match="已有工会主席绑定"):
        people.redeem_invite(person("乙"), second.code)
    single = people.create_invite(new_unit)
    assert people.redeem_invite(person("乙"), single.code).org_id == new_unit.id


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


def test_a_link_code_never_joins_two_people_who_are_each_linked_already(world):
    """Chair B's mini-program code typed in chair A's official account must not merge A into B."""
    chair_a = world.chair  # official account, linked below to its own mini-program
    people.redeem_link_code(people.person_for(Channel.MINIAPP, "m-a"), Channel.MINIAPP,
                            people.create_link_code(chair_a, Channel.OFFICIAL).code)
    chair_b = people.person_for(Channel.MINIAPP, "m-b")
    people.grant_role(chair_b, world.other_unit, RoleKind.CHAIR)
    with pytest.raises(InvalidState, match="已有一个关联过别的微信账号"):
        people.redeem_link_code(chair_a, Channel.OFFICIAL, people.create_link_code(chair_b, Channel.MINIAPP).code)
    assert people.person_for(Channel.MINIAPP, "m-b").id == chair_b.id
    assert {r.org_id for r in Role.select().where(Role.person == chair_a)} == {world.unit.id}


def test_linking_keeps_the_phone_given_on_either_side(world):
    mini = people.person_for(Channel.MINIAPP, "m-chair")
    mini.phone = "13800138000"
    mini.save()
    survivor = people.redeem_link_code(mini, Channel.MINIAPP, people.create_link_code(world.chair, Channel.OFFICIAL).code)
    assert Person.get_by_id(survivor.id).phone == "13800138000"


def test_who_may_remove_a_binding(world):
    staff = Role.get(person=world.staff, org=world.unit)
    co_chair = people.grant_role(person("陈新", world.unit, RoleKind.CHAIR), world.unit, RoleKind.CHAIR)
    branch_chair = Role.get(person=world.branch_chair, org=world.branch)
    with pytest.raises(PermissionDenied, match="只有上级工会管理员"):
        people.remove_role(world.chair, co_chair.id)  # one chair does not lock out another
    with pytest.raises(PermissionDenied):
        people.remove_role(world.chair, branch_chair.id)  # nor the chair of a union below theirs
    with pytest.raises(PermissionDenied):
        people.remove_role(world.other_system_admin, staff.id)  # nor an admin of another 系统工会
    chair_role = Role.get(person=world.district_admin, kind=RoleKind.DISTRICT_ADMIN)
    with pytest.raises(PermissionDenied):
        people.remove_role(world.district_admin, chair_role.id)  # admin roles are not removed here
    removal = people.remove_role(world.chair, staff.id)  # the chair lets their own staff member go
    assert (removal.name, removal.kind, removal.chairs_left) == ("李芳", RoleKind.STAFF, 2)
    with pytest.raises(NotFound):
        people.remove_role(world.chair, staff.id)
    assert people.remove_role(world.district_admin, co_chair.id).chairs_left == 1
    assert AuditLog.select().where(AuditLog.action == "role.remove").count() == 2


def test_removing_a_binding_may_revoke_the_orgs_unused_codes_for_that_role(world):
    kept_apart = people.create_invite(world.unit, RoleKind.STAFF)  # another role's code is not touched
    first, second = people.create_invite(world.unit), people.create_invite(world.unit)
    chair = Role.get(person=world.chair, org=world.unit)
    removal = people.remove_role(world.system_admin, chair.id, revoke_codes=True)
    assert sorted(removal.revoked_codes) == sorted([first.code, second.code])
    audit = AuditLog.get(AuditLog.action == "role.remove")
    assert sorted(audit.detail["revoked_codes"]) == sorted([first.code, second.code])
    for code in (first.code, second.code):
        with pytest.raises(InvalidState, match="已被上级工会作废"):
            people.redeem_invite(world.chair, code)  # the removed chair cannot bind again with it
    assert people.redeem_invite(person("新干事"), kept_apart.code).kind == RoleKind.STAFF
    spare = people.create_invite(world.unit)  # kept on purpose: the new chair needs one
    staff = Role.get(person=world.staff, org=world.unit)
    assert people.remove_role(world.system_admin, staff.id).revoked_codes == ()
    assert people.redeem_invite(person("新主席"), spare.code).kind == RoleKind.CHAIR
