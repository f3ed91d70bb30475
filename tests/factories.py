"""Small builders for domain tests: a district tree, people with roles, the 2018 campaign."""
import datetime as dt
import hashlib
from dataclasses import dataclass

from miniapp_backend.models import Channel, FileKind, HonourKind, OrgKind, RoleKind, StationKind, StoredFile
from miniapp_backend.services import campaigns, eligibility, orgs, people
from miniapp_backend.services.campaigns import CAMPAIGNS_DIR

IN_WINDOW = dt.date(2018, 5, 10)


@dataclass
class World:
    """A small district: every level of the tree and one person per role."""

    campaign: object
    district: object
    system: object
    other_system: object
    unit: object
    other_unit: object
    direct_unit: object
    branch: object
    chair: object
    staff: object
    branch_chair: object
    direct_chair: object
    other_chair: object
    system_admin: object
    other_system_admin: object
    district_admin: object


def person(name, org=None, role=None, openid=None):
    """A person with an official-account identity and, optionally, a role."""
    someone = people.person_for(Channel.OFFICIAL, openid or f"o-{name}")
    someone.name = name
    someone.save()
    if org is not None:
        people.grant_role(someone, org, role)
    return someone


def build_world():
    """The tree 区总工会 → 2 系统工会 → units (+ a 直属 unit and a 分会), with roles."""
    campaign = campaigns.load_campaign(CAMPAIGNS_DIR / "2018.yaml")
    district = orgs.create_org(None, OrgKind.DISTRICT, "北京市房山区总工会")
    system = orgs.create_org(district, OrgKind.SYSTEM, "房山区良乡镇总工会", category="乡镇街道总工会")
    other_system = orgs.create_org(district, OrgKind.SYSTEM, "燕山总工会", category="燕山总工会")
    unit_facts = dict(employee_count=150, member_count=140, chair_name="王建国", phone="010-69312345",
                      founded_on=dt.date(2017, 6, 1), nature="企业")
    unit = orgs.create_org(system, OrgKind.GRASSROOTS, "北京良乡示例科技有限公司工会委员会", **unit_facts)
    other_unit = orgs.create_org(other_system, OrgKind.GRASSROOTS, "燕山示例石化有限公司工会委员会", **unit_facts)
    direct_unit = orgs.create_org(district, OrgKind.GRASSROOTS, "房山区直属示例医院工会委员会", **unit_facts)
    branch = orgs.create_org(unit, OrgKind.BRANCH, "北京良乡示例科技有限公司工会一车间分会",
                             member_count=30, phone="13800138001")
    return World(
        campaign=campaign, district=district, system=system, other_system=other_system, unit=unit,
        other_unit=other_unit, direct_unit=direct_unit, branch=branch,
        chair=person("王建国", unit, RoleKind.CHAIR), staff=person("李芳", unit, RoleKind.STAFF),
        branch_chair=person("赵强", branch, RoleKind.CHAIR),
        direct_chair=person("孙丽", direct_unit, RoleKind.CHAIR),
        other_chair=person("周敏", other_unit, RoleKind.CHAIR),
        system_admin=person("钱进", system, RoleKind.SYSTEM_ADMIN),
        other_system_admin=person("吴刚", other_system, RoleKind.SYSTEM_ADMIN),
        district_admin=person("郑红", district, RoleKind.DISTRICT_ADMIN),
    )


def make_qualified(org, kind=HonourKind.QUALIFIED_HOME, year=2017):
    """Give `org` an active 合格 title (declared and verified)."""
    return eligibility.award(org, kind, year, dt.date(year, 3, 1))


def minutes_scan(name="会员代表大会会议记录"):
    """A stored scan of a 会员代表大会's minutes, for a 合格 declaration to be confirmed (its row
    only: the tests using it never open the bytes)."""
    return StoredFile.get_or_create(sha256=hashlib.sha256(name.encode()).hexdigest(),
                                    defaults={"kind": FileKind.PDF, "mime": "application/pdf", "size": 1})[0]


def station_for(org, name="良乡示例暖心驿站", **extra):
    """A public station of `org` near 良乡."""
    from miniapp_backend.services import stations
    values = dict(name=name, address="房山区良乡镇拱辰大街1号", lat=39.7355, lng=116.1397,
                  kind=StationKind.WARM_STATION, services=["饮水", "小憩"], public=True)
    values.update(extra)
    return stations.create_station(org, **values)
