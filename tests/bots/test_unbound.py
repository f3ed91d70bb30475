"""A chair whose binding an admin removed mid-conversation is told so, not kept on a stale draft."""
import pytest

from miniapp_backend.models import Role, RoleKind
from miniapp_backend.services import people
from tests.bots.conftest import add_photo
from tests.bots.flows import start_checklist


def test_a_chair_removed_mid_draft_is_told_they_are_no_longer_bound(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    assert "第1/21项" in start_checklist(user, "示范职工之家")
    role = Role.get(person=world.chair, org=world.unit, kind=RoleKind.CHAIR)
    people.remove_role(world.system_admin, role.id)
    for reply in (user.say("是"), user.say("进度"), user.say("提交"), user.say("申报")):
        assert "您还没有绑定单位" in reply, reply


def test_a_photo_is_the_first_thing_a_removed_chair_sends(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    assert "第1/21项" in start_checklist(user, "示范职工之家")
    people.remove_role(world.district_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id)
    first = user.photo(add_photo(standin))
    assert "您还没有绑定单位" in first and "第1项" not in first, first
    assert "没看懂" in user.say("是")  # idle now, as for anyone not bound


def test_a_new_chair_is_told_who_else_is_bound_as_chair(world, wechat_user):
    reply = wechat_user("o-chen-xin").say(f"绑定 {people.create_invite(world.unit).code}")
    assert "绑定成功：工会主席 · 北京良乡示例科技有限公司工会委员会" in reply
    assert "本单位另有已绑定的工会主席：王建国" in reply and "解除" in reply
    alone = wechat_user("o-newcomer").say(f"绑定 {people.create_invite(world.other_system).code}")
    assert "绑定成功" in alone and "另有已绑定的工会主席" not in alone



@pytest.mark.parametrize("first", ["进度", "帮助", "表头", "第3项", "更多", "你好"])
def test_a_removed_chair_sees_nothing_of_the_draft_whatever_they_send_first(world, wechat_user, first):
    user = wechat_user("o-王建国")
    assert "第1/21项" in start_checklist(user, "示范职工之家")
    people.remove_role(world.system_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id)
    reply = user.say(first)
    assert "您还没有绑定单位" in reply, reply
    assert "/21项" not in reply and "申报进度" not in reply and "验收单" not in reply, reply
    assert "没看懂" in user.say("是")  # the stale position is dropped, not just passed over


def test_a_chair_removed_from_one_unit_but_bound_to_another_is_told_which_binding_went(world, wechat_user):
    user = wechat_user("o-王建国")
    assert "第1/21项" in start_checklist(user, "示范职工之家")
    people.grant_role(world.chair, world.direct_unit, RoleKind.STAFF)
    people.remove_role(world.system_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id)
    reply = user.say("进度")
    assert f"您已不再绑定{world.unit.full_name}" in reply and "申报进度" not in reply, reply
    assert world.direct_unit.full_name in reply  # what they may do now, for the unit still theirs


def test_a_code_revoked_with_the_binding_gets_its_own_message_in_chat(world, wechat_user):
    invite = people.create_invite(world.unit)
    people.remove_role(world.system_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id, revoke_codes=True)
    reply = wechat_user("o-王建国").say(f"绑定 {invite.code}")
    assert "这个邀请码已被上级工会作废" in reply and "绑定成功" not in reply, reply
