"""Who is expected to file: drafts, returned applications, and orgs the campaign singles out."""
import datetime as dt

from miniapp_backend.models import ApplicationKind, Decision, HonourKind, Org
from miniapp_backend.services import drafts, eligibility, orgs, review
from miniapp_backend.services.reminders.concerns import concerns
from miniapp_backend.storage import FileStore
from tests.factories import make_qualified, person, station_for
from tests.reminders.filing import file_complete

D = dt.date
JUNE = D(2018, 6, 10)


def found(world, today=JUNE):
    """{(kind, org name, date label)} of the current concerns."""
    names = {o.id: o.full_name for o in Org.select()}
    return {(c.kind, names[c.org_id], c.label) for c in concerns(world.campaign, today)}


def test_new_unions_of_a_hundred_are_expected_old_or_small_ones_are_not(world):
    old = orgs.create_org(world.system, "grassroots", "老企业工会", employee_count=300,
                          founded_on=D(2005, 1, 1))
    small = orgs.create_org(world.system, "grassroots", "小企业工会", employee_count=50,
                            founded_on=D(2017, 5, 1))
    person("老主席", old, "chair")
    person("小主席", small, "chair")
    assert found(world) == {("new_union_home", world.unit.full_name, "close"),
                            ("new_union_home", world.other_unit.full_name, "close"),
                            ("new_union_home", world.direct_unit.full_name, "close")}


def test_district_home_is_expected_of_qualified_homes_that_do_not_hold_it(world):
    make_qualified(world.unit)
    honour = make_qualified(world.other_unit)
    eligibility.award(world.direct_unit, HonourKind.QUALIFIED_HOME, 2017, D(2017, 3, 1))
    eligibility.award(world.direct_unit, HonourKind.DISTRICT_HOME, 2017, D(2017, 12, 1))
    eligibility.revoke(honour, world.other_system_admin, "复验不合格")
    district = {c for c in found(world) if c[0] == "district_home"}
    assert district == {("district_home", world.unit.full_name, "close")}


def test_an_org_nobody_can_be_reminded_in_is_not_checked(world):
    lonely = orgs.create_org(world.system, "grassroots", "无人工会", employee_count=300,
                             founded_on=D(2017, 5, 1))
    assert ("new_union_home", lonely.full_name, "close") not in found(world)


def test_voluntary_kinds_remind_only_those_who_started(world):
    assert not {c for c in found(world) if c[0] in ("model_home", "warm_station")}
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME, today=JUNE)
    station = station_for(world.unit)
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                           station=station, today=JUNE)
    voluntary = {c for c in found(world) if c[0] in ("model_home", "warm_station")}
    assert voluntary == {("model_home", world.unit.full_name, "close"),
                         ("warm_station", world.unit.full_name, "close")}
    titles = {c.title for c in concerns(world.campaign, JUNE) if c.kind in ("model_home", "warm_station")}
    assert titles == {"2018年示范职工之家", f"2018年职工暖心驿站·{station.name}"}  # which of a unit's stations


def test_submitted_is_done_and_returned_is_due_by_its_rectify_date(world, tmp_path):
    app = file_complete(world, world.chair, world.unit, ApplicationKind.NEW_UNION_HOME, FileStore(tmp_path), JUNE)
    assert ("new_union_home", world.unit.full_name, "close") not in found(world)
    review.decide(app, world.system_admin, Decision.RETURN, "照片不清晰", rectify_deadline=D(2018, 7, 15),
                  today=JUNE)
    # The round closed on 06-30; the 整改截止 keeps the application open and due.
    returned = [c for c in concerns(world.campaign, D(2018, 7, 5)) if c.application_id == app.id]
    assert [(c.label, c.deadline) for c in returned] == [("rectify.v1", D(2018, 7, 15))]
    assert not [c for c in concerns(world.campaign, D(2018, 7, 16)) if c.application_id == app.id]


def test_an_earlier_rounds_unfinished_draft_or_rejection_does_not_silence_the_later_round(world, tmp_path):
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.NEW_UNION_HOME, today=JUNE)
    rejected = file_complete(world, world.other_chair, world.other_unit, ApplicationKind.NEW_UNION_HOME,
                             FileStore(tmp_path), JUNE)
    review.decide(rejected, world.other_system_admin, Decision.REJECT, "不符合条件", today=JUNE)
    standing = file_complete(world, world.direct_chair, world.direct_unit, ApplicationKind.NEW_UNION_HOME,
                             FileStore(tmp_path), JUNE)
    # 下半年: the 上半年 draft was left unfinished, the rejected unit may file again; the one in
    # review may not (one title a year), so only it is spared.
    later = {(c.kind, c.org_id, c.deadline) for c in concerns(world.campaign, D(2018, 7, 5))
             if c.kind == "new_union_home"}
    assert later == {("new_union_home", world.unit.id, D(2018, 10, 31)),
                     ("new_union_home", world.other_unit.id, D(2018, 10, 31))}
    assert standing.status == "submitted"
