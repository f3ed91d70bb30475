"""Each admin sees and acts on their own subtree only, by URL and by form; a 基层 chair reads its
own union's applications and decides only its 小家."""
import datetime as dt

from miniapp_backend.clock import local_today
from miniapp_backend.models import AppStatus, Application, Notice, OrgKind, RoleKind, SiteInspection, StepStatus
from miniapp_backend.services import admin_accounts, orgs, review
from tests.admin.helpers import PASSWORD, post, sign_in, small_home_in_review, submitted
from tests.factories import person
from workers.queues import queue


def _listed(web, query=""):
    """The application ids linked from the list page."""
    html = web.get(f"/admin/applications{query}").get_data(as_text=True)
    return {int(part.split('"')[0]) for part in html.split('href="/admin/applications/')[1:]}


def test_system_admin_sees_only_its_subtree(web, admin_world, tmp_path):
    mine = submitted(admin_world, tmp_path)
    theirs = submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)
    sign_in(web, "system")
    assert _listed(web) == {mine.id}
    assert _listed(web, f"?system={admin_world.other_system.id}") == set()
    assert web.get(f"/admin/applications/{theirs.id}").status_code == 404
    assert web.get(f"/admin/orgs/{admin_world.other_unit.id}/archive").status_code == 404
    assert web.get(f"/admin/orgs?parent={admin_world.other_system.id}").status_code == 404
    html = web.get("/admin/").get_data(as_text=True)
    assert admin_world.other_system.full_name not in html and admin_world.system.full_name in html


def test_a_photo_reused_by_another_systems_unit_is_flagged_without_naming_it(web, admin_world, tmp_path):
    mine = submitted(admin_world, tmp_path)
    submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)  # the same photo
    sign_in(web, "system")
    html = web.get(f"/admin/applications/{mine.id}").get_data(as_text=True)
    assert "同一照片也用于其他单位的申报" in html and "管理范围以外的单位" in html
    assert admin_world.other_unit.full_name not in html
    sign_in(web, "district")
    assert admin_world.other_unit.full_name in web.get(f"/admin/applications/{mine.id}").get_data(as_text=True)


def test_system_admin_cannot_act_on_another_subtree_by_form(web, admin_world, tmp_path):
    theirs = submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)
    step = review.current_step(theirs)
    sign_in(web, "system")
    for path, data in ((f"/admin/applications/{theirs.id}/decide", {"decision": "approve", "step": step.id}),
                       (f"/admin/applications/{theirs.id}/paper", {"received": "1"}),
                       (f"/admin/applications/{theirs.id}/inspections",
                        {"inspected_on": "2018-10-10", "inspectors": "x", "result": "passed"}),
                       (f"/admin/orgs/{admin_world.other_system.id}/invites", {})):
        assert post(web, path, data).status_code == 404, path
    theirs = Application.get_by_id(theirs.id)
    assert theirs.status == AppStatus.SUBMITTED and theirs.paper_received_at is None
    assert review.current_step(theirs).status == StepStatus.PENDING


def test_system_admin_cannot_decide_the_district_step(web, admin_world, tmp_path):
    mine = submitted(admin_world, tmp_path)
    review.decide(mine, admin_world.system_admin, "approve", "同意")
    step = review.current_step(mine)
    sign_in(web, "system")
    page = web.get(f"/admin/applications/{mine.id}").get_data(as_text=True)
    assert 'id="review"' not in page
    response = post(web, f"/admin/applications/{mine.id}/decide", {"decision": "approve", "step": step.id},
                    f"/admin/applications/{mine.id}")
    assert response.status_code == 302
    assert review.current_step(Application.get_by_id(mine.id)).level == "district"
    assert "不是这一审核环节的审核人" in web.get(f"/admin/applications/{mine.id}").get_data(as_text=True)


def test_base_chair_sees_and_decides_only_its_own_small_homes(web, admin_world, tmp_path, redis_client):
    small = small_home_in_review(admin_world)
    unit_app = submitted(admin_world, tmp_path)
    sign_in(web, "chair")
    assert web.get("/admin/").headers["Location"].endswith("/admin/applications")
    assert _listed(web) == {small.id, unit_app.id}
    assert _listed(web, "?mine=1") == {small.id}
    for page in ("/admin/honours", "/admin/stations", "/admin/selections", "/admin/operations"):
        assert web.get(page).status_code == 403, page
    step = review.current_step(small)
    assert step.level == "base_union"
    post(web, f"/admin/applications/{small.id}/decide", {"decision": "approve", "step": step.id, "opinion": "同意"},
         f"/admin/applications/{small.id}")
    assert review.steps_of(Application.get_by_id(small.id))[0].status == StepStatus.APPROVED
    told = list(Notice.select().where(Notice.kind == "status_changed"))
    assert told
    # Each notice the decision queued is on its way to the unit.
    on_the_way = {job_id for job_id in queue(redis_client).job_ids if job_id.startswith("notice-")}
    assert on_the_way == {f"notice-{notice.id}" for notice in told}


def test_a_chair_reads_its_own_unions_applications_and_their_feedback_but_acts_on_none(web, admin_world,
                                                                                       tmp_path):
    mine = submitted(admin_world, tmp_path)
    theirs = submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair,
                       photo=b"\x89PNG\r\n\x1a\n" + b"2" * 64)
    page = f"/admin/applications/{mine.id}"
    sign_in(web, "chair")
    assert _listed(web) == {mine.id}
    html = web.get(page).get_data(as_text=True)
    assert admin_world.unit.full_name in html and "当前环节：" + admin_world.system.full_name in html
    assert all(f'id="{form}"' not in html for form in ("review", "paper", "inspection"))
    assert web.get(f"/admin/files/{mine.evidence.get().file.sha256}").status_code == 200
    assert web.get(f"/admin/applications/{theirs.id}").status_code == 404
    assert web.get(f"/admin/files/{theirs.evidence.get().file.sha256}").status_code == 404
    assert post(web, f"/admin/applications/{theirs.id}/decide",
                {"decision": "approve", "step": review.current_step(theirs).id}).status_code == 404
    step = review.current_step(mine)
    for path, data in (("decide", {"decision": "approve", "step": step.id, "opinion": "同意"}),
                       ("inspections", {"inspected_on": "2018-05-01", "inspectors": "x", "result": "passed"}),
                       ("funding", {"funding_yuan": "1000"})):
        assert post(web, f"{page}/{path}", data, page).status_code == 302, path  # refused, said on the page
    assert post(web, f"{page}/paper", {"received": "1"}, page).status_code == 403
    mine = Application.get_by_id(mine.id)
    assert review.current_step(mine).status == StepStatus.PENDING and mine.status == AppStatus.SUBMITTED
    assert mine.paper_received_at is None and mine.funding_yuan is None and not SiteInspection.select().exists()
    review.decide(mine, admin_world.system_admin, "return", "请补充会员活动照片",
                  {"model_home_checklist:item.5": "照片看不清"}, local_today() + dt.timedelta(days=10))
    html = web.get(page).get_data(as_text=True)
    assert "退回整改" in html and "请补充会员活动照片" in html and "照片看不清" in html


def test_files_are_served_only_within_reach(web, admin_world, tmp_path):
    theirs = submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair,
                       photo=b"\x89PNG\r\n\x1a\n" + b"1" * 64)
    sha = theirs.evidence.get().file.sha256
    sign_in(web, "system")
    assert web.get(f"/admin/files/{sha}").status_code == 404
    other = web.application.test_client()
    sign_in(other, "other_system")
    response = other.get(f"/admin/files/{sha}")
    assert response.status_code == 200 and response.data.startswith(b"\x89PNG")


def test_only_the_district_marks_the_paper_copy_received(web, admin_world, tmp_path):
    mine = submitted(admin_world, tmp_path)
    page = f"/admin/applications/{mine.id}"
    sign_in(web, "system")
    assert 'id="paper"' not in web.get(page).get_data(as_text=True)
    assert post(web, f"{page}/paper", {"received": "1"}, page).status_code == 403
    assert Application.get_by_id(mine.id).paper_received_at is None
    district = web.application.test_client()
    sign_in(district, "district")
    assert 'id="paper"' in district.get(page).get_data(as_text=True)
    post(district, f"{page}/paper", {"received": "1"}, page)
    assert Application.get_by_id(mine.id).paper_received_at is not None


def test_a_joint_union_chair_does_not_read_the_records_of_the_unions_below_it(web, admin_world, tmp_path):
    joint = orgs.create_org(admin_world.system, OrgKind.JOINT, "良乡示例商务楼宇联合工会委员会")
    member = orgs.create_org(joint, OrgKind.GRASSROOTS, "北京良乡示例餐饮有限公司工会", employee_count=150,
                             member_count=140, chair_name="陈晨", phone="010-69312346", founded_on=dt.date(2017, 6, 1), nature="企业")
    joint_chair = person("冯磊", joint, RoleKind.CHAIR)
    theirs = submitted(admin_world, tmp_path, member, person("陈晨", member, RoleKind.CHAIR))
    admin_accounts.create_account(joint_chair, "joint", PASSWORD)
    sign_in(web, "joint")
    assert web.get(f"/admin/orgs/{joint.id}/archive").status_code == 200
    # The member union files on its own: its applications are not the joint chair's to read,
    # neither in the list nor in the unit's 建家档案 (status, 满意率, reports).
    assert web.get(f"/admin/applications/{theirs.id}").status_code == 404
    assert web.get(f"/admin/orgs/{member.id}/archive").status_code == 404
    assert "建家档案" not in web.get(f"/admin/orgs?parent={member.id}").get_data(as_text=True)
    branch_chair = web.application.test_client()
    sign_in(branch_chair, "chair")  # a 基层 chair still reads its own 分会's archive
    assert branch_chair.get(f"/admin/orgs/{admin_world.branch.id}/archive").status_code == 200


def test_admins_above_do_not_decide_the_base_unions_own_step_of_a_small_home(web, admin_world):
    small = small_home_in_review(admin_world)
    step = review.current_step(small)
    page = f"/admin/applications/{small.id}"
    for who in ("system", "district"):
        admin = web.application.test_client()
        sign_in(admin, who)
        html = admin.get(page).get_data(as_text=True)
        assert 'id="review"' not in html and 'id="decide"' not in html, who
        post(admin, f"{page}/decide", {"decision": "approve", "step": step.id, "opinion": "同意"}, page)
        refused = admin.get(page).get_data(as_text=True)
        assert f"“基层工会委员会意见”由{admin_world.unit.full_name}的工会主席审核" in refused, who
    assert review.current_step(Application.get_by_id(small.id)).id == step.id  # still the chair's to decide
