"""The org tree: creating orgs, walking it, and the facts forms prefill from it."""
from miniapp_backend.models import ORG_KIND_LABELS, HonourKind, Org, OrgKind
from miniapp_backend.services.errors import ValidationFailed

# Which kinds may hang under which: the seed's 区总工会 → 系统工会 → 基层工会 → 分会 → 小组.
ALLOWED_PARENTS = {
    OrgKind.DISTRICT: (None,),
    OrgKind.SYSTEM: (OrgKind.DISTRICT,),
    OrgKind.GRASSROOTS: (OrgKind.DISTRICT, OrgKind.SYSTEM, OrgKind.JOINT),
    OrgKind.JOINT: (OrgKind.DISTRICT, OrgKind.SYSTEM),
    OrgKind.BRANCH: (OrgKind.GRASSROOTS, OrgKind.JOINT),
    OrgKind.GROUP: (OrgKind.GRASSROOTS, OrgKind.JOINT, OrgKind.BRANCH),
}


def create_org(parent, kind, full_name, **facts):
    """Create an org under `parent` (None for the district root) and set its path."""
    kind = OrgKind(kind)
    parent_kind = OrgKind(parent.kind) if parent else None
    if parent_kind not in ALLOWED_PARENTS[kind]:
        above = ORG_KIND_LABELS[parent_kind] if parent else "最上层"
        raise ValidationFailed(
            f"“{full_name}”是{ORG_KIND_LABELS[kind]}，不能挂在{above}之下", key="parent")
    if Org.select().where(Org.full_name == full_name.strip()).exists():
        raise ValidationFailed(f"已有全称为“{full_name.strip()}”的组织", key="full_name")
    org = Org.create(parent=parent, kind=kind, full_name=full_name.strip(), **facts)
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    org.save(only=[Org.path])
    return org


def ancestors(org):
    """Orgs from the root down to `org`'s parent."""
    ids = org.ancestor_ids()[:-1]
    by_id = {o.id: o for o in Org.select().where(Org.id.in_(ids))} if ids else {}
    return [by_id[i] for i in ids]


# Unions of their own (基层, 联合) and their subdivisions (分会/车间, 小组/班组), which belong to
# the nearest such union above them.
BASE_UNION_KINDS = (OrgKind.GRASSROOTS, OrgKind.JOINT)
SUBDIVISION_KINDS = (OrgKind.BRANCH, OrgKind.GROUP)


def below_own_union(union, org_model=Org):
    """A condition on `org_model`: orgs strictly below `union` whose nearest 基层/联合 union is
    `union` itself, not a union nested below it (which files on its own) nor anything under that."""
    condition = org_model.path.startswith(union.path) & (org_model.id != union.id)
    nested = Org.select(Org.path).where(Org.path.startswith(union.path), Org.id != union.id,
                                        Org.kind.in_(list(BASE_UNION_KINDS)))
    for inner in nested:
        condition &= ~org_model.path.startswith(inner.path)
    return condition


def nearest_ancestor(org, *kinds):
    """The closest ancestor (excluding `org`) of one of `kinds`, or None."""
    for candidate in reversed(ancestors(org)):
        if candidate.kind in kinds:
            return candidate
    return None


def district_of(org):
    """The 区总工会 at the root of `org`'s tree."""
    if org.kind == OrgKind.DISTRICT:
        return org
    return Org.get_by_id(org.ancestor_ids()[0])


def system_union_of(org):
    """The 系统工会 above `org` (or `org` itself); None for 直属 units."""
    if org.kind == OrgKind.SYSTEM:
        return org
    return nearest_ancestor(org, OrgKind.SYSTEM)


def _count_below(org, kinds):
    """How many orgs of `kinds` are strictly below `org`."""
    return (org.subtree().where(Org.kind.in_(list(kinds)), Org.id != org.id).count())


def _active_honours_below(org, kind):
    """Active honours of `kind` held in `org`'s subtree."""
    from miniapp_backend.models import Honour
    return (Honour.select().join(Org)
            .where(Org.path.startswith(org.path), Honour.kind == kind, Honour.held()).count())


def _qualified_since(org, kind):
    """The date `org` was awarded the 合格 title of `kind`, as ISO text, or None."""
    from miniapp_backend.models import Honour
    honour = (Honour.select().where(Honour.org == org, Honour.kind == kind, Honour.held())
              .order_by(Honour.awarded_on).first())
    return honour.awarded_on.isoformat() if honour and honour.awarded_on else None


def prefill_facts(org):
    """Every `org.<name>` a form may prefill, computed from the tree and its honours."""
    system = system_union_of(org)
    parent_unit = nearest_ancestor(org, OrgKind.GRASSROOTS, OrgKind.JOINT)
    return {
        "full_name": org.full_name,
        "chair_name": org.chair_name or None,
        "phone": org.phone or None,
        "email": org.email or None,
        "employee_count": org.employee_count,
        "member_count": org.member_count,
        "nature": org.nature or None,
        "committee_size": org.committee_size,
        "fulltime_cadres": org.fulltime_cadres,
        "credit_code": org.credit_code,
        "system_union_name": system.full_name if system else None,
        "parent_unit_name": parent_unit.full_name if parent_unit else None,
        "covered_union_count": _count_below(org, (OrgKind.GRASSROOTS, OrgKind.JOINT, OrgKind.BRANCH)),
        "group_count": _count_below(org, (OrgKind.GROUP,)),
        "qualified_home_count": _active_honours_below(org, HonourKind.QUALIFIED_HOME),
        "qualified_small_home_count": _active_honours_below(org, HonourKind.QUALIFIED_SMALL_HOME),
        "qualified_home_since": _qualified_since(org, HonourKind.QUALIFIED_HOME),
        "qualified_small_home_since": _qualified_since(org, HonourKind.QUALIFIED_SMALL_HOME),
    }
