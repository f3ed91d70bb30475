"""Who may do what to which org: the one place role rules live."""
import functools
import operator

from miniapp_backend.models import Application, Org, ReviewStep, Role, RoleKind
from miniapp_backend.services.errors import PermissionDenied

FILL_ROLES = (RoleKind.CHAIR, RoleKind.STAFF)
ADMIN_ROLES = (RoleKind.SYSTEM_ADMIN, RoleKind.DISTRICT_ADMIN)
# Who signs each digital level of the chain (the seed's 登记表: 基层工会委员会意见 is the 基层
# union's own, 乡镇街道委局公司工会意见 the 系统工会's, 区总工会审批意见 the district's): each
# level is decided by its own org's role, never by an admin above standing in for it.
REVIEWER_ROLES = {"base_union": RoleKind.CHAIR, "system": RoleKind.SYSTEM_ADMIN,
                  "district": RoleKind.DISTRICT_ADMIN}


def roles_of(person):
    """Every role the person holds, with its org."""
    return list(Role.select(Role, Org).join(Org).where(Role.person == person))


def _id(row):
    """A model's id (callers pass models or ids)."""
    return getattr(row, "id", row)


def has_role(person, org, kinds):
    """True when `person` holds one of `kinds` on exactly `org`."""
    return Role.held(_id(person), _id(org), kinds)


def orgs_where(person, kinds):
    """Orgs where `person` holds one of `kinds`."""
    return list(Org.select().join(Role).where(Role.person == person, Role.kind.in_(list(kinds))))


def can_fill(person, org):
    """Chair or staff of `org` may edit its drafts."""
    return has_role(person, org, FILL_ROLES)


def can_submit(person, org):
    """Only the chair submits (staff prepare)."""
    return has_role(person, org, (RoleKind.CHAIR,))


def administers(person, org):
    """A system admin over an ancestor of `org`, or a district admin of its tree."""
    for admin_org in orgs_where(person, ADMIN_ROLES):
        if admin_org.contains(org):
            return True
    return False


def is_district_admin_over(person, org):
    """True when `person` is a 区总工会 admin of the tree holding `org`."""
    return any(d.contains(org) for d in orgs_where(person, (RoleKind.DISTRICT_ADMIN,)))


def can_review_as(person, reviewing_org, level):
    """Whether `person` may decide a step of `level` that `reviewing_org` owns: only in the role
    that signs that level, on that very org."""
    kind = REVIEWER_ROLES.get(level)
    return kind is not None and has_role(person, reviewing_org, (kind,))


def can_view_application(person, application):
    """Fillers of its org, reviewers of any step of its chain, and admins over its org."""
    org = application.org
    if can_fill(person, org) or administers(person, org):
        return True
    steps = ReviewStep.select().where(ReviewStep.application == application,
                                      ReviewStep.org.is_null(False))
    return any(can_review_as(person, step.org, step.level) for step in steps)


def visible_applications(person):
    """A query of every application the person may see (own orgs, reviewed, administered)."""
    fill = orgs_where(person, FILL_ROLES)
    chaired = orgs_where(person, (RoleKind.CHAIR,))
    administered = orgs_where(person, ADMIN_ROLES)
    conditions = [Application.org.in_([o.id for o in fill])]
    if chaired:
        # The only chain level a union chair decides is the base union's (小家 of its 分会).
        reviewed = (ReviewStep.select(ReviewStep.application)
                    .where(ReviewStep.org.in_([o.id for o in chaired]), ReviewStep.level == "base_union"))
        conditions.append(Application.id.in_(reviewed))
    conditions += [Org.path.startswith(o.path) for o in administered]
    return (Application.select(Application, Org).join(Org)
            .where(functools.reduce(operator.or_, conditions)))


def require(allowed, message="没有权限进行这个操作"):
    """Raise PermissionDenied(message) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)
