"""A small fictional district to try the bots and the mini-program on; seeding it is idempotent."""
import datetime as dt
import hashlib
import hmac

from miniapp_backend.clock import format_local
from miniapp_backend.db import database
from miniapp_backend.models import (
    ROLE_LABELS, AdminAccount, BuildingMode, Channel, Honour, HonourKind, InviteCode, Org, OrgKind, Role,
    RoleKind, Station, StationStatus)
from miniapp_backend.services import admin_accounts, campaigns, eligibility, orgs, people, stations

DISTRICT = "北京市房山区总工会"
YANSHAN = "燕山总工会"
LIANGXIANG = "房山区良乡镇总工会"
NEW_UNIT = "北京星火新材料科技有限公司工会委员会"
QUALIFIED_UNIT = "北京燕宏石化设备有限公司工会委员会"
FOOD_UNIT = "北京拱辰福源食品有限公司工会委员会"
FOOD_BRANCH = "北京拱辰福源食品有限公司工会包装车间分会"
JOINT = "良乡金街商务楼宇联合工会委员会"
DEMO_BATCH = "demo"
# A code about to lapse is no use to whoever tries the demo tomorrow.
INVITE_MARGIN = dt.timedelta(days=1)
# The demo invite goes to the first of these still without a chair: each can file something now.
INVITE_UNITS = (NEW_UNIT, QUALIFIED_UNIT, FOOD_UNIT)
# Demo phones are in the 13800138xxx range every Chinese tutorial uses, so no one real is dialled.
ORGS = (
    (None, OrgKind.DISTRICT, DISTRICT, {}),
    (DISTRICT, OrgKind.SYSTEM, YANSHAN, {"category": "燕山总工会", "chair_name": "高永福"}),
    (DISTRICT, OrgKind.SYSTEM, LIANGXIANG, {"category": "乡镇街道总工会", "chair_name": "曹雅琴"}),
    (DISTRICT, OrgKind.GRASSROOTS, "北京市房山区第一医院工会委员会", {
        "nature": "事业单位", "founded_on": dt.date(1986, 5, 1), "employee_count": 860,
        "member_count": 842, "chair_name": "韩淑英", "phone": "13800138005"}),
    (LIANGXIANG, OrgKind.GRASSROOTS, NEW_UNIT, {
        "nature": "企业", "founded_on": dt.date(2017, 3, 15), "employee_count": 150,
        "member_count": 136, "chair_name": "刘志强", "phone": "13800138001"}),
    (LIANGXIANG, OrgKind.GRASSROOTS, FOOD_UNIT, {
        "nature": "企业", "founded_on": dt.date(2005, 9, 1), "employee_count": 320,
        "member_count": 301, "chair_name": "陈秀兰", "phone": "13800138002"}),
    (FOOD_UNIT, OrgKind.BRANCH, FOOD_BRANCH, {"member_count": 45, "chair_name": "马丽娟"}),
    (YANSHAN, OrgKind.GRASSROOTS, QUALIFIED_UNIT, {
        "nature": "企业", "founded_on": dt.date(2009, 4, 20), "employee_count": 420,
        "member_count": 405, "chair_name": "赵立军", "phone": "13800138003"}),
    (LIANGXIANG, OrgKind.JOINT, JOINT, {
        "category": "楼宇", "building_mode": BuildingMode.JOINT, "chair_name": "杨帆",
        "phone": "13800138004", "employee_count": 44, "member_count": 38}),
    (JOINT, OrgKind.GRASSROOTS, "北京悦途文化传媒有限公司工会", {
        "nature": "企业", "employee_count": 18, "member_count": 16, "building_mode": BuildingMode.JOINT}),
    (JOINT, OrgKind.GRASSROOTS, "北京青禾餐饮管理有限公司工会", {
        "nature": "企业", "employee_count": 26, "member_count": 22, "building_mode": BuildingMode.JOINT}),
)
HONOURS = (
    (QUALIFIED_UNIT, HonourKind.QUALIFIED_HOME, 2017, dt.date(2017, 12, 20)),
    (FOOD_BRANCH, HonourKind.QUALIFIED_SMALL_HOME, 2017, dt.date(2017, 11, 28)),
)
# (openid, name, role, org, admin web username)
ADMINS = (
    ("demo-district-admin", "周晓梅", RoleKind.DISTRICT_ADMIN, DISTRICT, "demo-district"),
    ("demo-system-admin", "孙立新", RoleKind.SYSTEM_ADMIN, LIANGXIANG, "demo-system"),
)


def _weekly(first, last, start, end):
    """Hours open `start`–`end` on weekdays first..last (0 = Monday)."""
    return {"always": False, **{day: [[start, end]] for day in stations.WEEKDAYS[first:last + 1]}}


ALWAYS = {"always": True}
STATIONS = (
    (NEW_UNIT, {"name": "星火新材料职工暖心驿站", "address": "北京市房山区良乡镇金光南街12号星火科技园1号楼一层",
                "lat": 39.7268, "lng": 116.1532, "place_type": "园区", "hours": _weekly(0, 4, "08:00", "18:00"),
                "services": ["饮水", "热饭", "小憩", "如厕", "充电"], "status": StationStatus.ACTIVE}),
    (JOINT, {"name": "良乡金街楼宇职工驿站", "address": "北京市房山区良乡镇拱辰北大街36号金街大厦一层大堂",
             "lat": 39.7391, "lng": 116.1405, "place_type": "楼宇", "hours": ALWAYS,
             "services": ["饮水", "小憩", "如厕", "热可纳凉", "冷可取暖", "雨可栖身"],
             "status": StationStatus.ACTIVE}),
    (FOOD_BRANCH, {"name": "福源食品包装车间工间休息点", "address": "北京市房山区良乡镇西潞大街8号福源食品厂区2号车间",
                   "lat": 39.7302, "lng": 116.1288, "place_type": "车间班组", "public": False,
                   "hours": _weekly(0, 5, "07:30", "19:30"), "services": ["饮水", "热饭", "微波炉"],
                   "status": StationStatus.ACTIVE}),
    (QUALIFIED_UNIT, {"name": "燕山迎风加油站暖心驿站", "address": "北京市房山区燕山迎风街15号加油站便利店旁",
                      "lat": 39.7233, "lng": 115.9720, "place_type": "加油站", "hours": ALWAYS,
                      "services": ["饮水", "如厕", "充电", "伤可用药"], "status": StationStatus.ACTIVE}),
    (QUALIFIED_UNIT, {"name": "燕山东风街职工暖心驿站", "address": "北京市房山区燕山东风街3号",
                      "lat": 39.7189, "lng": 115.9812, "place_type": "商业网点",
                      "hours": _weekly(0, 4, "09:00", "17:00"), "services": ["饮水", "小憩"],
                      "status": StationStatus.CLOSED}),
)


def _ensure_orgs():
    """Every demo org by full name, creating the missing ones (parents come first in ORGS)."""
    by_name = {}
    for parent, kind, name, facts in ORGS:
        by_name[name] = (Org.get_or_none(Org.full_name == name)
                         or orgs.create_org(by_name.get(parent), kind, name, **facts))
    return by_name


def _ensure_stations(by_name):
    """Create each demo station its org does not have yet (matched by name)."""
    for owner, values in STATIONS:
        org = by_name[owner]
        if not Station.select().where(Station.org == org, Station.name == values["name"]).exists():
            stations.create_station(org, **values)


def demo_password(secret_key, username):
    """A demo admin's admin-web password, derived from this install's SECRET_KEY: seeding again
    prints the same one, and nobody without the key can work it out."""
    return hmac.new(secret_key.encode(), f"demo-admin:{username}".encode(), hashlib.sha256).hexdigest()[:12]


def _ensure_account(person, username, secret_key):
    """The demo admin's admin-web sign-in (username, password), made on first seeding; None when
    the username went to someone else, the person signs in under another one or the account was
    deactivated."""
    account = AdminAccount.get_or_none(AdminAccount.person == person)
    if account is None and AdminAccount.by_username(username) is None:
        account = admin_accounts.create_account(person, username, demo_password(secret_key, username))
    if account is None or account.username != username or not account.active:
        return None
    return username, demo_password(secret_key, username)


def _ensure_admins(by_name, secret_key):
    """The demo admins with their roles (and, given the SECRET_KEY, admin-web sign-ins)."""
    admins = []
    for openid, name, role, org_name, username in ADMINS:
        person = people.person_for(Channel.OFFICIAL, openid)
        if not person.name:
            person.name = name
            person.save()
        people.grant_role(person, by_name[org_name], role)
        sign_in = _ensure_account(person, username, secret_key) if secret_key else None
        admins.append({"name": person.name, "openid": openid, "role": ROLE_LABELS[role], "org": org_name,
                       "sign_in": sign_in})
    return admins


def _has_chair(org):
    """Whether someone has bound as chair of `org`."""
    return Role.select().where(Role.org == org, Role.kind == RoleKind.CHAIR).exists()


def _demo_invite(by_name):
    """An unused demo chair invite with time left, for the first demo unit still without a chair."""
    unit = next((by_name[n] for n in INVITE_UNITS if not _has_chair(by_name[n])), by_name[INVITE_UNITS[0]])
    invite = (InviteCode.outstanding(INVITE_MARGIN)
              .where(InviteCode.org == unit, InviteCode.role == RoleKind.CHAIR, InviteCode.batch == DEMO_BATCH)
              .order_by(InviteCode.id.desc()).first())
    return invite or people.create_invite(unit, RoleKind.CHAIR, batch=DEMO_BATCH)


def demo_day(campaign_data):
    """The day the offline demo runs on: the first on which every kind of the campaign has a
    round open (the latest of their first openings), so each kind can be tried."""
    return max(min(dt.date.fromisoformat(entry["opens_on"]) for entry in spec["rounds"])
               for spec in campaign_data["kinds"].values())


def seed_demo(secret_key=None):
    """Load every campaign and create what is missing of the demo district; return a summary.

    With this install's SECRET_KEY the demo admins also get admin-web sign-ins.
    """
    with database.atomic():
        years = [campaign.year for campaign in campaigns.load_all_campaigns()]
        by_name = _ensure_orgs()
        for name, kind, year, awarded_on in HONOURS:
            eligibility.award(by_name[name], kind, year, awarded_on)
        _ensure_stations(by_name)
        admins = _ensure_admins(by_name, secret_key)
        invite = _demo_invite(by_name)
    district = by_name[DISTRICT]
    in_district = Org.path.startswith(district.path)
    return {
        "district": district.full_name,
        "campaigns": years,
        "orgs": district.subtree().count(),
        "stations": Station.select().join(Org).where(in_district).count(),
        "honours": Honour.select().join(Org).where(in_district).count(),
        "admins": admins,
        "invite": {"org": invite.org.full_name, "role": ROLE_LABELS[RoleKind.CHAIR],
                   "code": invite.code, "expires_at": format_local(invite.expires_at)},
    }
