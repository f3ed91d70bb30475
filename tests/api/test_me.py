"""Me: roles and orgs, binding with an invite, linking the official-account identity both ways."""
from miniapp_backend.models import Channel, Identity, Person, Role, RoleKind
from miniapp_backend.services import people


def newcomer():
    """Someone who only signed in to the mini-program."""
    person = Person.create(name="新人")
    Identity.create(person=person, channel=Channel.MINIAPP, openid="m-newcomer")
    return person


def test_me_lists_roles_orgs_and_channels(api, world):
    body = api.get("/me", world.system_admin).get_json()
    assert body["name"] == "钱进"
    assert [(r["kind"], r["label"], r["org"]["id"]) for r in body["roles"]] == [
        ("system_admin", "系统工会管理员", world.system.id)]
    assert body["orgs"][0]["kind_label"] == "系统工会"
    assert body["channels"] == ["miniapp", "official_account"]


def test_invite_binds_once_with_the_domain_messages(api, world):
    person = newcomer()
    invite = people.create_invite(world.unit, RoleKind.STAFF)
    body = api.post("/me/invite", person, json={"code": invite.code.lower()}).get_json()
    assert [(r["kind"], r["org"]["full_name"]) for r in body["roles"]] == [("staff", world.unit.full_name)]
    someone_else = world.other_chair
    used = api.post("/me/invite", someone_else, json={"code": invite.code})
    assert used.status_code == 409 and "已被使用" in used.get_json()["error"]["message"]


def test_a_new_chair_is_told_who_else_is_bound_as_chair(api, world):
    newly_elected = newcomer()
    invite = people.create_invite(world.unit, RoleKind.CHAIR)
    body = api.post("/me/invite", newly_elected, json={"code": invite.code}).get_json()
    assert [r["kind"] for r in body["roles"]] == ["chair"]
    assert "本单位另有已绑定的工会主席：王建国" in body["notice"] and "解除其绑定" in body["notice"]
    staff = api.post("/me/invite", Person.create(name="干事"),
                     json={"code": people.create_invite(world.unit, RoleKind.STAFF).code}).get_json()
    assert staff["notice"] == ""


def test_link_code_shown_here_is_typed_in_the_bot(api, world):
    person = newcomer()
    code = api.post("/me/link-code", person).get_json()
    assert len(code["code"]) == 6 and code["expires_at"].endswith("+08:00")
    survivor = people.redeem_link_code(world.chair, Channel.OFFICIAL, code["code"])
    assert survivor.id == person.id
    body = api.get("/me", person).get_json()
    assert body["channels"] == ["miniapp", "official_account"]
    assert [r["kind"] for r in body["roles"]] == ["chair"]


def test_code_from_the_bot_is_typed_here(api, world):
    person = newcomer()
    api.get("/me", person)  # signed in before linking: the token stays valid after the merge
    token = api.token(person)
    link = people.create_link_code(world.staff, Channel.OFFICIAL)
    body = api.post("/me/link", json={"code": link.code},
                    headers={"Authorization": f"Bearer {token}"}).get_json()
    assert body["id"] == world.staff.id
    assert body["channels"] == ["miniapp", "official_account"]
    again = api.get("/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert again["id"] == world.staff.id and again["roles"][0]["kind"] == "staff"


def test_a_code_from_the_same_channel_or_a_stale_one_is_refused(api, world):
    person = newcomer()
    own = api.post("/me/link-code", person).get_json()["code"]
    same_side = api.post("/me/link", person, json={"code": own})
    assert same_side.status_code == 409 and "另一端" in same_side.get_json()["error"]["message"]
    stale = api.post("/me/link", person, json={"code": "ZZZZZZ"})
    assert stale.status_code == 409 and "关联码无效" in stale.get_json()["error"]["message"]


def test_a_code_revoked_with_a_removed_binding_is_refused_with_its_own_message(api, world):
    invite = people.create_invite(world.unit, RoleKind.CHAIR)
    people.remove_role(world.system_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id, revoke_codes=True)
    refused = api.post("/me/invite", world.chair, json={"code": invite.code})
    assert refused.status_code == 409 and "已被上级工会作废" in refused.get_json()["error"]["message"]
    assert api.get("/me", world.chair).get_json()["roles"] == []
