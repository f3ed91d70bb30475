"""What an admin may see: the org subtrees of their roles, as checks and as query conditions.

Decisions on single objects go through permissions.administers / can_review_as; the query
conditions here only narrow lists to the same objects those checks allow.
"""
from dataclasses import dataclass, field
from functools import reduce

from peewee import Value

from miniapp_backend.models import ApplicationKind, Org, OrgKind, RoleKind
from miniapp_backend.services.orgs import BASE_UNION_KINDS, SUBDIVISION_KINDS, below_own_union, nearest_ancestor
from miniapp_backend.services.permissions import ADMIN_ROLES, administers, can_review_as, roles_of

NOTHING = Value(1) == 0


@dataclass
class Scope:
    """One signed-in person's reach: admin subtrees and the 基层 unions they chair."""

    person: object
    admin_orgs: list = field(default_factory=list)
    district_orgs: list = field(default_factory=list)
    chair_orgs: list = field(default_factory=list)

    @property
    def is_admin(self):
        """A 系统工会 or 区总工会 admin (sees whole subtrees)."""
        return bool(self.admin_orgs)

    @property
    def is_district(self):
        """A 区总工会 admin."""
        return bool(self.district_orgs)

    @property
    def is_anyone(self):
        """Has any role the admin web serves."""
        return bool(self.admin_orgs or self.chair_orgs)

    def sees_org(self, org):
        """Admins see their subtree; a chair sees its own union and what hangs below it."""
        return administers(self.person, org) or any(c.contains(org) for c in self.chair_orgs)

    def sees_application(self, application):
        """Admins of the org's tree; a 基层 chair its own union's (to read: no step of its own
        chain is the chair's to decide) and the 小家 it reviews first."""
        own_union = any(c.id == application.org_id for c in self.chair_orgs)
        if own_union or administers(self.person, application.org):
            return True
        if application.kind != ApplicationKind.SMALL_HOME:
            return False
        base = nearest_ancestor(application.org, *BASE_UNION_KINDS)
        return base is not None and can_review_as(self.person, base, "base_union")

    def sees_records_of(self, org):
        """Whose 建家档案 (applications, 满意率, reports, honours) this person reads: what
        sees_application allows. A chair reads its own union's and its 分会/小组' (their 小家 it
        reviews first), not those of a 基层 union below it (a 联合工会's members file on their own)."""
        if administers(self.person, org) or any(c.id == org.id for c in self.chair_orgs):
            return True
        if org.kind not in SUBDIVISION_KINDS:
            return False
        base = nearest_ancestor(org, *BASE_UNION_KINDS)
        return base is not None and any(c.id == base.id for c in self.chair_orgs)

    def org_condition(self, org_model=Org):
        """Orgs in an admin subtree (chairs: their own subtree)."""
        roots = self.admin_orgs + self.chair_orgs
        return _any(org_model.path.startswith(o.path) for o in roots)

    def admin_condition(self, org_model=Org):
        """Orgs in an admin subtree (what dashboards count)."""
        return _any(org_model.path.startswith(o.path) for o in self.admin_orgs)

    def application_condition(self, application_model, org_model=Org):
        """Applications this person sees; `org_model` must be joined as the application's org."""
        admin = self.admin_condition(org_model)
        own = application_model.org.in_([o.id for o in self.chair_orgs])
        chair = _any(_small_homes_under(c, application_model, org_model) for c in self.chair_orgs)
        return admin | own | chair

    def reviewable_condition(self, step_model):
        """Pending steps this person could decide: their level at their orgs."""
        parts = [(step_model.level == "system") & step_model.org.in_(_ids(self.admin_orgs, OrgKind.SYSTEM)),
                 (step_model.level == "district") & step_model.org.in_([o.id for o in self.district_orgs]),
                 (step_model.level == "base_union") & step_model.org.in_([o.id for o in self.chair_orgs])]
        return _any(parts)


def _ids(orgs, kind):
    """Ids of the orgs of `kind`."""
    return [o.id for o in orgs if o.kind == kind]


def _any(conditions):
    """OR of the conditions; a condition matching nothing when there are none."""
    conditions = list(conditions)
    return reduce(lambda a, b: a | b, conditions) if conditions else NOTHING


def _small_homes_under(chair_org, application_model, org_model):
    """小家 applications of orgs whose nearest 基层 union is `chair_org`."""
    return (application_model.kind == ApplicationKind.SMALL_HOME) & below_own_union(chair_org, org_model)


def scope_of(person):
    """The Scope of `person` from their roles (one query)."""
    roles = roles_of(person)
    admin = [r.org for r in roles if r.kind in ADMIN_ROLES]
    district = [r.org for r in roles if r.kind == RoleKind.DISTRICT_ADMIN]
    chairs = [r.org for r in roles if r.kind == RoleKind.CHAIR and r.org.kind in BASE_UNION_KINDS]
    return Scope(person, admin, district, chairs)
