"""People, their WeChat identities, roles in orgs, invite and link codes."""
import datetime as dt
from enum import StrEnum

from peewee import CharField, DateTimeField, ForeignKeyField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.prepared import Prepared


class Channel(StrEnum):
    """Where an openid comes from: each WeChat app gives one person a different openid."""

    OFFICIAL = "official_account"
    MINIAPP = "miniapp"


class RoleKind(StrEnum):
    """What a person may do in an org: staff fill forms, the chair also submits."""

    CHAIR = "chair"
    STAFF = "staff"
    MEMBER = "member"
    SYSTEM_ADMIN = "system_admin"
    DISTRICT_ADMIN = "district_admin"


ROLE_LABELS = {
    RoleKind.CHAIR: "工会主席",
    RoleKind.STAFF: "工会工作人员",
    RoleKind.MEMBER: "会员",
    RoleKind.SYSTEM_ADMIN: "系统工会管理员",
    RoleKind.DISTRICT_ADMIN: "区总工会管理员",
}


class Person(BaseModel):
    """One human, whichever channels they use."""

    name = CharField(max_length=40, default="")
    phone = CharField(max_length=40, default="")


class Identity(BaseModel):
    """An openid in one channel; unionid is absent unless the apps share an open platform."""

    person = ForeignKeyField(Person, backref="identities", on_delete="CASCADE")
    channel = CharField(max_length=20)
    openid = CharField(max_length=64)
    unionid = CharField(max_length=64, null=True, index=True)

    class Meta:
        indexes = ((("channel", "openid"), True),)

    @classmethod
    def with_person(cls, channel, openid):
        """The identity of `openid` in `channel` with its person loaded in the same query, or None."""
        return _IDENTITY_WITH_PERSON.first(str(channel), openid)


class Role(BaseModel):
    """A person's role in an org (admins' roles cover the org's whole subtree)."""

    person = ForeignKeyField(Person, backref="roles", on_delete="CASCADE")
    org = ForeignKeyField(Org, backref="roles", on_delete="CASCADE")
    kind = CharField(max_length=20)

    class Meta:
        indexes = ((("person", "org", "kind"), True),)

    @classmethod
    def held(cls, person_id, org_id, kinds):
        """True when the person holds one of `kinds` on exactly that org."""
        kinds = tuple(sorted(str(kind) for kind in kinds))
        query = _ROLE_HELD.get(kinds)
        if query is None:
            query = _ROLE_HELD[kinds] = Prepared(lambda person, org: (
                Role.select(Role.id).where(Role.person == person, Role.org == org,
                                           Role.kind.in_(kinds)).limit(1)))
        return query.scalar(person_id, org_id) is not None


class InviteCode(BaseModel):
    """A one-time, expiring code that binds whoever enters it to an org in a role; an admin
    removing a binding may revoke the org's unused codes (the removed person may hold one)."""

    code = CharField(max_length=16, unique=True)
    org = ForeignKeyField(Org, backref="invites", on_delete="CASCADE")
    role = CharField(max_length=20, default=RoleKind.CHAIR)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)
    used_by = ForeignKeyField(Person, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    batch = CharField(max_length=32, default="")
    revoked_at = DateTimeField(null=True)

    @classmethod
    def outstanding(cls, margin=dt.timedelta(0)):
        """Codes still usable (unused, not revoked, not expired), and for `margin` longer."""
        return cls.select().where(cls.used_at.is_null(), cls.revoked_at.is_null(),
                                  cls.expires_at > utcnow() + margin)


class LinkCode(BaseModel):
    """A short code shown in one channel and entered in the other to join two identities."""

    code = CharField(max_length=16, unique=True)
    person = ForeignKeyField(Person, on_delete="CASCADE")
    from_channel = CharField(max_length=20)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)


_IDENTITY_WITH_PERSON = Prepared(lambda channel, openid: (
    Identity.select(Identity, Person).join(Person)
    .where(Identity.channel == channel, Identity.openid == openid).limit(1)))
_ROLE_HELD = {}  # one prepared query per set of role kinds asked about
