"""Dashboard figures, quotas, the org tree with import and invites, stations, operations."""
import datetime as dt
import io
import re

from openpyxl import Workbook, load_workbook
from rq import Queue

from miniapp_backend.clock import local_today
from miniapp_backend.models import (
    AdminAccount, Application, ApplicationKind, AppStatus, Channel, HonourKind, InviteCode, Notice, NoticeStatus, Org,
    OrgKind, AuditLog, Role, RoleKind, Station, StationStatus)
from miniapp_backend.models.admin_records import SiteInspection, SystemQuota
from miniapp_backend.services import (
    admin_accounts, admin_actions, dashboard, drafts, eligibility, nearby, notifications, orgs, people, qualified,
    review, selection, stations)
from miniapp_backend.services.admin_scope import scope_of
from miniapp_backend.services.permissions import can_submit
from tests import factories
from tests.admin.helpers import PASSWORD, csrf_of, post, sign_in, submitted
from tests.factories import IN_WINDOW, make_qualified, minutes_scan, station_for
from tests.nearby_index import assert_index_matches_database

ORG_HEADER = ["全称", "类型", "上级全称"]
STATION_HEADER = ["单位全称", "驿站名称", "地址", "纬度", "经度", "场所类型", "对外开放", "服务项目", "开放时间", "状态"]


def _cell(html, table_id, row_label):
    """The cells of the row starting with `row_label` in the table `table_id`."""
    table = html.split(f'id="{table_id}"')[1].split("</table>")[0]
    row = next(r for r in table.split("<tr>") if row_label in r)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_dashboard_counts_targets_quotas_and_coverage(web, admin_world, tmp_path):
    submitted(admin_world, tmp_path)
    submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)
    sign_in(web, "district")
    token = csrf_of(web, "/admin/quotas")
    web.post("/admin/quotas", data={"csrf_token": token, f"q-model_home-{admin_world.system.id}": "1",
                                    f"q-new_union_home-{admin_world.other_system.id}": "5"})
    assert SystemQuota.select().count() == 2
    html = web.get("/admin/").get_data(as_text=True)
    model = _cell(html, "targets", "示范职工之家")
    assert model[0].endswith("示范职工之家") and model[1:4] == ["2", "1", "2"]
    assert _cell(html, "systems", admin_world.system.full_name)[1].startswith("1 / 1 / 0")
    assert 'id="over-' not in web.get("/admin/quotas").get_data(as_text=True)
    board = dashboard.build(admin_world.campaign, scope_of(admin_world.district_admin), dt.date(2018, 6, 20))
    # Both units are 100+ employee unions founded in 2017: both filed, none has a 职工之家 yet.
    assert (board.coverage.total, board.coverage.covered, board.coverage.not_filed_count) == (3, 0, 1)
    assert board.dates[0][0] == dt.date(2018, 6, 30) and board.dates[0][2] == 10


def test_the_status_columns_add_up_to_the_filed_count_on_the_dashboard_and_in_the_summary(
        web, admin_world, tmp_path):
    """审核中 + 退回整改 + 未通过 + 已通过审核 = 已申报: a rejected application is counted somewhere."""
    world = admin_world
    returned = submitted(world, tmp_path)
    review.decide(returned, world.system_admin, "return", "请补充照片",
                  rectify_deadline=local_today() + dt.timedelta(days=5))
    rejected = submitted(world, tmp_path, world.other_unit, world.other_chair)
    review.decide(rejected, world.other_system_admin, "reject", "不符合申报条件")
    submitted(world, tmp_path, world.direct_unit, world.direct_chair)
    sign_in(web, "district")
    html = web.get("/admin/").get_data(as_text=True)
    header = re.findall(r"<th[^>]*>(.*?)</th>", html.split('id="targets"')[1].split("</tr>")[0])
    row = dict(zip(header, _cell(html, "targets", "示范职工之家")))
    assert (row["已申报"], row["审核中"], row["退回整改"], row["未通过"], row["已通过审核"]) == ("3", "1", "1", "1", "0")
    sheet = load_workbook(io.BytesIO(web.get("/admin/exports/summary.xlsx").data))["目标完成情况"]
    rows = list(sheet.iter_rows(values_only=True))
    model = dict(zip(rows[0], next(r for r in rows if r[0] == "示范职工之家")))
    assert (model["已申报"], model["审核中"], model["退回整改"], model["未通过"], model["已通过审核"]) == (3, 1, 1, 1, 0)


def test_system_dashboard_counts_only_its_subtree(admin_world, tmp_path):
    submitted(admin_world, tmp_path)
    submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)
    board = dashboard.build(admin_world.campaign, scope_of(admin_world.system_admin), local_today())
    assert sum(row.tally.filed for row in board.kinds) == 1
    assert [s.id for s in board.systems] == [admin_world.system.id]


def test_a_system_union_is_measured_against_its_own_quota(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    review.decide(app, admin_world.system_admin, "approve", "同意")
    review.decide(app, admin_world.district_admin, "approve", "同意")
    admin_actions.set_quota(admin_world.campaign, "model_home", admin_world.system, 1, admin_world.district_admin)
    sign_in(web, "system")
    html = web.get("/admin/").get_data(as_text=True)
    assert "本系统指标" in html
    model = _cell(html, "targets", "示范职工之家")
    assert model[1:3] == ["1", "2"] and model[-2] == "100%"
    sign_in(web, "district")
    model = _cell(web.get("/admin/").get_data(as_text=True), "targets", "示范职工之家")
    assert model[1:3] == ["2", "1"] and model[-2] == "50%"


def test_quotas_above_the_target_are_kept_with_a_warning_and_a_typo_keeps_the_form(web, admin_world):
    sign_in(web, "district")
    token = csrf_of(web, "/admin/quotas")
    system, other = admin_world.system.id, admin_world.other_system.id
    web.post("/admin/quotas", data={"csrf_token": token, f"q-model_home-{system}": "5",
                                    f"q-model_home-{other}": "3", f"q-warm_station-{system}": "200"})
    html = web.get("/admin/quotas").get_data(as_text=True)
    assert "示范职工之家已分配指标8个，超过年度目标2个（多出6个）" in html
    assert 'id="over-warm_station"' not in html  # 200 of 200 is no warning
    response = web.post("/admin/quotas", data={"csrf_token": token, f"q-model_home-{system}": "1",
                                               f"q-new_union_home-{other}": "五"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "指标应为0到999999之间的整数" in html and 'value="五"' in html
    assert SystemQuota.of_campaign(admin_world.campaign)[("model_home", system)] == 5  # nothing half-saved
    for typo in ("²", "99999999999999999999999"):  # isdigit() yet no int, or an int beyond any column
        response = web.post("/admin/quotas", data={"csrf_token": token, f"q-model_home-{system}": typo})
        assert response.status_code == 400 and "指标应为0到999999之间的整数" in response.get_data(as_text=True)


def test_numbers_too_long_for_an_id_in_paths_and_filters_are_not_server_errors(web, admin_world):
    sign_in(web, "district")
    huge = "9" * 23
    for page in (f"/admin/?year={huge}", f"/admin/applications?round={huge}&system={huge}&page={huge}",
                 f"/admin/stations?system={huge}", f"/admin/honours?year={huge}", f"/admin/operations?page={huge}",
                 f"/admin/exports/applications.xlsx?year={huge}"):
        assert web.get(page).status_code < 500, page
    assert web.get(f"/admin/orgs?parent={huge}").status_code == 404
    assert web.get(f"/admin/orgs/{huge}/binding").status_code == 404
    assert web.get(f"/admin/applications/{huge}").status_code == 404


def test_a_page_past_the_last_shows_the_last_page(web, admin_world, tmp_path):
    """A list that shrank since its page 3 was opened (decisions taken, a filter changed) shows
    what is left, not an empty page whose 上一页 is empty too."""
    submitted(admin_world, tmp_path)
    make_qualified(admin_world.unit)
    sign_in(web, "district")
    listed = web.get("/admin/applications?status=submitted&page=3").get_data(as_text=True)
    assert admin_world.unit.full_name in listed and "没有符合条件的申报" not in listed
    assert "第 1/1 页" in listed and "上一页" not in listed
    honours = web.get("/admin/honours?page=7").get_data(as_text=True)
    assert "合格职工之家" in honours.split("<th>授予日期</th>")[1] and "第 1/1 页" in honours


def test_a_year_without_a_campaign_is_named_with_the_years_there_are(web, admin_world):
    sign_in(web, "district")
    for page in ("/admin/?year=2017", "/admin/applications?year=2017", "/admin/exports/applications.xlsx?year=2017"):
        missing = web.get(page)
        html = missing.get_data(as_text=True)
        assert missing.status_code == 404 and "没有2017年度的申报安排，现有年度：2018" in html, page
        assert "load-campaign" not in html


def test_a_first_one_of_many_is_not_shown_as_none():
    assert dashboard.percent_text(1, 200) == "0.5%"
    assert dashboard.percent_text(1, 2000) == "<0.1%"
    assert dashboard.percent_text(199, 200) == "99%"
    assert (dashboard.percent_text(0, 200), dashboard.percent_text(200, 200)) == ("0%", "100%")


def test_an_approved_district_home_is_accepted_only_after_the_districts_passed_inspection_in_its_period(
        web, admin_world, tmp_path):
    sign_in(web, "district")
    make_qualified(admin_world.unit, HonourKind.QUALIFIED_HOME)
    app = drafts.start_or_resume(admin_world.chair, admin_world.unit, admin_world.campaign,
                                 ApplicationKind.DISTRICT_HOME, today=IN_WINDOW)
    app.status, app.version = AppStatus.APPROVED, 1  # approved in April, before the 10–12月 验收
    app.save()
    scope = scope_of(admin_world.district_admin)

    def district_home():
        board = dashboard.build(admin_world.campaign, scope, IN_WINDOW)
        tally = next(r for r in board.kinds if r.spec.kind == ApplicationKind.DISTRICT_HOME).tally
        return tally.approved, tally.accepted

    assert district_home() == (1, 0)
    web_page = web.get("/admin/").get_data(as_text=True)  # 区级先进 carries no funding: nothing to register
    row = web_page.split("区级先进职工之家</a>")[1].split("</tr>")[0]
    assert "待登记金额" not in row
    # A 系统工会's own check, and the district's visit before the 验收 period: on record, deciding nothing.
    admin_actions.record_inspection(app, admin_world.system_admin, None, dt.date(2018, 10, 5), "钱进", "", "passed")
    admin_actions.record_inspection(app, admin_world.district_admin, None, dt.date(2018, 5, 2), "郑红", "", "passed")
    assert district_home() == (1, 0) and selection.candidates(admin_world.campaign, app.kind) == []
    for day, result in ((dt.date(2018, 10, 9), "failed"), (dt.date(2018, 10, 20), "passed")):
        admin_actions.record_inspection(app, admin_world.district_admin, None, day, "郑红", "", result)
        assert district_home() == (1, int(result == "passed"))
    assert [a.id for a in selection.candidates(admin_world.campaign, app.kind)] == [app.id]
    SiteInspection.update(result="failed").where(SiteInspection.inspected_on == dt.date(2018, 10, 20)).execute()
    assert district_home() == (1, 0)  # the latest visit decides
    assert selection.candidates(admin_world.campaign, app.kind) == []  # and only what passed may be selected


def _workbook(rows, title="组织", header=ORG_HEADER):
    """An import workbook with one sheet (by default 组织)."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_reports_row_errors_and_writes_nothing(web, admin_world):
    sign_in(web, "district")
    token = csrf_of(web, "/admin/orgs/import")
    data = _workbook([["房山区新建示例公司工会委员会", "基层工会", admin_world.system.full_name],
                      ["房山区不存在上级的工会", "基层工会", "没有这个系统工会"]])
    html = web.post("/admin/orgs/import", data={"csrf_token": token, "workbook": (io.BytesIO(data), "orgs.xlsx")},
                    content_type="multipart/form-data").get_data(as_text=True)
    assert 'id="import-errors"' in html and "没有这个系统工会" in html
    assert not Org.select().where(Org.full_name == "房山区新建示例公司工会委员会").exists()


def _import(web, data):
    """Upload a workbook through the import page; return the page."""
    token = csrf_of(web, "/admin/orgs/import")
    response = web.post("/admin/orgs/import", data={"csrf_token": token, "workbook": (io.BytesIO(data), "in.xlsx")},
                        content_type="multipart/form-data")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_an_import_brings_its_stations_into_the_nearby_index(web, admin_world, redis_client):
    nearby.rebuild(redis_client)  # the index is there before the import
    sign_in(web, "district")
    row = [admin_world.unit.full_name, "导入暖心驿站", "房山区良乡镇示例路1号", 39.7355, 116.1397, "园区", "是",
           "饮水、热饭", "24小时", "开放"]
    assert 'id="import-errors"' not in _import(web, _workbook([row], "驿站", STATION_HEADER))
    assert [hit.card.name for hit in nearby.nearest(redis_client, 39.7355, 116.1397)] == ["导入暖心驿站"]
    assert_index_matches_database(redis_client)
    _import(web, _workbook([row[:-1] + ["已关闭"]], "驿站", STATION_HEADER))  # the same station, closed
    assert nearby.nearest(redis_client, 39.7355, 116.1397) == []
    assert_index_matches_database(redis_client)


def test_bulk_invites_skip_units_with_a_bound_chair(web, admin_world):
    new_unit = orgs.create_org(admin_world.system, OrgKind.GRASSROOTS, "良乡第二示例公司工会委员会")
    sign_in(web, "system")
    response = post(web, f"/admin/orgs/{admin_world.system.id}/invites", {}, f"/admin/orgs?parent={admin_world.system.id}")
    html = response.get_data(as_text=True)
    codes = InviteCode.select().where(InviteCode.created_by == admin_world.system_admin)
    assert [c.org_id for c in codes] == [new_unit.id] and codes[0].code in html
    assert "已跳过2个已有工会主席绑定的单位" in html  # the unit and its 分会
    binding = web.get(f"/admin/orgs/{admin_world.system.id}/binding?unbound=1").get_data(as_text=True)
    assert new_unit.full_name in binding and admin_world.unit.full_name not in binding
    chair = web.application.test_client()
    sign_in(chair, "chair")
    post(chair, f"/admin/orgs/{admin_world.unit.id}/invites", {}, "/admin/orgs")
    assert "下的1个单位都已有工会主席绑定" in chair.get("/admin/orgs").get_data(as_text=True)
    assert InviteCode.select().where(InviteCode.org == admin_world.branch).count() == 0


def test_a_chair_who_bound_without_a_name_is_shown_as_the_units_registered_chair(web, admin_world):
    """WeChat gives no name: a chair who bound by invite code is the chair the unit registered,
    and is shown so; a nameless staff member stays 未留姓名."""
    unit = orgs.create_org(admin_world.system, OrgKind.GRASSROOTS, "北京星火新材料科技有限公司工会委员会",
                           chair_name="刘志强")
    for openid, role in (("o-nameless-chair", RoleKind.CHAIR), ("o-nameless-staff", RoleKind.STAFF)):
        people.redeem_invite(people.person_for(Channel.OFFICIAL, openid), people.create_invite(unit, role).code)
    sign_in(web, "system")
    html = web.get(f"/admin/orgs/{admin_world.system.id}/binding").get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if unit.full_name in r)
    assert "工会主席 刘志强（单位登记的主席）" in row and "工会工作人员 （未留姓名）" in row


def test_binding_lists_everyone_bound_to_a_unit(web, admin_world):
    second = people.person_for(Channel.OFFICIAL, "o-second-chair")
    second.name = "陈新"
    second.save()
    people.redeem_invite(second, people.create_invite(admin_world.unit).code)  # an explicit single invite
    sign_in(web, "system")
    html = web.get(f"/admin/orgs/{admin_world.system.id}/binding").get_data(as_text=True)
    row = next(r for r in html.split("<tr>") if admin_world.unit.full_name in r)
    assert "工会主席 王建国" in row and "工会主席 陈新" in row and "工会工作人员 李芳" in row


def test_stations_list_update_and_scope(web, admin_world):
    mine = station_for(admin_world.unit)
    theirs = station_for(admin_world.other_unit, name="燕山示例暖心驿站")
    sign_in(web, "system")
    html = web.get("/admin/stations").get_data(as_text=True)
    assert mine.name in html and theirs.name not in html and "<circle" in html
    post(web, f"/admin/stations/{mine.id}", {"status": "active"}, "/admin/stations")
    assert Station.get_by_id(mine.id).status == StationStatus.ACTIVE
    assert post(web, f"/admin/stations/{theirs.id}", {"public": "0"}, "/admin/stations").status_code == 404


def test_status_and_public_changes_keep_the_nearby_index_in_step(web, admin_world, redis_client):
    station = station_for(admin_world.unit)
    sign_in(web, "system")
    steps = [({"status": "active"}, True), ({"public": "0"}, False), ({"public": "1"}, True),
             ({"status": "closed"}, False), ({"status": "active"}, True)]
    for form, listed in steps:
        post(web, f"/admin/stations/{station.id}", form, "/admin/stations")
        assert_index_matches_database(redis_client)
        assert bool(nearby.nearest(redis_client, station.lat, station.lng)) is listed


def test_status_and_public_changes_are_audited_with_who_and_from_what_to_what(web, admin_world):
    new = station_for(admin_world.unit, name="新址驿站", status=StationStatus.ACTIVE)
    station = station_for(admin_world.unit, name="旧址驿站", status=StationStatus.MOVED)
    Station.update(moved_to=new).where(Station.id == station.id).execute()
    sign_in(web, "system")
    for form in ({"status": "active"}, {"status": "active"}, {"public": "0"}):  # the second changes nothing
        post(web, f"/admin/stations/{station.id}", form, "/admin/stations")
    rows = AuditLog.select().where(AuditLog.object_type == "station", AuditLog.object_id == station.id)
    assert [(a.action, a.actor_id, a.detail) for a in rows.order_by(AuditLog.id)] == [
        ("station.change", admin_world.system_admin.id,
         {"status": {"from": "moved", "to": "active"}, "moved_to": {"from": new.id, "to": None}}),
        ("station.change", admin_world.system_admin.id, {"public": {"from": True, "to": False}})]


def test_operations_show_queues_failed_jobs_and_the_ledger(web, admin_world, redis_client):
    job = Queue("default", connection=redis_client).enqueue("workers.no_such_module.job")
    from rq import SimpleWorker
    SimpleWorker(["default"], connection=redis_client).work(burst=True)
    sign_in(web, "district")
    html = web.get("/admin/operations").get_data(as_text=True)
    assert job.id in html
    post(web, "/admin/operations/retry", {"job_id": job.id}, "/admin/operations")
    assert Queue("default", connection=redis_client).count == 1


def test_ledger_names_recipients_and_shows_kinds_and_channels_in_chinese(web, admin_world):
    nameless = people.person_for(Channel.OFFICIAL, "o-bound-chair")  # bound through WeChat, no name given
    people.redeem_invite(nameless, people.create_invite(admin_world.other_unit).code)
    sent = notifications.queue(nameless, "status:test:1", "status_changed", {"text": "审核通过"})
    notifications.queue(admin_world.chair, "honour:test:1", "honour_changed", {"text": "已授予称号"})
    Notice.update(status=NoticeStatus.SENT, channel="customer_service").where(Notice.id == sent.id).execute()
    sign_in(web, "district")
    html = web.get("/admin/operations").get_data(as_text=True)
    ledger = html[html.index('id="ledger"'):]
    assert f"工会主席 · {admin_world.other_unit.full_name}" in ledger and "王建国" in ledger
    assert "审核结果" in ledger and "称号变动" in ledger and "客服消息" in ledger
    assert "status_changed" not in ledger and "customer_service" not in ledger
    assert '<option value="honour_changed" >称号变动</option>' in html
    only = web.get("/admin/operations?kind=honour_changed").get_data(as_text=True)
    assert "已授予称号" in only and "审核通过" not in only


def test_a_joint_union_chair_invites_and_sees_codes_of_its_own_subdivisions_only(web, admin_world):
    # A 基层 union nested under a 联合工会 files on its own: a code for its chair would let the
    # joint union's chair become its chair.
    joint = orgs.create_org(admin_world.system, OrgKind.JOINT, "良乡商业街联合工会委员会")
    nested = orgs.create_org(joint, OrgKind.GRASSROOTS, "良乡商业街某公司工会委员会")
    nested_branch = orgs.create_org(nested, OrgKind.BRANCH, "良乡商业街某公司工会第一分会")
    own = orgs.create_org(joint, OrgKind.GROUP, "良乡商业街联合工会第一小组")
    chair = factories.person("郑联合", joint, RoleKind.CHAIR)
    AdminAccount.create(person=chair, username="joint", password_hash=admin_accounts.hash_password(PASSWORD))
    sign_in(web, "joint")
    post(web, f"/admin/orgs/{joint.id}/invites", {}, "/admin/orgs")
    assert [c.org_id for c in InviteCode.select().where(InviteCode.created_by == chair)] == [own.id]
    binding = web.get(f"/admin/orgs/{joint.id}/binding").get_data(as_text=True)
    assert own.full_name in binding and nested.full_name not in binding and nested_branch.full_name not in binding
    assert web.get(f"/admin/orgs/{nested.id}/binding").status_code == 403
    # An admin over the system still invites every unit below the joint union.
    system = web.application.test_client()
    sign_in(system, "system")
    post(system, f"/admin/orgs/{joint.id}/invites", {}, "/admin/orgs")
    invited = {c.org_id for c in InviteCode.select().where(InviteCode.created_by == admin_world.system_admin)}
    assert invited == {nested.id, nested_branch.id, own.id}


def _role_of(person, org):
    return Role.get(Role.person == person, Role.org == org)


def test_an_admin_removes_a_former_chair_from_the_binding_page(web, admin_world):
    second = people.person_for(Channel.OFFICIAL, "o-second-chair")
    second.name = "陈新"
    second.save()
    people.redeem_invite(second, people.create_invite(admin_world.unit).code)  # the newly elected chair
    page = f"/admin/orgs/{admin_world.system.id}/binding"
    old = _role_of(admin_world.chair, admin_world.unit)
    sign_in(web, "system")
    html = web.get(page).get_data(as_text=True)
    assert f"/roles/{old.id}/remove" in html and "确定解除王建国的工会主席绑定" in html
    removed = post(web, f"/admin/orgs/{admin_world.system.id}/roles/{old.id}/remove", {}, page)
    assert removed.status_code == 302 and removed.location.endswith(page)
    html = web.get(page).get_data(as_text=True)
    assert "已解除王建国的工会主席绑定（北京良乡示例科技有限公司工会委员会）" in html and "没有已绑定的工会主席" not in html
    row = next(r for r in html.split("<tr>") if r.startswith(f"<td>{admin_world.unit.full_name}"))
    assert "王建国" not in row.split("</td>")[3] and "工会主席 陈新" in row
    audit = AuditLog.get(AuditLog.action == "role.remove")
    assert (audit.actor_id, audit.object_id, audit.detail["name"]) == (admin_world.system_admin.id, admin_world.unit.id, "王建国")
    last = _role_of(second, admin_world.unit)
    post(web, f"/admin/orgs/{admin_world.system.id}/roles/{last.id}/remove", {}, page)
    assert "现在没有已绑定的工会主席" in web.get(page).get_data(as_text=True)
    assert not can_submit(second, admin_world.unit)


def test_only_admins_over_the_org_remove_bindings_and_only_with_the_form_token(web, admin_world):
    branch_chair = _role_of(admin_world.branch_chair, admin_world.branch)
    other = web.application.test_client()
    sign_in(other, "other_system")
    assert post(other, f"/admin/orgs/{admin_world.system.id}/roles/{branch_chair.id}/remove", {}).status_code in (403, 404)
    chair = web.application.test_client()
    sign_in(chair, "chair")  # the chair of the unit above the 分会: another union's chair is not theirs to remove
    html = chair.get(f"/admin/orgs/{admin_world.unit.id}/binding").get_data(as_text=True)
    assert "赵强" in html and f"/roles/{branch_chair.id}/remove" not in html
    refused = post(chair, f"/admin/orgs/{admin_world.unit.id}/roles/{branch_chair.id}/remove", {})
    assert refused.status_code == 302  # a refused form goes back with the reason, as every admin form does
    assert "只有上级工会管理员可以解除工会主席的绑定" in chair.get(refused.location, follow_redirects=True).get_data(as_text=True)
    sign_in(web, "system")
    no_token = web.post(f"/admin/orgs/{admin_world.system.id}/roles/{branch_chair.id}/remove", data={})
    assert no_token.status_code == 400
    assert Role.get_or_none(Role.id == branch_chair.id) is not None and AuditLog.select().count() == 0


def test_a_chair_removes_their_own_staff_member_but_not_a_fellow_chair(web, admin_world):
    fellow = people.grant_role(factories.person("陈新"), admin_world.unit, RoleKind.CHAIR)
    staff = _role_of(admin_world.staff, admin_world.unit)
    page = f"/admin/orgs/{admin_world.unit.id}/binding"
    sign_in(web, "chair")
    html = web.get(page).get_data(as_text=True)
    own = html[html.index('id="own-people"'):]
    assert "工会工作人员 李芳" in own and f"/roles/{staff.id}/remove" in own and f"/roles/{fellow.id}/remove" not in own
    post(web, f"/admin/orgs/{admin_world.unit.id}/roles/{staff.id}/remove", {}, page)
    assert "已解除李芳的工会工作人员绑定" in web.get(page).get_data(as_text=True)
    assert Role.get_or_none(Role.id == staff.id) is None


def test_removing_a_chair_offers_to_revoke_the_units_unused_chair_codes(web, admin_world):
    given = people.create_invite(admin_world.unit)  # the former chair may hold this one
    page = f"/admin/orgs/{admin_world.system.id}/binding"
    old = _role_of(admin_world.chair, admin_world.unit)
    sign_in(web, "system")
    html = web.get(page).get_data(as_text=True)
    form = html[html.index(f"/roles/{old.id}/remove"):]
    form = form[:form.index("</form>")]
    assert 'name="revoke_codes" value="1" checked' in form and given.code in form
    post(web, f"/admin/orgs/{admin_world.system.id}/roles/{old.id}/remove", {"revoke_codes": "1"}, page)
    html = web.get(page).get_data(as_text=True)
    assert f"已作废该单位未使用的工会主席邀请码：{given.code}" in html
    row = next(r for r in html.split("<tr>") if r.startswith(f"<td>{admin_world.unit.full_name}"))
    assert given.code not in row  # no longer listed as unused
    assert InviteCode.get_by_id(given.id).revoked_at is not None
    assert AuditLog.get(AuditLog.action == "role.remove").detail["revoked_codes"] == [given.code]


def _flashed(web):
    """The stations page after a form, with what the form's answer flashed."""
    return web.get("/admin/stations").get_data(as_text=True)


def test_an_admin_records_a_station_move_to_an_open_station_of_its_org_and_can_undo_it(
        web, admin_world, redis_client):
    old = station_for(admin_world.unit, name="旧址驿站", status=StationStatus.ACTIVE)
    new = station_for(admin_world.unit, name="新址驿站", status=StationStatus.ACTIVE, lat=39.7400)
    closed = station_for(admin_world.unit, name="已关闭驿站", status=StationStatus.CLOSED)
    elsewhere = station_for(admin_world.branch, name="分会驿站", status=StationStatus.ACTIVE)
    sign_in(web, "system")
    row = next(r for r in _flashed(web).split("<tr>") if "旧址驿站</td>" in r)
    assert "登记迁址" in row and f'<option value="{new.id}">新址驿站</option>' in row
    assert "已关闭驿站" not in row and "分会驿站" not in row and f'<option value="{old.id}">' not in row
    move = f"/admin/stations/{old.id}/move"
    for site, refusal in ((closed, "“已关闭驿站”目前已关闭，不能作为新址"), (old, "“旧址驿站”不能迁至它自己"),
                          (elsewhere, f"新址应是{admin_world.unit.full_name}的驿站"), (None, "请选择迁入的新址驿站")):
        post(web, move, {"moved_to": site.id if site else ""}, "/admin/stations")
        assert refusal in _flashed(web)
        assert Station.get_by_id(old.id).status == StationStatus.ACTIVE
    post(web, move, {"moved_to": new.id}, "/admin/stations")
    assert "已登记“旧址驿站”迁至“新址驿站”" in _flashed(web)
    moved = Station.get_by_id(old.id)
    assert (moved.status, moved.moved_to_id) == (StationStatus.MOVED, new.id)
    assert stations.open_new_site(moved).id == new.id  # what chat and the page follow
    assert_index_matches_database(redis_client)
    audit = AuditLog.get(AuditLog.object_type == "station", AuditLog.object_id == old.id)
    assert (audit.action, audit.actor_id, audit.detail) == (
        "station.move", admin_world.system_admin.id, {"moved_to": new.id, "previous_status": "active",
                                                      "previous_moved_to": None})
    assert "已迁至“新址驿站”" in next(r for r in _flashed(web).split("<tr>") if "旧址驿站</td>" in r)
    # The new site cannot now be sent back to the old one, which is no open station any more.
    post(web, f"/admin/stations/{new.id}/move", {"moved_to": old.id}, "/admin/stations")
    assert "“旧址驿站”目前已迁址，不能作为新址" in _flashed(web)

    post(web, f"/admin/stations/{old.id}/move/undo", {}, "/admin/stations")
    assert "已撤销“旧址驿站”的迁址，驿站恢复为“开放”" in _flashed(web)
    restored = Station.get_by_id(old.id)
    assert (restored.status, restored.moved_to_id) == (StationStatus.ACTIVE, None)
    assert nearby.nearest(redis_client, old.lat, old.lng, count=5)[0].card.id == old.id
    assert [a.action for a in AuditLog.select().where(AuditLog.object_type == "station").order_by(AuditLog.id)] == [
        "station.move", "station.move_undone"]
    post(web, f"/admin/stations/{old.id}/move/undo", {}, "/admin/stations")
    assert "“旧址驿站”没有登记迁址" in _flashed(web)


def test_a_move_that_would_close_a_cycle_is_refused_and_one_outside_the_scope_is_404(web, admin_world):
    first = station_for(admin_world.unit, name="甲驿站", status=StationStatus.ACTIVE)
    second = station_for(admin_world.unit, name="乙驿站", status=StationStatus.ACTIVE)
    # A move recorded before a status was set back by hand, kept from older data.
    Station.update(moved_to=first).where(Station.id == second.id).execute()
    sign_in(web, "system")
    post(web, f"/admin/stations/{first.id}/move", {"moved_to": second.id}, "/admin/stations")
    assert "“乙驿站”已登记迁往“甲驿站”，两者不能互为新址" in _flashed(web)
    assert Station.get_by_id(first.id).status == StationStatus.ACTIVE
    theirs = station_for(admin_world.other_unit, name="燕山驿站", status=StationStatus.ACTIVE)
    assert post(web, f"/admin/stations/{theirs.id}/move", {"moved_to": theirs.id}, "/admin/stations").status_code == 404


def test_a_moved_station_closed_by_hand_keeps_no_new_site(web, admin_world):
    new = station_for(admin_world.unit, name="新址驿站", status=StationStatus.ACTIVE)
    old = station_for(admin_world.unit, name="旧址驿站", status=StationStatus.MOVED)
    Station.update(moved_to=new).where(Station.id == old.id).execute()
    sign_in(web, "system")
    post(web, f"/admin/stations/{old.id}", {"status": "closed"}, "/admin/stations")
    assert Station.get_by_id(old.id).moved_to_id is None  # a closed station sends nobody to a new site


def test_the_funding_total_stands_under_the_funding_column(web, admin_world, tmp_path):
    """合计 sits in the 已拨资金 column, not in a column of its own past the table's edge."""
    approved = submitted(admin_world, tmp_path)
    review.decide(approved, admin_world.system_admin, "approve", "同意")
    review.decide(Application.get_by_id(approved.id), admin_world.district_admin, "approve", "同意")
    admin_actions.set_funding(Application.get_by_id(approved.id), admin_world.district_admin, 100_000)
    for who in ("district", "system"):
        sign_in(web, who)
        table = web.get("/admin/").get_data(as_text=True).split('id="targets"')[1].split("</table>")[0]
        header, *_, total = table.split("<tr>")[1:]
        widths = [sum(int(n or 1) for n in re.findall(r'<t[hd](?: colspan="(\d+)")?[^>]*>', row))
                  for row in (header, total)]
        assert widths[0] == widths[1], who
        assert re.sub(r"<[^>]+>", "", re.findall(r"<td[^>]*>(.*?)</td>", total, re.S)[-1]) == "100,000元"


def test_coverage_is_not_shown_complete_while_one_new_union_has_no_home(web, admin_world):
    """199 of 200 new unions have a 职工之家: 99%, not a rounded 100%, on the page and in the summary."""
    world = admin_world
    facts = dict(employee_count=150, founded_on=dt.date(2017, 6, 1))
    for n in range(197):
        make_qualified(orgs.create_org(world.system, OrgKind.GRASSROOTS, f"良乡示例新建会企业{n}工会委员会", **facts))
    make_qualified(world.unit)
    make_qualified(world.other_unit)
    sign_in(web, "district")
    html = web.get("/admin/").get_data(as_text=True)
    assert "百人以上新建会企业 200 家，已建家 199 家（99%，目标100%）" in html
    sheet = load_workbook(io.BytesIO(web.get("/admin/exports/summary.xlsx").data))["新建会单位建家"]
    assert list(sheet.iter_rows(values_only=True))[1] == (200, 199, 0.99, 1)


def _approved_new_union_home_title(world, tmp_path):
    """A 百人以上新建会 home approved by the 系统工会 and the 区总工会, and the title it won."""
    approved = submitted(world, tmp_path, kind=ApplicationKind.NEW_UNION_HOME)
    review.decide(approved, world.system_admin, "approve", "同意")
    review.decide(Application.get_by_id(approved.id), world.district_admin, "approve", "同意")
    return eligibility.award(world.unit, HonourKind.NEW_UNION_HOME, 2018, dt.date(2018, 12, 1),
                             Application.get_by_id(approved.id))


def test_a_new_union_whose_home_title_was_revoked_is_no_longer_counted_as_having_a_home(admin_world, tmp_path):
    """区总工会 revokes a title after 复查 found serious problems: its approval no longer covers the unit."""
    world = admin_world
    title = _approved_new_union_home_title(world, tmp_path)
    scope = scope_of(world.district_admin)
    assert dashboard.build(world.campaign, scope, local_today()).coverage.covered == 1
    eligibility.revoke(title, world.district_admin, "复查发现职工之家已停用")
    assert dashboard.build(world.campaign, scope, local_today()).coverage.covered == 0


def test_an_approval_whose_title_was_revoked_is_no_longer_counted_as_accepted_but_as_revoked(
        web, admin_world, tmp_path):
    """验收合格 on the dashboard, per 系统工会, in the 上报市总 summary and on the 评选 list counts titles
    still held: one the 区总工会 revoked (复查发现严重问题) is counted apart, as 已撤销."""
    world = admin_world
    title = _approved_new_union_home_title(world, tmp_path)
    scope = scope_of(world.district_admin)

    def figures():
        board = dashboard.build(world.campaign, scope, local_today())
        row = next(r for r in board.kinds if r.spec.kind == ApplicationKind.NEW_UNION_HOME)
        per_system = board.by_system[(ApplicationKind.NEW_UNION_HOME, world.system.id)]
        candidates = selection.candidates(world.campaign, ApplicationKind.NEW_UNION_HOME)
        return row.tally.approved, row.tally.accepted, row.tally.revoked, row.percent_text, per_system.accepted, \
            len(candidates)

    assert figures() == (1, 1, 0, "3%", 1, 1)
    eligibility.revoke(title, world.district_admin, "复查发现职工之家已停用")
    assert figures() == (1, 0, 1, "0%", 0, 0)
    sign_in(web, "district")
    html = web.get("/admin/").get_data(as_text=True)
    header = re.findall(r"<th[^>]*>(.*?)</th>", html.split('id="targets"')[1].split("</tr>")[0])
    row = dict(zip(header, _cell(html, "targets", "百人以上新建会企业职工之家")))
    assert (row["已通过审核"], row["验收合格"], row["已撤销"]) == ("1", "0", "1")
    assert _cell(html, "systems", world.system.full_name)[2].endswith("/ 1 / 0")
    book = load_workbook(io.BytesIO(web.get("/admin/exports/summary.xlsx").data))
    rows = list(book["目标完成情况"].iter_rows(values_only=True))
    kind = dict(zip(rows[0], next(r for r in rows if r[0] == "百人以上新建会企业职工之家")))
    assert (kind["已通过审核"], kind["验收合格"], kind["已撤销"]) == (1, 0, 1)
    systems = list(book["各系统工会"].iter_rows(values_only=True))
    line = dict(zip(systems[0], next(r for r in systems if r[0] == world.system.full_name)))
    assert line["百人以上新建会企业职工之家验收合格"] == 0
    listing = web.get("/admin/selections").get_data(as_text=True)
    assert re.sub(r"<[^>]+>", "|", listing.split("百人以上新建会企业职工之家")[1].split("</tr>")[0]) == "|||27||0||0||未开始|"


def test_ledger_filters_by_errcode_a_refused_notice_as_well_as_a_failed_one(web, admin_world):
    refused = notifications.queue(admin_world.chair, "status:test:refused", "status_changed", {"text": "退回整改"})
    failed = notifications.queue(admin_world.chair, "status:test:busy", "status_changed", {"text": "审核通过"})
    Notice.update(status=NoticeStatus.SKIPPED, errcode=43101, detail="没有可用渠道：订阅消息被拒").where(
        Notice.id == refused.id).execute()
    Notice.update(status=NoticeStatus.FAILED, errcode=-1, detail="微信系统繁忙").where(Notice.id == failed.id).execute()
    sign_in(web, "district")
    only = web.get("/admin/operations?errcode=43101").get_data(as_text=True)
    ledger = only[only.index('id="ledger"'):]
    assert "退回整改" in ledger and "审核通过" not in ledger
    assert 'name="errcode" value="43101"' in only
    busy = web.get("/admin/operations?errcode=-1").get_data(as_text=True)
    assert "审核通过" in busy[busy.index('id="ledger"'):] and "退回整改" not in busy[busy.index('id="ledger"'):]
    wrong = web.get("/admin/operations?errcode=用户拒收")
    assert wrong.status_code == 400 and "错误码应为数字" in wrong.get_data(as_text=True)


def test_a_declared_qualified_title_is_a_to_do_on_the_dashboard_of_the_admins_over_the_unit(web, admin_world):
    world = admin_world
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                           minutes=[minutes_scan()], today=IN_WINDOW)
    sign_in(web, "system")
    page = web.get("/admin/").get_data(as_text=True)
    assert 'id="declarations-waiting"' in page and "合格称号申报1条，待确认" in page
    assert "/admin/honours?status=declared" in page
    listed = web.get("/admin/honours?status=declared").get_data(as_text=True)
    assert world.unit.full_name in listed and f"/admin/honours/{honour.id}" in listed
    other = web.application.test_client()
    sign_in(other, "other_system")
    assert 'id="declarations-waiting"' not in other.get("/admin/").get_data(as_text=True)
    post(web, f"/admin/honours/{honour.id}", {"action": "verify"})
    assert 'id="declarations-waiting"' not in web.get("/admin/").get_data(as_text=True)
