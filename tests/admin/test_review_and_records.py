"""Review through the web (digital opinions, notices queued for delivery), records, selection, exports."""
import datetime as dt
import io
import re
from urllib.parse import quote

from openpyxl import load_workbook
from rq import SimpleWorker
from rq.job import Job

from miniapp_backend.clock import local_today, to_local
from miniapp_backend.models import (
    AdminAccount, ApplicationKind, AppStatus, Application, AuditLog, Honour, HonourKind, HonourStatus, Notice,
    Reinspection, ReviewStep, Station, StationStatus, StepStatus)
from miniapp_backend.models.admin_records import InspectionPhoto, Selection, SelectionEntry, SiteInspection
from miniapp_backend.services import drafts, eligibility, review, selection as selection_service
from tests.admin.helpers import csrf_of, post, sign_in, small_home_in_review, submitted
from tests.factories import IN_WINDOW, make_qualified, station_for
from tests.packets.builders import photo
from tests.test_downloads import plain_filename
from tests.workers.job_env import job_env  # noqa: F401 (fixture)
from workers import context
from workers.packets import enqueue_packet
from workers.queues import enqueue_once, queue


def test_a_draft_never_submitted_has_no_version_yet(web, admin_world, tmp_path):
    draft = drafts.start_or_resume(admin_world.chair, admin_world.unit, admin_world.campaign,
                                   ApplicationKind.MODEL_HOME, today=IN_WINDOW)
    submitted_one = submitted(admin_world, tmp_path, org=admin_world.other_unit, chair=admin_world.other_chair)
    sign_in(web, "district")
    text = web.get(f"/admin/applications/{draft.id}").get_data(as_text=True)
    assert "尚未提交" in text and "第0版" not in text
    assert "上半年 · 第1版 · " in web.get(f"/admin/applications/{submitted_one.id}").get_data(as_text=True)


def test_return_with_remarks_then_approve_at_the_next_level(web, admin_world, tmp_path, redis_client):
    app = submitted(admin_world, tmp_path)
    sign_in(web, "system")
    step = review.current_step(app)
    page = f"/admin/applications/{app.id}"
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    post(web, f"{page}/decide", {"decision": "return", "step": step.id, "opinion": "请补充照片",
                                 "remark:model_home_checklist:item.5": "照片看不清", "rectify_deadline": deadline}, page)
    app = Application.get_by_id(app.id)
    assert app.status == AppStatus.RETURNED
    returned = ReviewStep.get_by_id(step.id)
    assert returned.reviewer_id == admin_world.system_admin.id and returned.remarks == {
        "model_home_checklist:item.5": "照片看不清"}
    notices = list(Notice.select().where(Notice.key.startswith(f"status:{app.id}:")))
    assert len(notices) == 2  # the chair and the staff member
    assert all(Job.exists(f"notice-{n.id}", connection=redis_client) for n in notices)
    assert AuditLog.select().where(AuditLog.action == "review.return").count() == 1
    assert "照片看不清" in web.get(page).get_data(as_text=True)


def test_a_refused_review_comes_back_with_everything_still_filled_in(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    step = review.current_step(app)
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    form = {"decision": "return", "step": step.id, "opinion": "请补充会员活动照片",
            "remark:model_home_checklist:item.5": "照片看不清", "rectify_deadline": ""}
    response = post(web, f"{page}/decide", form, page)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "退回整改须设定明天或以后的整改截止日期" in html
    assert ">请补充会员活动照片</textarea>" in html and 'value="照片看不清"' in html
    assert '<option value="return" selected>' in html
    response = post(web, f"{page}/decide", {**form, "rectify_deadline": "2000-01-01"}, page)
    assert 'value="2000-01-01"' in response.get_data(as_text=True)
    assert review.current_step(Application.get_by_id(app.id)).status == StepStatus.PENDING


def test_remarks_on_rows_the_page_does_not_offer_are_refused(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    step = review.current_step(app)
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    response = post(web, f"{page}/decide", {"decision": "approve", "step": step.id, "opinion": "同意",
                                            "remark:bogus.key": "xx"}, page)
    assert response.status_code == 400 and "逐项意见只能填写在本申报各表的栏目和各项上" in response.get_data(as_text=True)
    assert ReviewStep.get_by_id(step.id).status == StepStatus.PENDING
    assert not Notice.select().where(Notice.key.startswith(f"status:{app.id}:")).exists()


def test_an_approved_warm_station_is_found_nearby_at_once(web, admin_world, tmp_path):
    station = station_for(admin_world.unit)
    app = submitted(admin_world, tmp_path, kind=ApplicationKind.WARM_STATION, station=station)
    nearby = f"/api/v1/stations/nearby?lat={station.lat}&lng={station.lng}"
    assert web.get(nearby).get_json()["stations"] == []  # 建设中: not shown to workers yet
    page = f"/admin/applications/{app.id}"
    for account in ("system", "district"):
        sign_in(web, account)
        post(web, f"{page}/decide", {"decision": "approve", "step": review.current_step(app).id,
                                     "opinion": "验收合格"}, page)
    assert Station.get_by_id(station.id).status == StationStatus.ACTIVE
    assert [s["id"] for s in web.get(nearby).get_json()["stations"]] == [station.id]


def test_packet_downloads_of_a_unit_s_stations_are_named_after_each_station(
        web, admin_world, tmp_path, admin_config, job_env, monkeypatch, redis_client):
    monkeypatch.setenv("STORAGE_DIR", str(admin_config.storage_dir))  # the jobs write where the web reads
    context._cached.clear()
    apps = [submitted(admin_world, tmp_path, kind=ApplicationKind.WARM_STATION, photo=photo(1),
                      station=station_for(admin_world.unit, name=name)) for name in ("拱辰大街驿站", "西潞大街驿站")]
    for app in apps:
        enqueue_packet(redis_client, app)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    sign_in(web, "system")
    for app, name in zip(apps, ("拱辰大街驿站", "西潞大街驿站")):
        response = web.get(f"/admin/applications/{app.id}/packet.pdf")
        expected = f"{admin_world.unit.full_name}_2018年职工暖心驿站·{name}申报材料_第1版.pdf"
        assert response.status_code == 200 and quote(expected) in response.headers["Content-Disposition"]
        assert plain_filename(response.headers["Content-Disposition"]) == f"packet-{app.id}-v1.pdf"


def test_a_packet_of_an_older_layout_downloads_with_a_note_and_is_compiled_again(
        web, admin_world, tmp_path, admin_config, job_env, monkeypatch, redis_client):
    from workers import packets as packet_jobs
    monkeypatch.setenv("STORAGE_DIR", str(admin_config.storage_dir))  # the jobs write where the web reads
    context._cached.clear()
    app = submitted(admin_world, tmp_path, photo=photo(1))
    enqueue_packet(redis_client, app)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    sign_in(web, "system")
    url, page = f"/admin/applications/{app.id}/packet.pdf", f"/admin/applications/{app.id}"
    old = web.get(url).data
    monkeypatch.setattr(packet_jobs, "PACKET_LAYOUT", packet_jobs.PACKET_LAYOUT + 1)
    served = web.get(url)
    assert served.status_code == 200 and served.data == old  # the current file, while the new one is made
    assert "材料包的版式已更新：这次下载的第1版仍是旧版式" in web.get(page).get_data(as_text=True)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert packet_jobs.latest_packet(app).layout == packet_jobs.PACKET_LAYOUT  # served from now on
    assert web.get(url).status_code == 200 and "版式已更新" not in web.get(page).get_data(as_text=True)


def test_stale_page_cannot_decide_twice(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    step = review.current_step(app)
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    post(web, f"{page}/decide", {"decision": "approve", "step": step.id}, page)
    notices = Notice.select().count()
    # A double click: the second sending is what the browser shows; it says the decision was made.
    again = post(web, f"{page}/decide", {"decision": "approve", "step": step.id}, page)
    assert again.status_code == 302 and "已审核通过" in web.get(again.location).get_data(as_text=True)
    assert Notice.select().count() == notices
    assert AuditLog.select().where(AuditLog.action == "review.approve").count() == 1
    # Another decision from the page as it was is refused.
    other = post(web, f"{page}/decide", {"decision": "reject", "opinion": "不符合", "step": step.id}, page)
    assert other.status_code == 400 and "已被他人处理" in other.get_data(as_text=True)
    assert [s.status for s in review.steps_of(app)] == [StepStatus.APPROVED, StepStatus.PENDING]


def test_paper_mark_inspection_and_funding(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    review.decide(app, admin_world.system_admin, "approve", "同意")
    review.decide(app, admin_world.district_admin, "approve", "验收合格")
    sign_in(web, "district")
    page = f"/admin/applications/{app.id}"
    post(web, f"{page}/paper", {"received": "1"}, page)
    post(web, f"{page}/funding", {"funding_yuan": "100000"}, page)
    token = web.get(page).get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    web.post(f"{page}/inspections", data={
        "csrf_token": token, "inspected_on": "2018-10-12", "inspectors": "郑红、钱进", "result": "passed",
        "findings": "标识已悬挂", "photos": (io.BytesIO(photo(3)), "site.jpg", "image/jpeg")},
        content_type="multipart/form-data")
    app = Application.get_by_id(app.id)
    assert app.paper_received_at is not None and app.funding_yuan == 100000
    inspection = SiteInspection.get(SiteInspection.application == app)
    assert inspection.inspectors == "郑红、钱进" and InspectionPhoto.select().count() == 1
    html = web.get("/admin/").get_data(as_text=True)
    assert "100,000元" in html


def test_paper_and_inspection_forms_sent_twice_record_once(web, admin_world, tmp_path):
    """A double click, or a second admin on an older page, keeps the first record."""
    app = submitted(admin_world, tmp_path)
    sign_in(web, "district")
    page = f"/admin/applications/{app.id}"
    post(web, f"{page}/paper", {"received": "1"}, page)
    first = Application.get_by_id(app.id).paper_received_at
    post(web, f"{page}/paper", {"received": "1"}, page)
    assert Application.get_by_id(app.id).paper_received_at == first
    visit = {"inspected_on": "2018-10-12", "inspectors": "郑红、钱进", "result": "passed", "findings": "标识已悬挂"}
    post(web, f"{page}/inspections", visit, page)
    again = post(web, f"{page}/inspections", visit, page)
    assert SiteInspection.select().count() == 1
    assert "2018年10月12日这次现场验收已经登记，请勿重复提交" in web.get(again.location).get_data(as_text=True)


def test_funding_waits_for_acceptance_and_is_registered_only_where_the_notice_grants_it(web, admin_world, tmp_path):
    """经验收合格，市总将给予10万元、3万元、2000元不等的资金支持: 示范职工之家, 百人以上新建会企业职工之家
    and 职工暖心驿站 only; 区级先进 is a title, with no amount to register even after its 现场验收."""
    world = admin_world
    in_review = submitted(world, tmp_path)
    sign_in(web, "district")
    page = f"/admin/applications/{in_review.id}"
    refused = post(web, f"{page}/funding", {"funding_yuan": "5000"}, page)
    assert "只有验收合格的申报可以登记资金" in web.get(refused.headers["Location"]).get_data(as_text=True)
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    app.status, app.version = AppStatus.APPROVED, 1
    app.save()
    page = f"/admin/applications/{app.id}"
    post(web, f"{page}/inspections", {"inspected_on": "2018-10-12", "inspectors": "郑红", "result": "passed"}, page)
    html = web.get(page).get_data(as_text=True)
    assert 'id="funding_yuan"' not in html and "实际拨付资金" not in html
    refused = post(web, f"{page}/funding", {"funding_yuan": "5000"}, page)
    assert "区级先进职工之家没有资金支持，不登记金额" in web.get(refused.headers["Location"]).get_data(as_text=True)
    assert Application.get_by_id(app.id).funding_yuan is None


def test_funding_above_the_kinds_amount_in_the_notice_is_refused(web, admin_world, tmp_path):
    """A 暖心驿站 gets 2000元: 20000 is a typo that would inflate the totals reported upward."""
    app = submitted(admin_world, tmp_path, kind=ApplicationKind.WARM_STATION, station=station_for(admin_world.unit))
    review.decide(app, admin_world.system_admin, "approve", "同意")
    review.decide(app, admin_world.district_admin, "approve", "同意")
    sign_in(web, "district")
    page = f"/admin/applications/{app.id}"
    assert 'max="2000"' in web.get(page).get_data(as_text=True)  # the kind's amount in the campaign data
    refused = post(web, f"{page}/funding", {"funding_yuan": "20000"}, page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "职工暖心驿站的资金支持标准为每个2,000元，登记金额应在0到2,000元之间" in html
    assert 'max="2000" style="width: 8em" value="20000"' in html  # the amount as typed, to correct
    assert Application.get_by_id(app.id).funding_yuan is None
    post(web, f"{page}/funding", {"funding_yuan": "2000"}, page)
    assert Application.get_by_id(app.id).funding_yuan == 2000


def test_a_missing_or_mistyped_date_is_named_by_its_field(web, admin_world, tmp_path):
    """The application page holds the review and the 现场验收 forms: a refusal says which date."""
    app = submitted(admin_world, tmp_path)
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    missing = post(web, f"{page}/inspections", {"inspected_on": "", "inspectors": "钱进", "result": "passed"}, page)
    assert missing.status_code == 400 and "请填写验收日期" in missing.get_data(as_text=True)
    step = review.current_step(app)
    typo = post(web, f"{page}/decide", {"step": step.id, "decision": "return", "opinion": "补照片",
                                        "rectify_deadline": "2018/7/1"}, page)
    assert typo.status_code == 400 and "整改截止日期格式应为 2018-05-10" in typo.get_data(as_text=True)
    honour_page = f"/admin/honours/{honour.id}"
    missing = post(web, honour_page, {"action": "reinspect", "inspected_on": "", "keep": "1"}, honour_page)
    assert missing.status_code == 400 and "请填写复验日期" in missing.get_data(as_text=True)


def _two_approved(admin_world, tmp_path):
    """Approved 区级先进职工之家 applications of the unit (良乡) and of the other unit (燕山)."""
    apps = [submitted(admin_world, tmp_path), submitted(admin_world, tmp_path, admin_world.other_unit,
                                                        admin_world.other_chair)]
    for app, system_admin in zip(apps, (admin_world.system_admin, admin_world.other_system_admin)):
        review.decide(app, system_admin, "approve", "同意")
        review.decide(app, admin_world.district_admin, "approve", "合格")
    return apps


def test_selection_publish_and_confirm_after_the_publicity_period(web, admin_world, tmp_path):
    apps = _two_approved(admin_world, tmp_path)
    sign_in(web, "district")
    page = "/admin/selections/model_home"
    post(web, page, {"action": "choose", "application": [str(apps[0].id)]}, page)
    assert "名单尚未公示" in (notice := web.get(page + "/notice").get_data(as_text=True))
    assert admin_world.unit.full_name not in notice
    today = local_today()
    undated = post(web, page, {"action": "publish", "notice_text": "现将拟授予名单公示如下", "publish_until": ""}, page)
    assert undated.status_code == 400 and "现将拟授予名单公示如下</textarea>" in undated.get_data(as_text=True)
    post(web, page, {"action": "publish", "notice_text": "", "publish_until": today.isoformat()}, page)
    notice = web.get(page + "/notice").get_data(as_text=True)
    assert admin_world.unit.full_name in notice and admin_world.other_unit.full_name not in notice
    assert "名单尚未公示" not in notice and "现予公示" in notice and f"{today.year}年{today.month}月{today.day}日" in notice
    early = post(web, page, {"action": "confirm"}, page)  # still within the 公示期
    assert early.status_code == 400 and "公示期满后才能确认授予称号" in early.get_data(as_text=True)
    assert Honour.select().count() == 0 and 'id="confirm"' not in web.get(page).get_data(as_text=True)
    Selection.update(publish_until=today - dt.timedelta(days=1)).execute()  # the 公示期 has passed
    assert 'id="confirm"' in web.get(page).get_data(as_text=True)
    post(web, page, {"action": "confirm"}, page)
    honour = Honour.get(Honour.kind == HonourKind.MODEL_HOME)
    assert honour.org_id == admin_world.unit.id and honour.year == 2018 and honour.application_id == apps[0].id
    assert "已确认授予称号" in web.get(page + "/notice").get_data(as_text=True)
    # A title revoked later leaves the 验收合格 count, not the 公示 list as it was published.
    eligibility.revoke(honour, admin_world.district_admin, "复查发现严重问题")
    assert admin_world.unit.full_name in web.get(page + "/notice").get_data(as_text=True)
    assert [a.id for a in selection_service.candidates(admin_world.campaign, "model_home")] == [apps[1].id]
    # The selection's table still lists the winner, marked revoked with the reason, not dropped.
    row = _row_of(web.get(page).get_data(as_text=True), admin_world.unit.full_name)
    assert "已撤销" in row and "复查发现严重问题" in row and "checked" in row
    overview = web.get("/admin/selections").get_data(as_text=True)
    assert _cells(overview, "示范职工之家")[:4] == ["示范职工之家", "2", "1", "1"]  # 目标, 验收合格, 已选


def _row_of(html, text):
    """The table row of `html` that holds `text`."""
    return next(row for row in html.split("<tr") if text in row).split(">", 1)[1].split("</tr>")[0]


def _cells(html, text):
    """The texts of the cells of the row holding `text`."""
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in _row_of(html, text).split("</td>")[:-1]]


def test_selection_is_the_districts_and_looking_writes_nothing(web, admin_world, tmp_path):
    apps = _two_approved(admin_world, tmp_path)
    page = "/admin/selections/model_home"
    sign_in(web, "system")
    for path in ("/admin/selections", page, page + "/notice"):
        assert web.get(path).status_code == 403, path
    assert post(web, page, {"action": "choose", "application": [str(apps[1].id)]}).status_code == 403
    assert "评选公示" not in web.get("/admin/applications").get_data(as_text=True)
    district = web.application.test_client()
    sign_in(district, "district")
    assert admin_world.other_unit.full_name in district.get(page).get_data(as_text=True)
    district.get(page + "/notice")
    assert Selection.select().count() == 0
    assert "未开始" in district.get("/admin/selections").get_data(as_text=True)


def test_reinspection_revokes_with_the_failed_items(web, admin_world):
    """The seed gives 区级 titles' 动态管理 to the district: 区总工会……对复查验收中发现严重问题的，撤销所获得的荣誉称号."""
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "district")
    page = f"/admin/honours/{honour.id}"
    post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "failed": ["3", "5"],
                     "findings": "标识缺失"}, page)
    honour = Honour.get_by_id(honour.id)
    assert honour.status == HonourStatus.REVOKED and "第3、5项" in honour.revoked_reason
    # The unit's chair hears of it, with the reason.
    revoked = [n for n in Notice.select() if n.key.startswith(f"honour:{honour.id}:")]
    assert revoked and all("标识缺失" in n.payload["text"] for n in revoked)
    other = web.application.test_client()
    sign_in(other, "other_system")
    assert other.get(page).status_code == 404


def test_a_system_union_proposes_revoking_a_district_title_and_the_district_decides(web, admin_world):
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "system")
    page = f"/admin/honours/{honour.id}"
    assert "建议区总工会撤销称号" in web.get(page).get_data(as_text=True)
    post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "failed": ["3"],
                     "findings": "标识缺失"}, page)
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE
    assert not [n for n in Notice.select() if n.key.startswith(f"honour:{honour.id}:revoked")]
    assert "建议撤销（待区总工会决定）" in web.get(page).get_data(as_text=True)
    archive = web.get(f"/admin/orgs/{admin_world.unit.id}/archive").get_data(as_text=True)
    assert "2018年11月1日 建议撤销（待区总工会决定）</td>" in archive  # no stray "；" after the last
    district = web.application.test_client()
    sign_in(district, "district")
    post(district, page, {"action": "reinspect", "inspected_on": "2018-11-20", "keep": "0",
                          "findings": "复查确认标识缺失"}, page)
    assert Honour.get_by_id(honour.id).status == HonourStatus.REVOKED
    # Revoked by the district's own 复验: the proposal is answered and its 系统工会 told.
    assert "建议撤销（区总工会已撤销）" in district.get(page).get_data(as_text=True)
    [told] = _notices_to(admin_world.system_admin, ":proposal:")
    assert "区总工会已采纳撤销建议" in told and "复查确认标识缺失" in told


def _notices_to(person, key_part):
    """Texts of the notices written for `person` whose key contains `key_part`."""
    return [n.payload["text"] for n in Notice.select().where(Notice.person == person) if key_part in n.key]


def test_a_proposal_to_revoke_waits_visibly_for_the_district_and_its_answer_reaches_the_proposer(web, admin_world):
    world = admin_world
    honour = Honour.create(org=world.unit, kind=HonourKind.DISTRICT_HOME, year=2016, status=HonourStatus.ACTIVE)
    page = f"/admin/honours/{honour.id}"
    sign_in(web, "system")
    post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "failed": ["3"],
                     "findings": "标识缺失"}, page)
    # The district admins are told by WeChat, through the same ledger as every notice, with where to decide.
    asked = _notices_to(world.district_admin, ":proposal:")
    assert len(asked) == 1 and "建议撤销北京良乡示例科技有限公司工会委员会2016年度“房山区先进职工之家”称号" in asked[0]
    assert "标识缺失" in asked[0] and "/admin/honours?proposal=pending" in asked[0]
    assert not _notices_to(world.system_admin, ":proposal:") and not _notices_to(world.chair, ":proposal:")
    district = web.application.test_client()
    sign_in(district, "district")
    assert "撤销称号建议1条，待区总工会决定" in district.get("/admin/").get_data(as_text=True)
    listed = district.get("/admin/honours?proposal=pending").get_data(as_text=True)
    assert "撤销称号建议待区总工会决定（1条）" in listed and "钱进" in listed
    other = Honour.create(org=world.other_unit, kind=HonourKind.DISTRICT_HOME, year=2016, status=HonourStatus.ACTIVE)
    assert f"/admin/honours/{honour.id}\"" in listed and f"/admin/honours/{other.id}\"" not in listed
    assert f"/admin/honours/{other.id}\"" in district.get("/admin/honours").get_data(as_text=True)
    # Declining needs a reason: the 系统工会 is told why.
    proposal = Reinspection.get(Reinspection.honour == honour)
    refused = post(district, page, {"action": "decide", "proposal": str(proposal.id), "decision": "decline",
                                    "note": " "}, page)
    assert refused.status_code == 400 and "不予撤销须写明理由" in refused.get_data(as_text=True)
    post(district, page, {"action": "decide", "proposal": str(proposal.id), "decision": "decline",
                          "note": "标识已补齐，经核实不属严重问题"}, page)
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE
    assert Reinspection.get_by_id(proposal.id).decision == "declined"
    told = _notices_to(world.system_admin, ":proposal:")
    assert len(told) == 1 and "区总工会决定不撤销" in told[0] and "标识已补齐，经核实不属严重问题" in told[0]
    assert not _notices_to(world.other_system_admin, ":proposal:")
    assert "撤销称号建议" not in district.get("/admin/").get_data(as_text=True)
    assert "建议撤销（区总工会不予撤销）" in district.get(page).get_data(as_text=True)
    # A second proposal, and this time the district revokes: the proposer and the unit both hear it.
    post(web, page, {"action": "reinspect", "inspected_on": "2018-12-01", "keep": "0", "findings": "职工之家已停用"},
         page)
    second = Reinspection.select().where(Reinspection.honour == honour).order_by(Reinspection.id.desc()).first()
    assert post(district, page, {"action": "decide", "proposal": str(second.id), "decision": "revoke", "note": ""},
                page).status_code == 302
    assert Honour.get_by_id(honour.id).revoked_reason == "职工之家已停用"
    told = _notices_to(world.system_admin, ":proposal:")
    assert len(told) == 2 and "区总工会已采纳撤销建议" in told[1] and "职工之家已停用" in told[1]
    assert any("称号已被撤销" in text for text in _notices_to(world.chair, ":revoked"))
    again = post(district, page, {"action": "decide", "proposal": str(second.id), "decision": "decline",
                                  "note": "再看看"}, page)
    assert again.status_code == 400 and "这条撤销建议已经处理过" in again.get_data(as_text=True)


def test_a_revocation_without_a_reason_is_refused_and_the_title_kept(web, admin_world):
    """The reason is what the unit is told: 撤销 with no item ticked and no findings is refused."""
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "district")
    page = f"/admin/honours/{honour.id}"
    refused = post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "findings": "  "},
                   page)
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "撤销称号须写明复验中发现的严重问题" in html and 'value="2018-11-01"' in html
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE and Reinspection.select().count() == 0
    assert not [n for n in Notice.select() if n.key.startswith(f"honour:{honour.id}:")]


def test_exports_follow_the_filters_and_the_scope(web, admin_world, tmp_path):
    submitted(admin_world, tmp_path)
    submitted(admin_world, tmp_path, admin_world.other_unit, admin_world.other_chair)
    sign_in(web, "district")
    book = load_workbook(io.BytesIO(web.get("/admin/exports/applications.xlsx?status=submitted").data))
    names = sorted(row[1] for row in book["申报"].iter_rows(min_row=2, values_only=True))
    assert names == sorted([admin_world.unit.full_name, admin_world.other_unit.full_name])
    book = load_workbook(io.BytesIO(web.get("/admin/exports/applications.xlsx?q=燕山").data))
    assert [row[1] for row in book["申报"].iter_rows(min_row=2, values_only=True)] == [admin_world.other_unit.full_name]
    summary = load_workbook(io.BytesIO(web.get("/admin/exports/summary.xlsx").data))
    assert [row[0] for row in summary["目标完成情况"].iter_rows(min_row=2, values_only=True)][:1] == ["区级先进职工之家"]
    system = web.application.test_client()
    sign_in(system, "system")
    book = load_workbook(io.BytesIO(system.get("/admin/exports/applications.xlsx").data))
    assert [row[1] for row in book["申报"].iter_rows(min_row=2, values_only=True)] == [admin_world.unit.full_name]
    assert system.get("/admin/exports/summary.xlsx").status_code == 403


def test_exports_carry_an_ascii_file_name_for_old_clients(web, admin_world, tmp_path):
    sign_in(web, "district")
    for path, plain in (("/admin/exports/applications.xlsx?year=2018", "applications-2018-"),
                        ("/admin/exports/summary.xlsx?year=2018", "summary-2018.xlsx")):
        header = web.get(path).headers["Content-Disposition"]
        assert plain_filename(header).startswith(plain) and "filename*=UTF-8''" in header, path


def test_exported_dates_read_as_people_write_them_and_figures_are_numbers(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    deadline = local_today() + dt.timedelta(days=10)
    review.decide(app, admin_world.system_admin, "return", "请补充照片", rectify_deadline=deadline)
    sign_in(web, "district")
    post(web, f"/admin/applications/{app.id}/paper", {"received": "1"})
    sheet = load_workbook(io.BytesIO(web.get("/admin/exports/applications.xlsx").data))["申报"]
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, sheet[2]))
    submitted_at = to_local(Application.get_by_id(app.id).submitted_at).replace(tzinfo=None, second=0, microsecond=0)
    assert row["提交时间"].value.replace(second=0, microsecond=0) == submitted_at
    assert row["提交时间"].number_format == 'yyyy"年"m"月"d"日" hh:mm'
    assert isinstance(row["纸质件收到"].value, dt.datetime)
    assert row["整改截止"].value.date() == deadline and row["整改截止"].number_format == 'yyyy"年"m"月"d"日"'
    summary = load_workbook(io.BytesIO(web.get("/admin/exports/summary.xlsx").data))["新建会单位建家"]
    share = summary.cell(row=2, column=3)
    assert share.value == 0 and share.number_format == "0%"  # none of the 3 has a 职工之家 yet


def test_tampered_choices_are_refused_in_chinese(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    station = station_for(admin_world.unit)
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "district")
    refused = post(web, f"/admin/applications/{app.id}/inspections",
                   {"inspected_on": "2018-10-12", "inspectors": "郑红", "result": "bogus"})
    assert refused.status_code == 400 and "验收结论应为：验收合格、验收不合格、待定" in refused.get_data(as_text=True)
    account = post(web, "/admin/accounts", {"full_name": admin_world.district.full_name, "role": "bogus",
                                            "name": "陈新", "username": "chenxin", "password": "correct-horse-battery"})
    assert account.status_code == 400 and "请选择管理角色" in account.get_data(as_text=True)
    moved = post(web, f"/admin/stations/{station.id}", {"status": "bogus"})
    assert moved.status_code == 302
    assert "驿站状态应为：建设中、开放、已关闭、已迁址" in web.get("/admin/applications").get_data(as_text=True)
    reinspected = post(web, f"/admin/honours/{honour.id}", {"action": "reinspect", "inspected_on": "2018-11-01",
                                                            "keep": "0", "failed": ["99"], "findings": "标识缺失"})
    assert reinspected.status_code == 400
    assert "未达标项只能从复验清单的项目中选择" in reinspected.get_data(as_text=True)
    assert SiteInspection.select().count() == 0 and Station.get_by_id(station.id).status == StationStatus.PLANNED
    assert AdminAccount.select().where(AdminAccount.username == "chenxin").count() == 0
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE


def test_the_current_step_is_named_by_the_reviewing_union(web, admin_world, tmp_path):
    """Both review levels print into one box ("区总工会，局，集团、公司工会意见"): name the union."""
    app = submitted(admin_world, tmp_path)
    sign_in(web, "district")
    listed = web.get("/admin/applications").get_data(as_text=True)
    row = listed.split(f'href="/admin/applications/{app.id}"')[1].split("</tr>")[0]
    assert admin_world.system.full_name in row and "意见" not in row
    page = web.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert f"当前环节：{admin_world.system.full_name}" in page


def test_a_registration_form_takes_remarks_on_its_fields_and_the_unit_is_told_where(web, admin_world):
    small = small_home_in_review(admin_world)
    step = review.current_step(small)
    sign_in(web, "chair")
    page = f"/admin/applications/{small.id}"
    html = web.get(page).get_data(as_text=True)
    for key in ("main_deeds", "member_total", "chairs", "applicant_full_name"):
        assert f'name="remark:small_home_registration:{key}"' in html, key
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    post(web, f"{page}/decide", {"decision": "return", "step": step.id, "rectify_deadline": deadline,
                                 "remark:small_home_registration:main_deeds": "请写明具体活动",
                                 "remark:small_home_registration:member_total": "与会员人数不符"}, page)
    assert ReviewStep.get_by_id(step.id).remarks == {"small_home_registration:main_deeds": "请写明具体活动",
                                                     "small_home_registration:member_total": "与会员人数不符"}
    text = Notice.select().where(Notice.kind == "status_changed").first().payload["text"]
    assert "主要事迹：请写明具体活动" in text
    assert "工会分会（小组）会员（代表）会议审议情况·会员人数：与会员人数不符" in text
    html = web.get(page).get_data(as_text=True)
    deeds_row = html.split('id="field-small_home_registration-main_deeds"')[1].split("</tr>")[0]
    assert "请写明具体活动" in deeds_row


def test_an_inspection_with_a_fake_photo_or_a_future_date_is_refused_and_the_form_kept(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    sign_in(web, "district")
    page = f"/admin/applications/{app.id}"
    token = web.get(page).get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    typed = {"csrf_token": token, "inspectors": "郑红、钱进", "result": "passed", "findings": "标识已悬挂，台账齐全"}
    for data, message in (
            ({"inspected_on": "2018-10-12", "photos": (io.BytesIO(b"%PDF-1.4 not a photo"), "site.jpg", "image/jpeg")},
             "现场照片“site.jpg”：这不是JPEG、PNG或WebP格式的图片"),
            ({"inspected_on": "2030-04-28", "photos": (io.BytesIO(photo(4)), "site.jpg", "image/jpeg")},
             "验收日期不能晚于今天")):
        response = web.post(f"{page}/inspections", data={**typed, **data}, content_type="multipart/form-data")
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and message in html, html
        assert f'value="{data["inspected_on"]}"' in html and 'value="郑红、钱进"' in html
        assert ">标识已悬挂，台账齐全</textarea>" in html and '<option value="passed" selected>' in html
    assert SiteInspection.select().count() == 0 and InspectionPhoto.select().count() == 0


def test_a_stale_reinspection_page_does_not_rewrite_a_revocation(web, admin_world):
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "district")
    page = f"/admin/honours/{honour.id}"
    other = web.application.test_client()
    sign_in(other, "district")
    post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "findings": "标识缺失"},
         page)
    revoked = Honour.get_by_id(honour.id)
    # Another district session opened the page while the title was active: keeping it now is refused,
    # and so is a second revocation, which would rewrite the first one's reason and date.
    for keep in ("1", "0"):
        refused = post(other, page, {"action": "reinspect", "inspected_on": "2018-11-02", "keep": keep,
                                      "findings": "复验合格"}, page)
        assert refused.status_code == 302
        assert "已被撤销" in other.get(page).get_data(as_text=True)
    again = Honour.get_by_id(honour.id)
    assert (again.status, again.revoked_reason, again.revoked_at) == (
        HonourStatus.REVOKED, revoked.revoked_reason, revoked.revoked_at)
    assert [r.kept for r in Reinspection.select().where(Reinspection.honour == honour)] == ["revoked"]


def test_a_reinspection_cannot_be_dated_ahead(web, admin_world):
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    sign_in(web, "district")
    page = f"/admin/honours/{honour.id}"
    ahead = (local_today() + dt.timedelta(days=400)).isoformat()
    refused = post(web, page, {"action": "reinspect", "inspected_on": ahead, "keep": "0", "failed": ["3", "5"],
                               "findings": "标识缺失，职工书屋已改作仓库"}, page)
    # The form comes back filled in: the findings typed are not lost to a wrong date.
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "复验日期不能晚于今天" in html
    assert "标识缺失，职工书屋已改作仓库</textarea>" in html and f'value="{ahead}"' in html
    assert 'value="3" checked' in html and 'value="5" checked' in html and 'value="4" checked' not in html
    assert 'value="0" selected' in html
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE
    assert Reinspection.select().count() == 0


def test_admin_pages_write_dates_as_people_do(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    deadline = local_today() + dt.timedelta(days=10)
    review.decide(app, admin_world.system_admin, "return", "请补充照片", rectify_deadline=deadline)
    small = small_home_in_review(admin_world)
    Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016, status=HonourStatus.ACTIVE,
                  awarded_on=dt.date(2016, 12, 1))
    sign_in(web, "district")
    written = f"{deadline.year}年{deadline.month}月{deadline.day}日"
    page = web.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert f"整改截止</label>{written}" in page and f"整改截止 {written}" in page
    assert deadline.isoformat() not in page
    # The 小家 form's answered dates (填表日期, 何时被授予合格职工小家), as on the printed form.
    assert "2018年5月10日" in web.get(f"/admin/applications/{small.id}").get_data(as_text=True)
    assert "2016年12月1日" in web.get("/admin/honours").get_data(as_text=True)
    dashboard = web.get("/admin/?year=2018").get_data(as_text=True)
    assert "2018年6月30日" in dashboard and "2018-06-30" not in dashboard
    assert "2017年6月1日" in web.get(f"/admin/orgs/{admin_world.unit.id}/archive").get_data(as_text=True)


def test_two_tabs_deciding_at_once_make_one_decision(admin_app, admin_world, tmp_path):
    from concurrent.futures import ThreadPoolExecutor
    app = submitted(admin_world, tmp_path)
    step = review.current_step(app)
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    forms = [{"decision": "approve", "step": str(step.id), "opinion": "同意上报"},
             {"decision": "return", "step": str(step.id), "opinion": "请补充照片", "rectify_deadline": deadline}] * 2
    tabs = []
    for _ in forms:
        tab = admin_app.test_client()
        sign_in(tab, "system")
        tabs.append((tab, csrf_of(tab, f"/admin/applications/{app.id}")))

    def decide(pair):
        """Send one tab's form."""
        (tab, token), form = pair
        return tab.post(f"/admin/applications/{app.id}/decide", data={**form, "csrf_token": token}).status_code

    with ThreadPoolExecutor(len(forms)) as pool:
        statuses = sorted(pool.map(decide, zip(tabs, forms)))
    # The tab sending the same decision as the winner is told it was made; the other two are refused.
    assert statuses == [302, 302, 400, 400]
    steps = review.steps_of(Application.get_by_id(app.id))
    decided = [s for s in steps if s.decided_at is not None]
    assert len(decided) == 1
    assert AuditLog.select().where(AuditLog.action.startswith("review.")).count() == 1
    after = Application.get_by_id(app.id)
    assert (after.status, steps[1].status) in (
        (AppStatus.SUBMITTED, StepStatus.PENDING), (AppStatus.RETURNED, StepStatus.WAITING))


def test_a_title_registered_by_hand_needs_a_plausible_year_and_date(web, admin_world):
    sign_in(web, "district")
    form = {"full_name": admin_world.unit.full_name, "kind": "district_home"}
    for year, awarded_on, message in (
            ("20188", "2018-12-20", "年度应在"), ("-2018", "2018-12-20", "年度应在"),
            ("2018", (local_today() + dt.timedelta(days=3)).isoformat(), "授予日期不能晚于今天"),
            ("2018", "2017-12-20", "授予日期不能早于2018年度")):
        refused = post(web, "/admin/honours/award", {**form, "year": year, "awarded_on": awarded_on}, "/admin/honours")
        # The form comes back with the message and what was typed, so one figure can be corrected.
        page = refused.get_data(as_text=True)
        assert refused.status_code == 400 and message in page, (year, awarded_on)
        assert f'value="{year}"' in page and f'value="{awarded_on}"' in page
        assert f'value="{admin_world.unit.full_name}"' in page and 'value="district_home" selected' in page
    assert Honour.select().count() == 0
    post(web, "/admin/honours/award", {**form, "year": "2018", "awarded_on": "2019-01-10"}, "/admin/honours")
    assert [(h.year, h.awarded_on) for h in Honour.select()] == [(2018, dt.date(2019, 1, 10))]


def test_a_remark_carried_into_a_later_version_is_shown_once(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    review.decide(app, admin_world.system_admin, "return", "请补充", remarks={"model_home_checklist:item.3": "照片看不清"},
                  rectify_deadline=local_today() + dt.timedelta(days=10))
    # The chair resubmits and takes it back at once: the return (and its remark) stands again.
    from miniapp_backend.services import submissions
    submissions.withdraw(submissions.submit(app, admin_world.chair), admin_world.chair)
    sign_in(web, "system")
    page = web.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    row = page[page.index('id="item-model_home_checklist-3"'):]
    row = row[:row.index("</tr>")]
    assert row.count("照片看不清") == 1


def test_the_application_page_says_why_its_packet_failed(web, admin_world, tmp_path):
    from miniapp_backend.models import Packet, PacketStatus
    app = submitted(admin_world, tmp_path)
    detail = "第1版生成失败：服务器磁盘已满，文件写不进去。系统会自动重试，多次失败请联系系统管理员"
    Packet.create(application=app, version=1, review_state_key="k", status=PacketStatus.FAILED, detail=detail)
    sign_in(web, "system")
    page = web.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert detail in page and "尚未生成" not in page


def test_a_long_text_is_shown_with_the_count_the_chair_was_told(web, admin_world):
    """主要事迹 in eight paragraphs of 100 字 is 800字 to the chair (chat and validation count no
    line breaks); the reviewer's page said 807字, over the limit the form allows."""
    small = small_home_in_review(admin_world)
    deeds = "\n".join("事" * 100 for _ in range(8))
    small.status = AppStatus.DRAFT
    small.save()
    drafts.write_answer(small, admin_world.branch_chair, "small_home_registration:main_deeds", deeds,
                        today=IN_WINDOW)
    small.status = AppStatus.SUBMITTED
    small.save()
    sign_in(web, "chair")
    html = web.get(f"/admin/applications/{small.id}").get_data(as_text=True)
    deeds_row = html.split('id="field-small_home_registration-main_deeds"')[1].split("</tr>")[0]
    assert "（800字）" in deeds_row


def test_the_row_after_the_items_keeps_its_printed_number(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    sign_in(web, "system")
    html = web.get(f"/admin/applications/{app.id}").get_data(as_text=True)
    assert "<th>22 其他配套设施设备或服务</th>" in html  # as on the seed's form and in the chat's 第22项
    assert "<th>工会主席</th>" in html  # header cells have no number


def test_a_return_past_its_deadline_reads_overdue_and_can_be_listed_apart(web, admin_world, tmp_path):
    world = admin_world
    late = submitted(world, tmp_path)
    review.decide(late, world.system_admin, "return", "请补充照片", rectify_deadline=local_today() + dt.timedelta(days=5))
    on_time = submitted(world, tmp_path, world.other_unit, world.other_chair)
    review.decide(on_time, world.other_system_admin, "return", "请补充照片",
                  rectify_deadline=local_today() + dt.timedelta(days=5))
    # The 整改截止 passes without a resubmission.
    Application.update(rectify_deadline=local_today() - dt.timedelta(days=1)).where(Application.id == late.id).execute()
    sign_in(web, "district")
    listed = web.get("/admin/applications").get_data(as_text=True)
    assert listed.count("退回整改（已逾期）</td>") == 1 and listed.count("退回整改</td>") == 1
    overdue = web.get("/admin/applications?status=returned_overdue").get_data(as_text=True)
    assert world.unit.full_name in overdue and world.other_unit.full_name not in overdue
    assert '<strong id="status">退回整改（已逾期）</strong>' in web.get(f"/admin/applications/{late.id}").get_data(
        as_text=True)
    assert "其中已逾期1" in web.get("/admin/").get_data(as_text=True)


def test_the_list_filters_filed_applications_whose_paper_has_not_arrived(web, admin_world, tmp_path):
    world = admin_world
    waiting = submitted(world, tmp_path)
    arrived = submitted(world, tmp_path, world.other_unit, world.other_chair)
    returned = submitted(world, tmp_path, world.direct_unit, world.direct_chair)
    assert review.current_step(returned).level == "district"  # a 直属 unit goes straight to the district
    review.decide(returned, world.district_admin, "return", "请补充照片",
                  rectify_deadline=local_today() + dt.timedelta(days=5))
    sign_in(web, "district")
    post(web, f"/admin/applications/{arrived.id}/paper", {"received": "1"})
    html = web.get("/admin/applications?paper=missing").get_data(as_text=True)
    assert 'id="f-paper" checked' in html
    table = html.split('id="application-list"')[1]
    assert waiting.org.full_name in table
    assert arrived.org.full_name not in table and returned.org.full_name not in table


def test_an_unknown_packet_format_is_named_and_not_said_to_be_pending(web, admin_world, tmp_path):
    app = submitted(admin_world, tmp_path)
    sign_in(web, "system")
    unknown = web.get(f"/admin/applications/{app.id}/packet.xls")
    assert unknown.status_code == 404
    html = unknown.get_data(as_text=True)
    assert "没有这种格式的材料包" in html and "尚未生成" not in html
    assert "材料包尚未生成" in web.get(f"/admin/applications/{app.id}/packet.pdf").get_data(as_text=True)


def test_the_small_home_roster_heading_is_printed_once(web, admin_world):
    app = small_home_in_review(admin_world)
    sign_in(web, "system")
    assert web.get(f"/admin/applications/{app.id}").get_data(as_text=True).count("工会分会主席（小组长）情况") == 1


def test_the_yearly_target_is_shown_as_progress_and_does_not_cap_the_selection(web, admin_world, tmp_path):
    """The notice's figures are what 我区将选树/建设 this year (两家示范, 27家新建会, 200个驿站; 新建会单位
    100%建家), not a quota: every unit that passed may be chosen, and the page says how far past the target."""
    apps = _two_approved(admin_world, tmp_path)
    third = submitted(admin_world, tmp_path, admin_world.direct_unit, admin_world.direct_chair)
    review.decide(third, admin_world.district_admin, "approve", "合格")  # a 直属 unit: no 系统工会 step
    sign_in(web, "district")
    page = "/admin/selections/model_home"
    assert post(web, page, {"action": "choose", "application": [str(a.id) for a in apps]}, page).status_code == 302
    html = web.get(page).get_data(as_text=True)
    assert "已选 2 个，年度目标 2 个" in html and 'id="over-target"' not in html
    chosen = post(web, page, {"action": "choose", "application": [str(a.id) for a in (*apps, third)]}, page)
    assert chosen.status_code == 302, chosen.get_data(as_text=True)
    html = web.get(page).get_data(as_text=True)
    assert "已保存拟授予名单" in html and "selection-error" not in html
    assert selection_service.chosen_ids(Selection.get()) == {apps[0].id, apps[1].id, third.id}
    assert "已选 3 个，年度目标 2 个" in html
    assert "超过年度目标1个" in html.split('id="over-target"')[1].split("</")[0]


def _district_home_of(world, status):
    """The unit's 合格职工之家 and its 区级先进 application, first version, standing at `status`."""
    qualified = make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    app.status, app.version = status, 1
    app.save()
    return qualified, app


def test_a_district_home_whose_qualified_title_was_revoked_in_review_cannot_pass(web, admin_world):
    """对已确定的“合格职工之家”的单位可向区总工会申请区级先进: a 合格 revoked while the application is
    in review leaves nothing to approve; return and rejection stay open, the opinion typed is kept."""
    world = admin_world
    qualified, app = _district_home_of(world, AppStatus.SUBMITTED)
    review.build_chain(app, 1)
    stamped = review.current_step(app)  # the unit's stamped pages, uploaded before the revocation
    stamped.status = StepStatus.APPROVED
    stamped.save()
    step = review.steps_of(app)[1]
    step.status = StepStatus.PENDING
    step.save()
    eligibility.revoke(qualified, world.system_admin, "会员代表大会决定不实")
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    shown = web.get(page).get_data(as_text=True)  # said before the reviewer writes anything
    assert 'id="approval-blocked"' in shown and "会员代表大会决定不实" in shown
    assert '<option value="approve"' not in shown and '<option value="return"' in shown
    refused = post(web, f"{page}/decide", {"decision": "approve", "step": step.id, "opinion": "同意上报"}, page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "“合格职工之家”称号已被撤销（会员代表大会决定不实）" in html and "不能审核通过" in html
    assert ">同意上报</textarea>" in html
    assert ReviewStep.get_by_id(step.id).status == StepStatus.PENDING
    assert Application.get_by_id(app.id).status == AppStatus.SUBMITTED
    post(web, f"{page}/decide", {"decision": "reject", "step": step.id, "opinion": "合格称号已撤销"}, page)
    assert Application.get_by_id(app.id).status == AppStatus.REJECTED


def test_ticked_numbers_that_are_no_numbers_are_refused_and_the_form_kept(web, admin_world, tmp_path):
    """A tampered box value ("²" passes str.isdigit, int() refuses it) is a Chinese refusal, not a 500."""
    honour = Honour.create(org=admin_world.unit, kind=HonourKind.DISTRICT_HOME, year=2016,
                           status=HonourStatus.ACTIVE)
    apps = _two_approved(admin_world, tmp_path)
    sign_in(web, "district")
    page = f"/admin/honours/{honour.id}"
    reinspected = post(web, page, {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0",
                                   "failed": ["3", "²"], "findings": "标识缺失"}, page)
    html = reinspected.get_data(as_text=True)
    assert reinspected.status_code == 400 and "未达标项只能从复验清单的项目中选择" in html
    assert "标识缺失</textarea>" in html
    assert Honour.get_by_id(honour.id).status == HonourStatus.ACTIVE
    page = "/admin/selections/model_home"
    chosen = post(web, page, {"action": "choose", "application": [str(apps[0].id), "²"]}, page)
    assert chosen.status_code == 400 and "只能从验收合格的申报中评选" in chosen.get_data(as_text=True)
    assert Selection.select().count() in (0, 1) and not SelectionEntry.select().exists()


def test_a_unit_whose_qualified_title_was_revoked_after_approval_is_not_awarded_the_district_title(web, admin_world):
    """已评为区级先进 needs a 合格职工之家 still held when the title is conferred: revoked in between, the
    unit is no candidate, and a list chosen before the revocation is not confirmed."""
    world = admin_world
    qualified, app = _district_home_of(world, AppStatus.APPROVED)
    sign_in(web, "district")
    post(web, f"/admin/applications/{app.id}/inspections",
         {"inspected_on": "2018-10-12", "inspectors": "郑红", "result": "passed"}, f"/admin/applications/{app.id}")
    page = "/admin/selections/district_home"
    post(web, page, {"action": "choose", "application": [str(app.id)]}, page)
    post(web, page, {"action": "publish", "notice_text": "", "publish_until": local_today().isoformat()}, page)
    Selection.update(publish_until=local_today() - dt.timedelta(days=1)).execute()
    eligibility.revoke(qualified, world.system_admin, "会员代表大会决定不实")
    refused = post(web, page, {"action": "confirm"}, page)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "“合格职工之家”称号已被撤销（会员代表大会决定不实）" in html
    assert "不能授予称号" in html
    assert not Honour.select().where(Honour.kind == HonourKind.DISTRICT_HOME).exists()
    selection = Selection.get()
    assert selection.status != "confirmed"
    assert selection_service.candidates(world.campaign, app.kind) == []


def test_a_revocation_and_a_refusal_sent_at_once_make_one_answer(admin_app, admin_world):
    """Two tabs (or two district admins) answer the same proposal at once: one answer stands, the
    others are told it was answered; never a title revoked under a proposal recorded as declined."""
    from concurrent.futures import ThreadPoolExecutor
    world = admin_world
    tabs = []
    for _ in range(6):
        tab = admin_app.test_client()
        sign_in(tab, "district")
        tabs.append((tab, csrf_of(tab, "/admin/honours")))
    for year in range(2009, 2017):  # a race lost only now and then: several titles
        honour = Honour.create(org=world.unit, kind=HonourKind.DISTRICT_HOME, year=year, status=HonourStatus.ACTIVE)
        eligibility.reinspect(honour, world.system_admin, dt.date(2018, 11, 1), False, "标识缺失")
        proposal = Reinspection.get(Reinspection.honour == honour)
        page = f"/admin/honours/{honour.id}"
        forms = [{"action": "decide", "proposal": str(proposal.id), "decision": "revoke", "note": ""},
                 {"action": "decide", "proposal": str(proposal.id), "decision": "decline", "note": "不属严重问题"}] * 3

        def send(pair, page=page):
            """Send one tab's answer."""
            (tab, token), form = pair
            return tab.post(page, data={**form, "csrf_token": token}).status_code

        with ThreadPoolExecutor(len(forms)) as pool:
            statuses = sorted(pool.map(send, zip(tabs, forms)))
        revoked = Honour.get_by_id(honour.id).status == HonourStatus.REVOKED
        decision = Reinspection.get_by_id(proposal.id).decision
        assert statuses == [302] + [400] * 5
        assert decision == ("revoked" if revoked else "declined")


def _packets_in_place(monkeypatch, admin_config):
    """The jobs write where the web reads."""
    monkeypatch.setenv("STORAGE_DIR", str(admin_config.storage_dir))
    context._cached.clear()


def test_while_a_resubmission_s_packet_is_made_the_previous_one_is_not_offered_as_current(
        web, admin_world, tmp_path, admin_config, job_env, monkeypatch, redis_client):
    from miniapp_backend.services import submissions
    _packets_in_place(monkeypatch, admin_config)
    app = submitted(admin_world, tmp_path, photo=photo(1))
    enqueue_packet(redis_client, app)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    review.decide(app, admin_world.system_admin, "return", "请补充照片", rectify_deadline=IN_WINDOW + dt.timedelta(days=5),
                  today=IN_WINDOW)
    app = submissions.submit(Application.get_by_id(app.id), admin_world.chair, today=IN_WINDOW)
    assert app.version == 2
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    html = web.get(page).get_data(as_text=True)  # asked for, its job not queued yet
    assert '<span class="muted" id="packet-state">第2版生成中</span>' in html
    assert ">第1版PDF（打印盖章）</a>" not in html
    assert ">第1版PDF（打印盖章）（旧版，已被第2版取代，勿打印）</a>" in html
    enqueue_packet(redis_client, app)
    assert '<span class="muted" id="packet-state">第2版排队中</span>' in web.get(page).get_data(as_text=True)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    html = web.get(page).get_data(as_text=True)
    assert ">第2版PDF（打印盖章）</a>" in html and "已被第2版取代" not in html and 'id="packet-state"' not in html


def test_an_admin_asks_again_for_a_packet_that_failed(
        web, admin_world, tmp_path, admin_config, job_env, monkeypatch, redis_client):
    from miniapp_backend.models import Packet, PacketStatus
    _packets_in_place(monkeypatch, admin_config)
    app = submitted(admin_world, tmp_path, photo=photo(1))
    blocked = admin_config.storage_dir / "packets" / str(app.id)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"not a folder")  # the disk cannot take it
    from workers.packets import PACKET_LAYOUT
    from workers.packet_sources import opinions_of
    from miniapp_backend.packets.inputs import state_key
    key = state_key(opinions_of(app, app.version), PACKET_LAYOUT)
    enqueue_once(redis_client, "workers.packets.compile_packet", f"packet-{app.id}-v1-{key}", app.id, 1, key)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)  # its last run fails
    packet = Packet.get(Packet.application == app.id)
    assert packet.status == PacketStatus.FAILED and "服务器上的文件读写出错" in packet.detail
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    assert 'id="packet-retry"' in web.get(page).get_data(as_text=True)
    blocked.unlink()  # the cause is fixed
    post(web, f"{page}/packet/retry", {}, page)
    html = web.get(page).get_data(as_text=True)
    assert "第1版排队中" in html and 'id="packet-retry"' not in html and "读写出错" not in html
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert Packet.get_by_id(packet.id).status == PacketStatus.DONE
    assert ">第1版PDF（打印盖章）</a>" in web.get(page).get_data(as_text=True)
