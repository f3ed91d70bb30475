"""Submitting, withdrawing and the review chain for every kind of subject."""
import datetime as dt

import pytest

from miniapp_backend.models import (
    Application, ApplicationKind, AppStatus, AuditLog, Decision, HonourKind, Notice, Station, StationStatus, StatusEvent, StepStatus,
    Submission)
from miniapp_backend.services import drafts, eligibility, evidence, review, submissions
from miniapp_backend.services.errors import Incomplete, InvalidState, NotEligible, PermissionDenied, ValidationFailed
from miniapp_backend.services.progress import progress
from miniapp_backend.storage import FileStore
from tests.factories import IN_WINDOW, make_qualified, station_for

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def fill_checklist(app, person, store, template):
    """Answer every item 是 with one shared photo."""
    photo = evidence.store(store, PNG, "photo", "image/png")
    for item in template.items:
        key = f"{template.code}:{item.key}"
        drafts.write_answer(app, person, key, {"done": True}, today=IN_WINDOW)
        evidence.attach(app, person, key, photo, today=IN_WINDOW)


def model_home(world, tmp_path, org=None, chair=None):
    app = drafts.start_or_resume(chair or world.chair, org or world.unit, world.campaign,
                                 ApplicationKind.MODEL_HOME, today=IN_WINDOW)
    fill_checklist(app, chair or world.chair, FileStore(tmp_path), drafts.templates(app)[0])
    return app


def test_missing_list_is_exact_and_photo_needed_for_yes(world, tmp_path):
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                 today=IN_WINDOW)
    drafts.write_answer(app, world.chair, "model_home_checklist:item.1", {"done": True}, today=IN_WINDOW)
    drafts.write_answer(app, world.chair, "model_home_checklist:item.2", {"done": False}, today=IN_WINDOW)
    state = progress(app)
    assert (state.items_total, state.items_answered) == (21, 2)
    assert [m.item_no for m in state.missing_of("photo")] == [1]
    assert [m.item_no for m in state.missing_of("item")] == list(range(3, 22))
    with pytest.raises(Incomplete) as err:
        submissions.submit(app, world.chair, today=IN_WINDOW)
    assert len(err.value.details["missing"]) == 20


def test_only_the_chair_submits_and_snapshot_is_frozen(world, tmp_path):
    app = model_home(world, tmp_path)
    with pytest.raises(PermissionDenied):
        submissions.submit(app, world.staff, today=IN_WINDOW)
    app = submissions.submit(app, world.chair, today=IN_WINDOW)
    assert app.status == AppStatus.SUBMITTED and app.version == 1
    snap = Submission.get(application=app, version=1).snapshot
    assert snap["answers"]["model_home_checklist:item.21"] == {"done": True, "note": ""}
    assert len(snap["evidence"]["model_home_checklist:item.3"]) == 1
    with pytest.raises(InvalidState):
        drafts.write_answer(app, world.chair, "model_home_checklist:item.1", {"done": False}, today=IN_WINDOW)


def test_chain_system_then_district_and_withdraw_until_a_reviewer_acts(world, tmp_path):
    app = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    steps = review.steps_of(app)
    assert [(s.level, s.org_id, s.status) for s in steps] == [
        ("system", world.system.id, StepStatus.PENDING), ("district", world.district.id, StepStatus.WAITING)]
    app = submissions.withdraw(app, world.chair, today=IN_WINDOW)
    assert app.status == AppStatus.DRAFT
    app = submissions.submit(app, world.chair, today=IN_WINDOW)
    assert app.version == 2
    with pytest.raises(PermissionDenied):
        review.decide(app, world.other_system_admin, Decision.APPROVE, "同意")
    with pytest.raises(PermissionDenied):
        review.decide(app, world.district_admin, Decision.APPROVE, "越级")
    review.decide(app, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
    with pytest.raises(InvalidState):
        submissions.withdraw(app, world.chair, today=IN_WINDOW)
    app = review.decide(app, world.district_admin, Decision.APPROVE, "验收合格", today=IN_WINDOW)
    assert app.status == AppStatus.APPROVED
    with pytest.raises(InvalidState, match="申报已审核完毕，不能再修改"):
        drafts.write_answer(app, world.chair, "model_home_checklist:item.5", {"done": False}, today=IN_WINDOW)
    statuses = [e.to_status for e in StatusEvent.select().where(StatusEvent.application == app).order_by(StatusEvent.id)]
    assert statuses == ["draft", "submitted", "draft", "submitted", "approved"]
    # Chair and staff are told of each decision, once each.
    assert Notice.select().where(Notice.kind == "status_changed").count() == 4


def test_direct_unit_skips_the_system_union(world, tmp_path):
    app = model_home(world, tmp_path, world.direct_unit, world.direct_chair)
    app = submissions.submit(app, world.direct_chair, today=IN_WINDOW)
    assert [s.level for s in review.steps_of(app)] == ["district"]


def test_return_with_remarks_reopens_until_the_rectify_date_and_resumes_at_that_step(world, tmp_path):
    app = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    review.decide(app, world.system_admin, Decision.APPROVE, "同意", today=IN_WINDOW)
    with pytest.raises(ValidationFailed):
        review.decide(app, world.district_admin, Decision.RETURN, "补照片", today=IN_WINDOW)
    late = dt.date(2018, 7, 15)  # after the round closed
    with pytest.raises(ValidationFailed, match="须设定明天或以后的整改截止日期"):  # not the same day
        review.decide(app, world.district_admin, Decision.RETURN, "补照片", rectify_deadline=late, today=late)
    with pytest.raises(ValidationFailed, match="整改期限最长90天：整改截止不能晚于2018年10月13日"):
        review.decide(app, world.district_admin, Decision.RETURN, "补照片", rectify_deadline=dt.date(2030, 1, 1),
                      today=late)
    app = review.decide(app, world.district_admin, Decision.RETURN, "",
                        remarks={"model_home_checklist:item.5": "照片看不清"},
                        rectify_deadline=dt.date(2018, 7, 20), today=late)
    assert app.status == AppStatus.RETURNED and app.rectify_deadline == dt.date(2018, 7, 20)
    # The chair's notice names the item as the printed form does, not by its answer key.
    told = Notice.select().where(Notice.kind == "status_changed").order_by(Notice.id.desc()).first()
    assert "逐项意见：第5项：照片看不清" in told.payload["text"] and "item." not in told.payload["text"]
    # Who returned it, by name: the printed box's label serves both review levels.
    assert told.payload["text"].startswith(f"【2018年示范职工之家】{world.district.full_name}：")
    drafts.write_answer(app, world.chair, "model_home_checklist:item.5", {"done": True, "note": "已补拍"},
                        today=late)
    app = submissions.submit(app, world.chair, today=late)
    steps = review.steps_of(app)
    assert [(s.level, s.status) for s in steps] == [("system", StepStatus.APPROVED), ("district", StepStatus.PENDING)]
    with pytest.raises(InvalidState):
        drafts.write_answer(app, world.chair, "model_home_checklist:item.5", {"done": True},
                            today=dt.date(2018, 7, 21))


def test_an_approved_warm_station_opens_its_station(world, tmp_path):
    """A station is 建设中 until its 暖心驿站 application passes 验收; rejection leaves it so."""
    built, refused = station_for(world.unit), station_for(world.unit, name="良乡示例第二驿站")
    assert built.status == StationStatus.PLANNED
    decided = []
    for station, last in ((built, Decision.APPROVE), (refused, Decision.REJECT)):
        app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                                     station=station, today=IN_WINDOW)
        fill_checklist(app, world.chair, FileStore(tmp_path), drafts.templates(app)[0])
        app = submissions.submit(app, world.chair, today=IN_WINDOW)
        review.decide(app, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
        decided.append(review.decide(app, world.district_admin, last, "验收意见", today=IN_WINDOW))
    assert [a.status for a in decided] == [AppStatus.APPROVED, AppStatus.REJECTED]
    assert Station.get_by_id(built.id).status == StationStatus.ACTIVE
    assert Station.get_by_id(refused.id).status == StationStatus.PLANNED
    # Opening it is audited like every other change of a station: by whom, from what to what.
    audited = AuditLog.select().where(AuditLog.object_type == "station").order_by(AuditLog.id)
    assert [(a.action, a.object_id, a.actor_id, a.detail) for a in audited] == [
        ("station.change", built.id, world.district_admin.id, {"status": {"from": "planned", "to": "active"}})]


def test_small_home_chain_has_base_union_and_paper_step(world, tmp_path):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    app = drafts.start_or_resume(world.branch_chair, world.branch, world.campaign,
                                 ApplicationKind.SMALL_HOME, today=IN_WINDOW)
    template = drafts.templates(app)[0]
    state = progress(app)
    assert any(m.kind == "material" for m in state.missing)
    levels = [f.key for f in template.fields()]
    assert "main_deeds" in levels
    store = FileStore(tmp_path)
    review.build_chain(app, 99)
    steps = review.steps_of(app, 99)
    assert [(s.level, s.org_id) for s in steps] == [
        ("base_union", world.unit.id), ("unit_paper", world.branch.id),
        ("system", world.system.id), ("district", world.district.id)]
    assert steps[0].label == "基层工会委员会意见"
    assert store is not None


def test_reject_needs_a_reason_and_is_final(world, tmp_path):
    app = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    with pytest.raises(ValidationFailed):
        review.decide(app, world.system_admin, Decision.REJECT, " ")
    app = review.decide(app, world.system_admin, Decision.REJECT, "材料不实", today=IN_WINDOW)
    assert app.status == AppStatus.REJECTED
    with pytest.raises(InvalidState):
        review.decide(app, world.district_admin, Decision.APPROVE, "同意")


def test_answer_place_names_items_fields_and_nothing_internal(world, tmp_path):
    app = model_home(world, tmp_path)
    assert drafts.answer_place(app, "model_home_checklist:item.12") == "第12项"
    template = drafts.templates(app)[0]
    field = template.fields()[0]
    assert drafts.answer_place(app, f"{template.code}:{field.key}") == field.label
    for unknown in ("model_home_checklist:item.99", "other_form:item.1", "nonsense", "model_home_checklist:nope"):
        assert drafts.answer_place(app, unknown) == "其他"


def test_no_withdrawal_once_the_round_has_closed(world, tmp_path):
    """A draft after the deadline could never be submitted again: withdrawing is refused."""
    app = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    closed = app.round.closes_on + dt.timedelta(days=1)
    with pytest.raises(InvalidState, match="撤回后无法重新提交"):
        submissions.withdraw(app, world.chair, today=closed)
    assert Application.get_by_id(app.id).status == AppStatus.SUBMITTED
    assert submissions.withdraw(app, world.chair, today=app.round.closes_on).status == AppStatus.DRAFT


def test_one_application_of_a_kind_a_year_while_it_stands(world, tmp_path):
    """下半年 offers no second 示范职工之家 while the 上半年 one is in review (or passed)."""
    first = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    second_half = dt.date(2018, 7, 2)
    option = next(o for o in eligibility.options_for(world.unit, world.campaign, second_half)
                  if o.spec.kind == ApplicationKind.MODEL_HOME)
    assert option.reasons == ["本年度上半年的示范职工之家申报正在审核，同一年度不能重复申报"]
    with pytest.raises(NotEligible):
        drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                               today=second_half)
    review.decide(first, world.system_admin, Decision.REJECT, "材料不实", today=IN_WINDOW)
    # A rejected one stands no longer: the unit may try again in the next round.
    again = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                   today=second_half)
    assert again.id != first.id and again.round.name == "下半年"


def test_a_unit_whose_qualified_title_was_revoked_cannot_submit_its_district_home(world):
    # 区级先进 is open to 合格职工之家 only: a draft started while the title stood is not enough.
    qualified = make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    eligibility.revoke(qualified, world.system_admin, "复查发现职工之家已停用")
    # The chair remembers holding it: the refusal says it was revoked, and why.
    with pytest.raises(NotEligible, match="本单位的“合格职工之家”称号已被撤销（复查发现职工之家已停用），需重新经会员代表大会决定"):
        submissions.submit(app, world.chair, today=IN_WINDOW)
    assert Application.get_by_id(app.id).status == AppStatus.DRAFT


def test_a_return_whose_rectify_date_passed_no_longer_holds_the_next_round(world, tmp_path):
    """Once its 整改截止 has passed, a return can no longer be rectified: it is not '正在退回整改'
    and does not keep the unit out of the 下半年 round."""
    first = submissions.submit(model_home(world, tmp_path), world.chair, today=IN_WINDOW)
    review.decide(first, world.system_admin, Decision.RETURN, "请补充照片", rectify_deadline=dt.date(2018, 7, 5),
                  today=IN_WINDOW)

    def reasons(today):
        """Why the unit may not file a 示范职工之家 on `today`."""
        return next(o for o in eligibility.options_for(world.unit, world.campaign, today)
                    if o.spec.kind == ApplicationKind.MODEL_HOME).reasons
    assert reasons(dt.date(2018, 7, 5)) == ["本年度上半年的示范职工之家申报正在退回整改，同一年度不能重复申报"]
    assert reasons(dt.date(2018, 7, 6)) == []
    again = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                   today=dt.date(2018, 7, 6))
    assert again.id != first.id and again.round.name == "下半年"


def test_each_step_of_a_small_homes_chain_is_decided_by_its_own_level_only(world):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    app = drafts.start_or_resume(world.branch_chair, world.branch, world.campaign,
                                 ApplicationKind.SMALL_HOME, today=IN_WINDOW)
    app.status, app.version = AppStatus.SUBMITTED, 1
    app.save()
    review.build_chain(app, 1)
    for outsider in (world.system_admin, world.district_admin, world.branch_chair):
        with pytest.raises(PermissionDenied, match=f"由{world.unit.full_name}的工会主席审核"):
            review.decide(app, outsider, Decision.APPROVE, "同意", today=IN_WINDOW)
    app = review.decide(app, world.chair, Decision.APPROVE, "同意", today=IN_WINDOW)  # the 基层工会's own chair
    assert review.current_step(app).level == "unit_paper"
