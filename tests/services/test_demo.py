"""The demo district: idempotent seeding, a working invite, units that may file what they show."""
import datetime as dt

from miniapp_backend.models import (
    AdminAccount, Campaign, Channel, Honour, InviteCode, Org, Person, Role, RoleKind, Round, Station,
    StationStatus)
from miniapp_backend.services import admin_accounts, campaigns, demo, eligibility, people

IN_WINDOW = dt.date(2018, 5, 10)


def table_counts():
    """Row counts of every table the demo writes."""
    return {model.__name__: model.select().count()
            for model in (Org, Station, Honour, Person, Role, InviteCode, Campaign, Round)}


def allowed_kinds(org_name):
    """The application kinds the demo org may file on IN_WINDOW."""
    campaign = Campaign.get(Campaign.year == 2018)
    options = eligibility.options_for(Org.get(full_name=org_name), campaign, IN_WINDOW)
    return {option.spec.kind for option in options if option.allowed}


def test_seeding_twice_changes_nothing_and_prints_the_same_unused_invite(db):
    first = demo.seed_demo()
    before = table_counts()
    second = demo.seed_demo()
    assert table_counts() == before
    assert first == second
    assert (first["orgs"], first["stations"], first["honours"], first["campaigns"]) == (11, 5, 2, [2018])
    assert {admin["openid"] for admin in first["admins"]} == {"demo-district-admin", "demo-system-admin"}


def test_the_demo_invite_binds_a_chair_and_the_next_seed_prints_a_fresh_one(db):
    code = demo.seed_demo()["invite"]["code"]
    chair = people.person_for(Channel.MINIAPP, "o-demo-tester")
    role = people.redeem_invite(chair, code)
    assert (role.kind, role.org.full_name) == (RoleKind.CHAIR, demo.NEW_UNIT)
    invite = demo.seed_demo()["invite"]
    assert invite["code"] != code and invite["org"] == demo.QUALIFIED_UNIT
    assert InviteCode.get(code=invite["code"]).used_at is None


def test_an_expired_demo_invite_is_replaced(db):
    code = demo.seed_demo()["invite"]["code"]
    InviteCode.update(expires_at=dt.datetime(2018, 1, 1)).where(InviteCode.code == code).execute()
    assert demo.seed_demo()["invite"]["code"] != code


def test_demo_units_may_file_what_they_are_meant_to_show(db):
    demo.seed_demo()
    assert "district_home" in allowed_kinds(demo.QUALIFIED_UNIT)
    assert "new_union_home" in allowed_kinds(demo.NEW_UNIT)
    assert "small_home" in allowed_kinds(demo.FOOD_BRANCH)
    assert "district_home" not in allowed_kinds(demo.NEW_UNIT)


def test_demo_stations_include_an_internal_and_a_closed_one(db):
    demo.seed_demo()
    internal = Station.get(Station.public == False)  # noqa: E712 (peewee expression)
    assert internal.place_type == "车间班组"
    assert Station.select().where(Station.status == StationStatus.CLOSED).count() == 1
    # Some around 良乡 (lng ≈ 116.14), some around 燕山 (lng ≈ 115.97).
    longitudes = [station.lng for station in Station.select()]
    assert any(lng > 116.1 for lng in longitudes) and any(lng < 116.0 for lng in longitudes)


def test_the_demo_day_has_a_round_of_every_kind_of_the_latest_campaign_open():
    data = campaigns.read_campaign_file(campaigns.campaign_files()[-1])
    day = demo.demo_day(data)
    assert day == dt.date(2018, 4, 28)  # the notice's own date, when the 上半年 rounds open
    for spec in data["kinds"].values():
        assert any(dt.date.fromisoformat(r["opens_on"]) <= day <= dt.date.fromisoformat(r["closes_on"])
                   for r in spec["rounds"])


def test_the_demo_admins_get_sign_ins_whose_passwords_only_this_install_can_print(db):
    first = demo.seed_demo("install-secret")
    sign_ins = {admin["openid"]: admin["sign_in"] for admin in first["admins"]}
    username, password = sign_ins["demo-district-admin"]
    account = AdminAccount.get(username=username)
    assert admin_accounts.check_password(account, password)
    assert account.person.name == "周晓梅"
    assert demo.seed_demo("install-secret") == first  # seeding again: the same sign-ins, no new rows
    assert AdminAccount.select().count() == 2
    assert password != demo.demo_password("another-install", username)
    assert all(admin["sign_in"] is None for admin in demo.seed_demo()["admins"])  # no key, none shown
    AdminAccount.update(active=False).where(AdminAccount.username == username).execute()
    again = {admin["openid"]: admin["sign_in"] for admin in demo.seed_demo("install-secret")["admins"]}
    assert again["demo-district-admin"] is None and again["demo-system-admin"] is not None  # deactivated: not shown
