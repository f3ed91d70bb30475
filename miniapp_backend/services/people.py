"""People and identities: who an openid is, invites that bind roles, codes that link channels."""
import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models import (
    ROLE_LABELS, AuditLog, Channel, Identity, InviteCode, LinkCode, Org, Person, Role, RoleKind)
from miniapp_backend.services import org_directory
from miniapp_backend.services.codes import new_code, normalize_code
from miniapp_backend.services.errors import InvalidState, NotFound, ValidationFailed
from miniapp_backend.services.permissions import administers, has_role, require

INVITE_LIFETIME = dt.timedelta(days=30)
LINK_LIFETIME = dt.timedelta(minutes=30)


def person_for(channel, openid, unionid=None):
    """The Person behind an openid, created on first sight (also found through unionid)."""
    identity = Identity.with_person(Channel(channel), openid)
    if identity:
        return identity.person
    with database.atomic():
        twin = Identity.get_or_none(Identity.unionid == unionid) if unionid else None
        person = twin.person if twin else Person.create()
        try:
            with database.atomic():
                Identity.create(person=person, channel=channel, openid=openid, unionid=unionid)
        except IntegrityError:
            # Another request created it first: use theirs.
            return Identity.get(channel=channel, openid=openid).person
    return person


def identity_of(person, channel):
    """The person's identity in `channel`, or None."""
    return Identity.get_or_none(person=person, channel=Channel(channel))


def grant_role(person, org, kind):
    """Give `person` a role in `org` (idempotent); return the Role."""
    role, _ = Role.get_or_create(person=person, org=org, kind=RoleKind(kind))
    return role


def create_invite(org, role=RoleKind.CHAIR, created_by=None, batch="", lifetime=INVITE_LIFETIME):
    """A fresh one-time invite code binding its user to `org` in `role`."""
    for _ in range(5):
        try:
            return InviteCode.create(code=new_code(), org=org, role=RoleKind(role), batch=batch,
                                     expires_at=utcnow() + lifetime, created_by=created_by)
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a unique invite code")


def invite_subtree(org, role=RoleKind.CHAIR, created_by=None, own_only=False):
    """Bulk invites: one fresh code for every unit below `org` that can have a chair (`own_only`:
    only the union's own 分会/小组); return (invites, how many units were skipped). Chair invites
    skip units whose chair has bound: a bulk run must not let a second person become chair."""
    role = RoleKind(role)
    batch = new_code(10)
    units = org_directory.units_below(org, only_unbound=role == RoleKind.CHAIR, own_only=own_only)
    with database.atomic():
        invites = [create_invite(unit, role, created_by, batch) for unit in units]
    return invites, org_directory.units_below(org, own_only=own_only).count() - len(invites)


def redeem_invite(person, text):
    """Bind `person` with the code they typed; return the Role, or refuse with the reason."""
    code = normalize_code(text)
    if not code:
        raise ValidationFailed("请发送邀请码，例如：绑定 7KQ2MZ3P", key="code")
    invite = InviteCode.get_or_none(InviteCode.code == code)
    if invite is None:
        raise NotFound(f"邀请码“{code}”不存在，请核对后重发")
    if invite.used_at is not None and invite.used_by_id == person.id:
        return Role.get(person=person, org=invite.org, kind=invite.role)
    if invite.revoked_at is not None:
        raise InvalidState("这个邀请码已被上级工会作废（解除原绑定时一并收回），请向上级工会索取新的邀请码")
    if invite.used_at is None and invite.expires_at < utcnow():
        raise InvalidState("这个邀请码已过期，请向上级工会索取新的邀请码")
    if invite.batch and invite.role == RoleKind.CHAIR and _has_chair(invite.org):
        # A bulk code was meant for a unit without a chair; a second chair needs a code of its own.
        raise InvalidState("本单位已有工会主席绑定，这个批量发放的邀请码已不能使用。如需更换主席，请向上级工会索取新的邀请码")
    # A conditional update is the claim: of two people racing, exactly one wins.
    claimed = (InviteCode.update(used_at=utcnow(), used_by=person)
               .where(InviteCode.id == invite.id, InviteCode.used_at.is_null(),
                      InviteCode.revoked_at.is_null()).execute())
    if not claimed:
        raise InvalidState("这个邀请码已被使用过。如需重新绑定，请向上级工会索取新的邀请码")
    return grant_role(person, invite.org, invite.role)


def other_chairs_notice(role):
    """What a newly bound chair should know when others are bound as chair of the same org (they
    keep every right until the union above removes their binding); "" when there are none."""
    if role.kind != RoleKind.CHAIR:
        return ""
    others = (Person.select(Person.name).join(Role)
              .where(Role.org == role.org_id, Role.kind == RoleKind.CHAIR, Role.person != role.person_id)
              .order_by(Person.id))
    names = [other.name or org_directory.UNNAMED for other in others]
    if not names:
        return ""
    return (f"本单位另有已绑定的工会主席：{'、'.join(names)}。"
            "如其已卸任，请上级工会管理员在管理后台的“绑定情况”页解除其绑定。")


def _chairs(org):
    """The roles of those bound as the org's 工会主席."""
    return Role.select().where(Role.org == org, Role.kind == RoleKind.CHAIR)


def _has_chair(org):
    """Someone is bound as the org's 工会主席."""
    return _chairs(org).exists()


@dataclass(frozen=True)
class Removal:
    """A binding an admin removed: whose, which role on which org, how many chairs are left, and
    the org's unused codes for that role revoked with it."""

    name: str
    kind: str
    org: object
    chairs_left: int
    revoked_codes: tuple = ()


def may_remove(actor, role):
    """Admins over the org remove anyone bound there as chair or staff; the org's own chair
    removes its 工作人员 only: one chair removing another would let a departing chair lock out
    the newly elected one, which is for the union above to decide."""
    if role.kind not in org_directory.BOUND_KINDS:
        return False
    return administers(actor, role.org) or (
        role.kind == RoleKind.STAFF and has_role(actor, role.org, (RoleKind.CHAIR,)))


def remove_role(actor, role_id, revoke_codes=False):
    """Remove a chair's or staff member's binding to their org (a chair who left office keeps no
    right to submit, withdraw or review); recorded in the audit log. With `revoke_codes`, the
    org's unused codes for that role go too: the removed person may have been given one, and
    the admin hands the successor a fresh code. Return the Removal."""
    role = (Role.select(Role, Org, Person).join(Org).switch(Role).join(Person)
            .where(Role.id == role_id).first())
    if role is None:
        raise NotFound("这个绑定已不存在，可能已被解除")
    require(may_remove(actor, role), "只有上级工会管理员可以解除工会主席的绑定，本单位工会主席可以解除工作人员的绑定")
    name = role.person.name or org_directory.UNNAMED
    with database.atomic():
        role.delete_instance()
        revoked = _revoke_codes(role.org_id, role.kind) if revoke_codes else ()
        AuditLog.create(actor=actor, action="role.remove", object_type="org", object_id=role.org_id,
                        detail={"person": role.person_id, "name": name, "role": role.kind,
                                "revoked_codes": list(revoked)})
    chairs_left = _chairs(role.org_id).count()
    return Removal(name, role.kind, role.org, chairs_left, revoked)


def _revoke_codes(org_id, kind):
    """Revoke the org's outstanding codes for role `kind` (inside the caller's transaction);
    return the codes."""
    invites = InviteCode.outstanding().where(InviteCode.org == org_id, InviteCode.role == kind)
    found = {invite.id: invite.code for invite in invites}
    if found:
        (InviteCode.update(revoked_at=utcnow())
         .where(InviteCode.id.in_(list(found)), InviteCode.used_at.is_null()).execute())
    return tuple(found.values())


def describe_role(role):
    """“工会主席 · <org full name>” for confirmations."""
    return f"{ROLE_LABELS[RoleKind(role.kind)]} · {role.org.full_name}"


def create_link_code(person, from_channel):
    """A short code the person types in the other channel to join both identities."""
    return LinkCode.create(code=new_code(6), person=person, from_channel=Channel(from_channel),
                           expires_at=utcnow() + LINK_LIFETIME)


def redeem_link_code(person, channel, text):
    """Join `person` (seen in `channel`) with the person who created the code; return the survivor."""
    code = normalize_code(text)
    link = LinkCode.get_or_none(LinkCode.code == code)
    if link is None or link.used_at is not None or link.expires_at < utcnow():
        raise InvalidState("关联码无效或已过期（30分钟内有效），请在另一端重新获取")
    if link.from_channel == Channel(channel):
        raise InvalidState("请在另一端输入这个关联码：公众号里获取的码在小程序里输入，反之亦然")
    survivor = link.person
    if survivor.id != person.id and (identity_of(survivor, channel) or identity_of(person, link.from_channel)):
        # Joining would give one person two identities in a channel, i.e. join two people.
        raise InvalidState("这两个账号中已有一个关联过别的微信账号，不能再关联。"
                           "如确需更换，请联系区总工会组宣部")
    with database.atomic():
        if survivor.id != person.id:
            _merge_into(survivor, person)
        link.used_at = utcnow()
        link.save()
    return survivor


def _merge_into(survivor, other):
    """Move `other`'s identities and roles to `survivor`, then delete `other`."""
    Identity.update(person=survivor).where(Identity.person == other).execute()
    for role in Role.select().where(Role.person == other):
        grant_role(survivor, role.org, role.kind)
    Role.delete().where(Role.person == other).execute()
    for detail in ("name", "phone"):
        if not getattr(survivor, detail) and getattr(other, detail):
            setattr(survivor, detail, getattr(other, detail))
    survivor.save()
    other.delete_instance()
