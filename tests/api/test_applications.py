"""Tracking: options, lists by role, status, history, opinions, submit, withdraw, paper step, packet."""
import datetime as dt
import io
from concurrent.futures import ThreadPoolExecutor

from pypdf import PdfWriter

from miniapp_backend.models import (
    ApplicationKind, AppStatus, Decision, HonourKind, Packet, PacketStatus, ReviewStep, Submission)
from miniapp_backend.services import drafts, review
from tests.api.conftest import complete_model_home, model_home, upload
from tests.factories import IN_WINDOW, make_qualified
from workers import packets as packet_jobs


def pdf_bytes(pages=1):
    """A small valid PDF."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_options_list_kinds_rounds_deadlines_and_reasons(api, world):
    body = api.get("/applications/options", world.chair).get_json()
    assert body["campaign"] == 2018
    kinds = {k["kind"]: k for k in body["orgs"][0]["kinds"]}
    assert kinds["model_home"]["allowed"] and kinds["model_home"]["deadline"] == "2018-06-30"
    assert kinds["model_home"]["round"]["name"] == "上半年"
    assert not kinds["district_home"]["allowed"]
    assert "合格职工之家" in kinds["district_home"]["reasons"][0]
    assert kinds["warm_station"]["subject"] == "station"
    assert api.get("/applications/options", world.chair,
                   query_string={"org_id": world.other_unit.id}).status_code == 404
    assert api.get("/applications/options", world.district_admin).get_json()["orgs"] == []


def test_submit_refused_with_the_exact_missing_list(api, world):
    app = model_home(world)
    drafts.write_answer(app, world.chair, "model_home_checklist:item.1", {"done": True}, today=IN_WINDOW)
    response = api.post(f"/applications/{app.id}/submit", world.chair)
    assert response.status_code == 422
    error = response.get_json()["error"]
    missing = error["details"]["missing"]
    assert missing[0] == {"key": "model_home_checklist:item.1", "kind": "photo", "label": "第1项的照片",
                          "form": "model_home_checklist", "item_no": 1}
    assert len(missing) == 21
    assert error["fields"]["model_home_checklist:item.2"] == "缺少：第2项 组织机构"


def test_submit_refused_for_a_rule_across_fields_says_what_to_correct_not_what_is_missing(api, world):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    app = drafts.start_or_resume(world.branch_chair, world.branch, world.campaign, ApplicationKind.SMALL_HOME,
                                 today=IN_WINDOW)
    for key, value in {"member_total": 20, "present": 28}.items():  # the 28 from before 20 was corrected
        drafts.write_answer(app, world.branch_chair, f"small_home_registration:{key}", value, today=IN_WINDOW)
    error = api.post(f"/applications/{app.id}/submit", world.branch_chair).get_json()["error"]
    assert error["fields"]["small_home_registration:present"] == "需修正：实到人数不能多于会员人数"
    assert error["fields"]["small_home_registration:agreed"] == "缺少：同意人数"


def test_staff_fill_the_chair_submits_then_withdraws(api, world, config):
    app = complete_model_home(world, config.storage_dir, world.staff)
    staff = api.post(f"/applications/{app.id}/submit", world.staff)
    assert staff.status_code == 403 and "工会主席" in staff.get_json()["error"]["message"]
    submitted = api.post(f"/applications/{app.id}/submit", world.chair).get_json()
    assert submitted["status"] == "submitted" and submitted["version"] == 1
    assert submitted["current_step"]["level"] == "system"
    assert submitted["current_step"]["org"]["id"] == world.system.id
    change = {"model_home_checklist:item.1": {"value": {"done": False}, "revision": 1}}
    edit = api.patch(f"/drafts/{app.id}/answers", world.chair, json={"answers": change})
    assert edit.status_code == 409 and "撤回" in edit.get_json()["error"]["message"]
    withdrawn = api.post(f"/applications/{app.id}/withdraw", world.chair).get_json()
    assert withdrawn["status"] == "draft"
    history = api.get(f"/applications/{app.id}/history", world.staff).get_json()["events"]
    assert [e["to_status"] for e in history] == ["draft", "submitted", "draft"]
    assert history[1]["actor"] == "王建国" and history[1]["to_label"] == "审核中"


def test_can_edit_submit_and_withdraw_follow_what_the_domain_allows(api, world, config, api_app):
    app = complete_model_home(world, config.storage_dir)

    def abilities(person):
        """(can_edit, can_submit, can_withdraw) as the detail shows them to `person`."""
        body = api.get(f"/applications/{app.id}", person).get_json()
        return body["can_edit"], body["can_submit"], body["can_withdraw"]
    assert abilities(world.chair) == (True, True, False) and abilities(world.staff) == (True, False, False)
    assert abilities(world.system_admin) == (False, False, False)
    api.post(f"/applications/{app.id}/submit", world.chair)
    assert abilities(world.chair) == (False, False, True) and abilities(world.staff) == (False, False, False)
    in_window = api_app.config["API_NOW"]
    api_app.config["API_NOW"] = dt.datetime(2018, 7, 15, 2, 0)  # 上半年 closed on 06-30
    assert abilities(world.chair) == (False, False, False)  # a withdrawn draft could not be resubmitted
    assert api.post(f"/applications/{app.id}/withdraw", world.chair).status_code == 409
    api_app.config["API_NOW"] = in_window
    api.post(f"/applications/{app.id}/withdraw", world.chair)
    assert abilities(world.chair) == (True, True, False)
    api_app.config["API_NOW"] = dt.datetime(2018, 7, 15, 2, 0)
    assert abilities(world.chair) == (False, False, False)
    assert api.post(f"/applications/{app.id}/submit", world.chair).status_code == 409


def test_opinions_remarks_and_rectify_deadline(api, world, config, api_app):
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    review.decide(app, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
    assert api.post(f"/applications/{app.id}/withdraw", world.chair).status_code == 409
    review.decide(app, world.district_admin, Decision.RETURN, "请补充照片",
                  remarks={"model_home_checklist:item.5": "照片看不清"},
                  rectify_deadline=dt.date(2018, 7, 20), today=IN_WINDOW)
    detail = api.get(f"/applications/{app.id}", world.chair).get_json()
    assert detail["status"] == "returned" and detail["rectify_deadline"] == "2018-07-20"
    assert detail["editable_until"] == "2018-07-20"
    reviews = api.get(f"/applications/{app.id}/reviews", world.chair).get_json()
    assert [(s["level"], s["status"], s["opinion"]) for s in reviews["steps"]] == [
        ("system", "approved", "同意上报"), ("district", "returned", "请补充照片")]
    assert reviews["steps"][1]["remarks"] == {"model_home_checklist:item.5": "照片看不清"}
    draft = api.get(f"/drafts/{app.id}", world.staff).get_json()
    assert draft["remarks"]["model_home_checklist:item.5"][0]["text"] == "照片看不清"
    assert api.get(f"/applications/{app.id}/reviews", world.chair,
                   query_string={"version": 2}).status_code == 404


def test_a_return_past_its_deadline_reads_overdue_with_what_is_still_possible(api, world, config, api_app):
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    review.decide(app, world.system_admin, Decision.RETURN, "请补充照片", rectify_deadline=dt.date(2018, 5, 30),
                  today=IN_WINDOW)
    before = api.get(f"/applications/{app.id}", world.chair).get_json()
    assert (before["status_label"], before["rectify_overdue"], before["overdue_advice"]) == ("退回整改", False, "")
    api_app.config["API_NOW"] = dt.datetime(2018, 6, 1, 2, 0)  # two days after the 整改截止
    late = api.get(f"/applications/{app.id}", world.chair).get_json()
    assert late["status"] == "returned" and late["rectify_deadline"] == "2018-05-30"  # the fields stand
    assert late["status_label"] == "退回整改（已逾期）" and late["rectify_overdue"] is True
    assert late["overdue_advice"] == ("整改截止（2018年5月30日）已过，这份申报不能再修改或重新提交；"
                                      "可在下半年批次（2018年7月1日至2018年10月31日）重新申报示范职工之家。")
    assert not late["can_edit"] and not late["can_submit"]
    # Saving or submitting is refused with the same words (it said 填报期限已过（截止2018年5月30日）
    # while the round it was filed in was still open).
    for refused in (api.post(f"/applications/{app.id}/submit", world.chair),
                    api.patch(f"/drafts/{app.id}/answers", world.chair,
                              json={"answers": {"model_home_checklist:item.1": {"value": None, "revision": 1}}})):
        assert refused.status_code == 409 and refused.get_json()["error"]["message"] == late["overdue_advice"]
    draft = api.get(f"/drafts/{app.id}", world.chair).get_json()["application"]
    assert draft["rectify_overdue"] is True and draft["status_label"] == "退回整改（已逾期）"
    api_app.config["API_NOW"] = dt.datetime(2018, 7, 2, 2, 0)  # the next round is open
    listed = api.get("/applications", world.chair).get_json()["applications"]
    assert [a["overdue_advice"].split("；")[1] for a in listed if a["id"] == app.id] == [
        "现在可在下半年批次（2018年7月1日至2018年10月31日）重新申报示范职工之家。"]


def test_reviews_of_a_draft_never_submitted_say_so(api, world):
    app = model_home(world)
    assert api.get(f"/applications/{app.id}/reviews", world.chair).get_json()["steps"] == []
    asked = api.get(f"/applications/{app.id}/reviews", world.chair, query_string={"version": 1})
    assert asked.status_code == 404
    assert asked.get_json()["error"]["message"] == "这份申报还没有提交过，没有审核意见"


def test_withdrawing_a_resubmission_goes_back_to_the_return_it_answered(api, world, config, api_app):
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    review.decide(app, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
    review.decide(app, world.district_admin, Decision.RETURN, "请补充照片",
                  remarks={"model_home_checklist:item.5": "照片看不清"},
                  rectify_deadline=dt.date(2018, 5, 30), today=IN_WINDOW)
    assert api.post(f"/applications/{app.id}/submit", world.chair).get_json()["current_step"]["level"] == "district"
    # Sent too early: the chair takes it back to finish the 整改.
    withdrawn = api.post(f"/applications/{app.id}/withdraw", world.chair)
    assert withdrawn.status_code == 200
    body = withdrawn.get_json()
    assert body["status"] == "returned" and body["rectify_deadline"] == "2018-05-30"
    draft = api.get(f"/drafts/{app.id}", world.chair).get_json()
    assert draft["remarks"]["model_home_checklist:item.5"][0]["text"] == "照片看不清"
    # The 系统工会's approval still stands: the next submission goes straight back to the district.
    again = api.post(f"/applications/{app.id}/submit", world.chair).get_json()
    assert again["current_step"]["level"] == "district"
    steps = api.get(f"/applications/{app.id}/reviews", world.chair).get_json()["steps"]
    assert [(s["level"], s["status"]) for s in steps] == [("system", "approved"), ("district", "pending")]
    # After the 整改截止 a withdrawn resubmission could not be sent again: it stays with the district.
    api_app.config["API_NOW"] = dt.datetime(2018, 6, 2, 2, 0)
    late = api.post(f"/applications/{app.id}/withdraw", world.chair)
    assert late.status_code == 409 and "整改截止（2018年5月30日）已过" in late.get_json()["error"]["message"]


def test_a_double_tapped_submit_submits_once_and_refuses_the_rest_in_words(api, world, config):
    app = complete_model_home(world, config.storage_dir)
    token = api.token(world.chair)

    def tap(_):
        """One tap of 提交 from its own connection."""
        response = api.app.test_client().post(f"/api/v1/applications/{app.id}/submit",
                                              headers={"Authorization": f"Bearer {token}"})
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(tap, range(6)))
    assert sorted(status for status, _ in answers) == [200] + [409] * 5
    assert {body["error"]["message"] for status, body in answers if status == 409} == {
        "申报已提交，审核期间不能修改；如需修改请先撤回"}
    assert Submission.select().count() == 1 and ReviewStep.select().count() == 2


def test_lists_follow_roles_and_subtrees(api, world, config):
    own = model_home(world)
    other = drafts.start_or_resume(world.other_chair, world.other_unit, world.campaign,
                                   ApplicationKind.MODEL_HOME, today=IN_WINDOW)

    def ids(person, **query):
        """Ids of the applications `person` is shown."""
        listed = api.get("/applications", person, query_string=query).get_json()["applications"]
        return [a["id"] for a in listed]
    assert ids(world.chair) == [own.id] and ids(world.staff) == [own.id]
    assert ids(world.other_chair) == [other.id]
    assert ids(world.system_admin) == [own.id] and ids(world.other_system_admin) == [other.id]
    assert sorted(ids(world.district_admin)) == sorted([own.id, other.id])
    assert ids(world.district_admin, status="submitted") == []
    assert ids(world.branch_chair) == []


def small_home_draft(world):
    """A 小家 draft of the branch."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    return drafts.start_or_resume(world.branch_chair, world.branch, world.campaign,
                                  ApplicationKind.SMALL_HOME, today=IN_WINDOW)


def in_review(app):
    """`app` submitted (chain built) without filling the whole form."""
    app.status, app.version, app.submitted_at = AppStatus.SUBMITTED, 1, dt.datetime(2018, 5, 10)
    app.save()
    review.build_chain(app, 1)
    return app


def small_home_in_review(world):
    """A 小家 application of the branch, submitted (chain built) without filling the whole form."""
    return in_review(small_home_draft(world))


def test_the_grassroots_chair_sees_its_small_home_once_in_review(api, world):
    app = small_home_in_review(world)
    listed = api.get("/applications", world.chair).get_json()["applications"]
    assert [a["id"] for a in listed] == [app.id]
    assert listed[0]["can_edit"] is False and listed[0]["current_step"]["level"] == "base_union"
    assert api.get(f"/drafts/{app.id}", world.chair).status_code == 200
    assert api.get(f"/drafts/{app.id}", world.other_chair).status_code == 404


def test_stamped_pages_then_paper_step(api, world, config):
    app = small_home_in_review(world)
    early = upload(api, app.id, world.branch_chair, pdf_bytes(), "stamped:unit_paper", "stamp.pdf")
    assert early.status_code == 409 and "不需要上传盖章页" in early.get_json()["error"]["message"]
    review.decide(app, world.chair, Decision.APPROVE, "同意", today=IN_WINDOW)
    not_yet = api.post(f"/applications/{app.id}/paper-step", world.branch_chair)
    assert not_yet.status_code == 409 and "盖章扫描件" in not_yet.get_json()["error"]["message"]
    for slot in ("stamped:whatever", "stamped:district"):
        unknown = upload(api, app.id, world.branch_chair, pdf_bytes(), slot, "stamp.pdf")
        assert unknown.status_code == 422 and unknown.get_json()["error"]["fields"] == {
            slot: "这份申报没有这个盖章页位置"}
    stamped = upload(api, app.id, world.branch_chair, pdf_bytes(2), "stamped:unit_paper", "stamp.pdf")
    assert stamped.status_code == 201 and stamped.get_json()["file"]["kind"] == "pdf"
    done = api.post(f"/applications/{app.id}/paper-step", world.branch_chair).get_json()
    assert done["current_step"]["level"] == "system"


def test_a_wrong_stamped_scan_is_removed_while_the_paper_step_waits(api, world):
    app = small_home_in_review(world)
    review.decide(app, world.chair, Decision.APPROVE, "同意", today=IN_WINDOW)
    wrong = upload(api, app.id, world.branch_chair, pdf_bytes(), "stamped:unit_paper", "wrong.pdf").get_json()
    removed = api.delete(f"/drafts/{app.id}/evidence/{wrong['file']['id']}?slot=stamped:unit_paper",
                         world.branch_chair)
    assert removed.status_code == 200 and removed.get_json()["slots"] == {"stamped:unit_paper": 0}
    not_yet = api.post(f"/applications/{app.id}/paper-step", world.branch_chair)
    assert not_yet.status_code == 409 and "盖章扫描件" in not_yet.get_json()["error"]["message"]
    right = upload(api, app.id, world.branch_chair, pdf_bytes(2), "stamped:unit_paper", "right.pdf").get_json()
    assert api.post(f"/applications/{app.id}/paper-step", world.branch_chair).status_code == 200
    # Once the step is done the scan is part of the chain: it stays.
    late = api.delete(f"/drafts/{app.id}/evidence/{right['file']['id']}", world.branch_chair)
    assert late.status_code == 409


def test_a_file_the_stamped_pages_keep_is_removed_from_nowhere_else_either(api, world):
    """The same scan as the 会员评家报告 and, once submitted, as the stamped pages; after a return
    the report may change but the stamped pages may not: removing it everywhere removes nothing."""
    app = small_home_draft(world)
    scan = pdf_bytes(2)
    file_id = upload(api, app.id, world.branch_chair, scan, "report", "报告.pdf").get_json()["file"]["id"]
    review.decide(in_review(app), world.chair, Decision.APPROVE, "同意", today=IN_WINDOW)
    assert upload(api, app.id, world.branch_chair, scan, "stamped:unit_paper", "stamp.pdf").status_code == 201
    assert api.post(f"/applications/{app.id}/paper-step", world.branch_chair).status_code == 200
    review.decide(app, world.system_admin, Decision.RETURN, "请补充会员评家报告",
                  rectify_deadline=IN_WINDOW + dt.timedelta(days=20), today=IN_WINDOW)
    everywhere = api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.branch_chair)
    assert everywhere.status_code == 409
    slots = api.get(f"/drafts/{app.id}/evidence", world.branch_chair).get_json()["slots"]
    assert {slot: [f["id"] for f in files] for slot, files in slots.items()} == {
        "report": [file_id], "stamped:unit_paper": [file_id]}  # it came off the report before
    error = everywhere.get_json()["error"]
    assert error["message"] == ("这个文件也用于本单位盖章页，那里现在不能移除（当前不需要上传盖章页），"
                                "所以哪里都没有移除。要只从某一项去掉，请在那一项下删除")
    assert list(error["fields"]) == ["stamped:unit_paper"]
    from_report = api.delete(f"/drafts/{app.id}/evidence/{file_id}", world.branch_chair,
                             query_string={"slot": "report"})
    assert from_report.status_code == 200 and from_report.get_json() == {"slots": {"report": 0}}


def test_packet_is_404_until_the_packet_job_made_one(api, world, config):
    app = complete_model_home(world, config.storage_dir)
    response = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert response.status_code == 404
    # Never submitted, none is coming: it said 请稍后再试.
    assert response.get_json()["error"]["message"] == "申报提交后才会生成材料包，请先填完并提交"
    api.post(f"/applications/{app.id}/submit", world.chair)
    making = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert making.get_json()["error"]["message"] == "第1版材料包生成中，请稍后再试"
    packet = Packet.get(application=app)  # the submit asked the packet job for it
    assert packet.version == 1 and packet.status == PacketStatus.QUEUED
    packet.folder = "packets/test"
    packet.status = PacketStatus.DONE
    packet.save()
    packet_file = packet_jobs.packet_path(config, packet)
    packet_file.parent.mkdir(parents=True)
    packet_file.write_bytes(pdf_bytes())
    served = api.get(f"/applications/{app.id}/packet.pdf", world.staff)
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.data.startswith(b"%PDF-")
    assert api.get(f"/applications/{app.id}/packet.pdf", world.other_chair).status_code == 404


def _finish(config, packet, data):
    """Mark a packet row done with its PDF in place (the packet job's outcome)."""
    packet.folder, packet.status = f"packets/test-v{packet.version}", PacketStatus.DONE
    packet.save()
    packet_jobs.packet_path(config, packet).parent.mkdir(parents=True)
    packet_jobs.packet_path(config, packet).write_bytes(data)


def test_after_a_resubmission_the_previous_versions_packet_is_not_served_as_the_current_one(api, world, config):
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    first = pdf_bytes(1)
    _finish(config, Packet.get(application=app), first)
    review.decide(app, world.system_admin, Decision.RETURN, "请补充照片", rectify_deadline=dt.date(2018, 5, 30),
                  today=IN_WINDOW)
    assert api.get(f"/applications/{app.id}/packet.pdf", world.chair).data == first  # still 第1版 in 整改
    assert api.post(f"/applications/{app.id}/submit", world.chair).status_code == 200
    # 第2版 is being made: the unit must not print and stamp 第1版 meanwhile.
    making = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert making.status_code == 404
    assert making.get_json()["error"]["message"] == "第2版材料包生成中，请稍后再试"
    second = pdf_bytes(2)
    _finish(config, Packet.get(application=app, version=2), second)
    served = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert served.status_code == 200 and served.data == second


def test_a_packet_of_an_older_layout_is_served_with_a_note_and_compiled_again(api, world, config, redis_client,
                                                                             monkeypatch):
    from urllib.parse import unquote
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    packet = Packet.get(application=app)
    packet.folder, packet.status = "packets/test", PacketStatus.DONE
    packet.save()
    packet_jobs.packet_path(config, packet).parent.mkdir(parents=True)
    packet_jobs.packet_path(config, packet).write_bytes(pdf_bytes())
    current = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert current.status_code == 200 and "X-Packet-Note" not in current.headers
    monkeypatch.setattr(packet_jobs, "PACKET_LAYOUT", packet.layout + 1)
    served = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert served.status_code == 200 and served.data == current.data
    assert unquote(served.headers["X-Packet-Note"]).startswith("材料包的版式已更新")
    newer = Packet.get(Packet.application == app, Packet.layout == packet.layout + 1)
    assert newer.version == 1 and newer.status == PacketStatus.QUEUED


def test_a_failed_packet_tells_the_chair_why_instead_of_asking_to_wait(api, world, config):
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    packet = Packet.get(application=app)
    packet.status, packet.detail = PacketStatus.FAILED, "第1版生成失败：服务器磁盘已满，文件写不进去。系统会自动重试，多次失败请联系系统管理员"
    packet.save()
    response = api.get(f"/applications/{app.id}/packet.pdf", world.chair)
    assert response.status_code == 404 and response.get_json()["error"]["message"] == packet.detail


def test_a_packet_whose_retries_ran_out_is_tried_again_when_the_chair_asks_for_it(api, world, config, redis_client):
    """The sweep gives up after eight runs; the message promises a retry, so asking makes one."""
    from workers.queues import queue
    app = complete_model_home(world, config.storage_dir)
    api.post(f"/applications/{app.id}/submit", world.chair)
    packet = Packet.get(application=app)
    queue(redis_client).fetch_job(packet.job_id).delete()  # long gone
    packet.status, packet.attempts, packet.detail = PacketStatus.FAILED, packet_jobs.MAX_ATTEMPTS, "第1版生成失败：…"
    packet.save()
    assert api.get(f"/applications/{app.id}/packet.pdf", world.chair).status_code == 404
    assert packet.job_id in queue(redis_client).job_ids
