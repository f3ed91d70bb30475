"""Who I am: roles, orgs and linked channels; binding with an invite; linking the official account."""
from miniapp_backend.api import bp
from miniapp_backend.api.operations import operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, array, integer, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.api.shapes import OrgRef, moment, org_view, timestamp
from miniapp_backend.models import ROLE_LABELS, Channel, Identity, RoleKind
from miniapp_backend.services import people, permissions

TAG = "我的"
CODE_TEXT = string("码", min_length=1, max_length=32, description="邀请码或关联码，大小写、空格和短横线不影响")

RoleView = Schema("Role", {
    "kind": string("角色", enum=[k.value for k in RoleKind]),
    "label": string("角色名称"),
    "org": OrgRef.ref,
}, required=["kind", "label", "org"], closed=False)
Me = Schema("Me", {
    "id": integer("用户编号"),
    "name": string("姓名"),
    "phone": string("手机号"),
    "roles": array("角色", RoleView.ref),
    "orgs": array("所在组织", OrgRef.ref),
    "channels": array("已关联的渠道", string("渠道", enum=[c.value for c in Channel]),
                      description="miniapp = 小程序，official_account = 公众号"),
}, required=["id", "roles", "orgs", "channels"], closed=False)
Bound = Schema("Bound", {
    **Me.properties,
    "notice": string("绑定后须知", description="本单位另有已绑定的工会主席时的提醒，没有则为空"),
}, required=[*Me.required, "notice"], closed=False)
CodeInput = Schema("CodeInput", {"code": CODE_TEXT}, required=["code"])
LinkCode = Schema("LinkCode", {
    "code": string("关联码", description="在公众号里发送“关联 <码>”"),
    "expires_at": timestamp("失效时间"),
}, required=["code", "expires_at"], closed=False)


def me_view(person):
    """The person with roles, orgs and linked channels."""
    roles = permissions.roles_of(person)
    orgs = {role.org.id: role.org for role in roles}
    channels = sorted({i.channel for i in Identity.select().where(Identity.person == person)})
    return {
        "id": person.id, "name": person.name, "phone": person.phone,
        "roles": [{"kind": r.kind, "label": ROLE_LABELS[RoleKind(r.kind)], "org": org_view(r.org)}
                  for r in roles],
        "orgs": [org_view(o) for o in orgs.values()],
        "channels": channels,
    }


@bp.get("/me")
@operation("我的角色、组织和已关联的渠道", tag=TAG, response=Me)
def me():
    """The signed-in person."""
    return me_view(current_person())


@bp.post("/me/invite")
@operation("用邀请码绑定到组织（获得工会主席或工作人员角色）", tag=TAG, bucket=Bucket.WRITE,
           body=CodeInput, response=Bound, errors=(404, 409, 422))
def redeem_invite(body):
    """Bind with an invite code; wrong, used and expired codes each get the domain's message."""
    role = people.redeem_invite(current_person(), body["code"])
    return {**me_view(current_person()), "notice": people.other_chairs_notice(role)}


@bp.post("/me/link-code")
@operation("生成关联码：在公众号里发送“关联 <码>”，把两端合为一个账号", tag=TAG,
           bucket=Bucket.WRITE, response=LinkCode, status=201)
def create_link_code():
    """A short code to type in the official account's chat."""
    link = people.create_link_code(current_person(), Channel.MINIAPP)
    return {"code": link.code, "expires_at": moment(link.expires_at)}


@bp.post("/me/link")
@operation("输入公众号给出的关联码，把两端合为一个账号", tag=TAG, bucket=Bucket.WRITE,
           body=CodeInput, response=Me, errors=(409, 422))
def redeem_link_code(body):
    """Join this identity with the official-account one that showed the code."""
    survivor = people.redeem_link_code(current_person(), Channel.MINIAPP, body["code"])
    return me_view(survivor)
