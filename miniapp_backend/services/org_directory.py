"""Reading the org tree for admins: children, search, the path above, who has bound as chair or staff."""
from miniapp_backend.models import InviteCode, Org, OrgKind, Person, Role, RoleKind
from miniapp_backend.services.orgs import SUBDIVISION_KINDS, ancestors, below_own_union

SEARCH_LIMIT = 50
UNIT_KINDS = (OrgKind.SYSTEM, OrgKind.GRASSROOTS, OrgKind.JOINT, OrgKind.BRANCH, OrgKind.GROUP)
BOUND_KINDS = (RoleKind.CHAIR, RoleKind.STAFF)
UNNAMED = "（未留姓名）"
# A chair who bound by invite code gave no name: the unit's registered chair is who holds the code.
REGISTERED = "{}（单位登记的主席）"


def children(org):
    """The orgs directly under `org`, by name."""
    return list(Org.select().where(Org.parent == org).order_by(Org.kind, Org.full_name))


def search(org_condition, text):
    """Orgs within `org_condition` whose name contains `text`."""
    return list(Org.select().where(org_condition, Org.full_name.contains(text))
                .order_by(Org.full_name).limit(SEARCH_LIMIT))


def trail(org):
    """The orgs from the root down to `org`, inclusive."""
    return ancestors(org) + [org]


def units_below(org, only_unbound=False, own_only=False):
    """Units strictly below `org` that can have a chair (a query, for paging); `own_only`: just
    the union's own 分会/小组, not a union nested below it nor that union's own."""
    rows = org.subtree().where(Org.kind.in_(list(UNIT_KINDS)), Org.id != org.id)
    if own_only:
        rows = rows.where(Org.kind.in_(list(SUBDIVISION_KINDS)), below_own_union(org))
    if only_unbound:
        chaired = Role.select(Role.org).where(Role.kind == RoleKind.CHAIR)
        rows = rows.where(Org.id.not_in(chaired))
    return rows.order_by(Org.path)


def bound_people(orgs):
    """{org id: [(role kind, name, role id)]}: everyone bound as chair or staff of the given orgs,
    chairs first (the role id is what the binding page removes); a chair who left no name is
    named as the unit registered its chair."""
    registered = {o.id: o.chair_name for o in orgs}
    result = {}
    if registered:
        roles = (Role.select(Role.id, Role.org, Role.kind, Person.name).join(Person)
                 .where(Role.org.in_(list(registered)), Role.kind.in_(BOUND_KINDS))
                 .order_by(Role.kind, Person.name, Person.id))
        for role in roles:
            result.setdefault(role.org_id, []).append((role.kind, _name(role, registered[role.org_id]), role.id))
    return result


def _name(role, registered_chair):
    """The bound person's own name, else the unit's registered chair for a chair, else UNNAMED."""
    if role.person.name:
        return role.person.name
    if role.kind == RoleKind.CHAIR and registered_chair:
        return REGISTERED.format(registered_chair)
    return UNNAMED


def open_invites(orgs):
    """{(org id, role kind): [codes]}: the outstanding invite codes of the given orgs."""
    ids = [o.id for o in orgs]
    result = {}
    if ids:
        for invite in InviteCode.outstanding().where(InviteCode.org.in_(ids)).order_by(InviteCode.id):
            result.setdefault((invite.org_id, invite.role), []).append(invite.code)
    return result
