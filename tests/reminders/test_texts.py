"""What a reminder tells a chair: which paper lacks what, what a reviewer asked for, whom to ask."""
import datetime as dt

from miniapp_backend.models import ApplicationKind, Channel, Decision, FileKind, Identity, Notice
from miniapp_backend.services import channel_state, drafts, evidence, notifications, review, submissions
from miniapp_backend.services.reminders import planner
from miniapp_backend.storage import FileStore
from tests.factories import make_qualified, station_for
from tests.reminders.conftest import align_stamps, write_due
from tests.reminders.filing import PDF, file_complete, fill

D = dt.date
CONTACT = "申报事宜请联系区总工会组宣部（邮箱 ghzxb123@163.com）。"


def reminder(kind, person):
    """The text of `person`'s one reminder about `kind`."""
    return Notice.get(Notice.key.startswith(f"remind:{kind}:") & Notice.key.endswith(f":p{person.id}")).payload


def test_a_unit_that_has_not_started_is_told_to_start_and_whom_to_ask(world, clock):
    write_due(clock.at(D(2018, 6, 16)))
    assert reminder("new_union_home", world.chair)["text"] == (
        "【2018年百人以上新建会企业职工之家】申报将于2018年6月30日截止（还有14天）。\n"
        "北京良乡示例科技有限公司工会委员会：尚未开始填报。\n"
        "开始填报：在公众号发送“申报”，或打开小程序的“我的申报”页面。\n" + CONTACT)


def test_a_draft_of_several_forms_names_the_form_that_lacks_each_thing(world, clock):
    make_qualified(world.unit)
    clock.at(D(2018, 9, 1), 10, 0)
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME, today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 9, 27)))
    parts = reminder("district_home", world.chair)
    state_line = parts["text"].splitlines()[1]
    assert state_line.startswith("北京良乡示例科技有限公司工会委员会：《房山区先进职工之家登记表》还差")
    assert "；《2018年区级先进年职工之家验收单》还差14项未填；还差会员评家报告（PDF）。" in state_line
    assert parts["detail"].startswith("还差14项未填")  # the template keyword stays short


def test_a_returned_application_is_told_what_the_reviewer_asked_and_whom_to_ask(world, clock, tmp_path):
    clock.at(D(2018, 7, 10), 10, 0)
    app = file_complete(world, world.chair, world.unit, ApplicationKind.NEW_UNION_HOME, FileStore(tmp_path),
                        clock.today)
    review.decide(app, world.system_admin, Decision.RETURN, "照片不清晰",
                  remarks={"new_union_home_checklist:item.3": "请补拍服务卡办理现场"},
                  rectify_deadline=D(2018, 7, 20), today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 7, 13)))
    parts = reminder("new_union_home", world.chair)
    assert parts["text"] == (
        "【2018年百人以上新建会企业职工之家】退回整改的申报须于2018年7月20日前修改后重新提交（还有7天）。\n"
        "退回单位：房山区良乡镇总工会\n"
        "意见：照片不清晰\n"
        "逐项意见：第3项：请补拍服务卡办理现场\n"
        "北京良乡示例科技有限公司工会委员会：请按审核意见修改后重新提交。\n"
        "继续填报：在公众号发送“申报”，或打开小程序的“我的申报”页面。\n"
        "如有疑问请联系房山区良乡镇总工会。")
    assert parts["detail"] == "请按审核意见修改"
    returned = Notice.get(Notice.kind == "status_changed", Notice.person == world.chair).payload["text"]
    assert returned.endswith("请于2018年7月20日前修改后重新提交（发送“申报”继续）。")  # the same date form


def test_a_submission_waiting_for_its_stamped_pages_is_reminded_until_they_are_uploaded(world, clock, tmp_path):
    make_qualified(world.unit)
    store = FileStore(tmp_path)
    clock.at(D(2018, 9, 20), 10, 0)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=clock.today)
    app = submissions.submit(fill(app, world.chair, store, clock.today), world.chair, today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 9, 23)))
    assert reminder("district_home", world.chair)["text"] == (
        "【2018年区级先进职工之家】申报将于2018年9月30日截止（还有7天）。\n"
        "北京良乡示例科技有限公司工会委员会：已提交，还差“同级行政意见、同级党委意见（盖章页上传）”：请打印申报材料（小程序“申报详情”中的PDF），"
        "签署意见并盖章后上传扫描件，审核才会开始。\n"
        "上传盖章页：打开小程序的“我的申报”页面，进入这份申报。\n" + CONTACT)
    stamped = evidence.store(store, PDF + b"stamped", FileKind.PDF, "application/pdf")
    evidence.attach(app, world.chair, "stamped:unit_paper", stamped)
    review.complete_paper_step(app, world.chair)
    later = write_due(clock.at(D(2018, 9, 27)))
    assert not [i for i in later if Notice.get_by_id(i).kind == "reminder"], "in review: nothing more to do"


def test_the_district_digest_on_the_last_day_of_the_acceptance_period_says_it_ends_today(world, clock, tmp_path):
    make_qualified(world.direct_unit)
    clock.at(D(2018, 9, 20), 10, 0)
    file_complete(world, world.direct_chair, world.direct_unit, ApplicationKind.DISTRICT_HOME,
                  FileStore(tmp_path), clock.today)
    align_stamps(clock.now)
    for day, line in ((D(2018, 12, 30), "验收期还有1天结束。"), (D(2018, 12, 31), "验收期今天结束。")):
        write_due(clock.at(day))
        digest = Notice.get(Notice.key == f"digest:{day.isoformat()}:p{world.district_admin.id}")
        assert digest.payload["text"].splitlines()[-2] == line


def test_a_digest_sent_on_a_later_day_counts_the_acceptance_days_left_from_that_day(
        world, clock, messenger, tmp_path):
    make_qualified(world.direct_unit)
    clock.at(D(2018, 9, 20), 10, 0)
    file_complete(world, world.direct_chair, world.direct_unit, ApplicationKind.DISTRICT_HOME,
                  FileStore(tmp_path), clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 12, 30), 11, 55))
    digest = Notice.get(Notice.key == f"digest:2018-12-30:p{world.district_admin.id}")
    # Written before noon, sent the next day (WeChat busy until then): the period ends that day.
    sent = notifications.deliver(digest.id, messenger, today=D(2018, 12, 31))
    assert sent.payload["text"].splitlines()[-2] == "验收期今天结束。"


def test_an_approval_with_a_level_still_to_review_does_not_read_as_the_result(world, clock, tmp_path):
    clock.at(D(2018, 7, 3), 10, 0)
    app = file_complete(world, world.chair, world.unit, ApplicationKind.NEW_UNION_HOME, FileStore(tmp_path),
                        clock.today)
    review.decide(app, world.system_admin, Decision.APPROVE, "同意", today=clock.today)
    review.decide(app, world.district_admin, Decision.APPROVE, "同意", today=clock.today)
    told = [n.payload for n in Notice.select().where(Notice.kind == "status_changed", Notice.person == world.chair)
            .order_by(Notice.id)]
    assert [parts["status"] for parts in told] == ["本级通过", "已通过"]  # the template's one word
    assert told[0]["text"].splitlines()[-1] == "已转入下一审核环节。"
    assert told[1]["text"].splitlines()[-1] == "意见：同意"


def test_a_reviewers_digest_tells_a_units_stations_apart(world, clock, tmp_path):
    clock.at(D(2018, 5, 10), 10, 0)
    store = FileStore(tmp_path)
    for name in ("拱辰大街驿站", "西潞园驿站"):
        station = station_for(world.unit, name=name)
        app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                                     station=station, today=clock.today)
        app = submissions.submit(fill(app, world.chair, store, clock.today), world.chair, today=clock.today)
        if review.current_step(app).level == "unit_paper":
            evidence.attach(app, world.chair, "stamped:unit_paper",
                            evidence.store(store, PDF + name.encode(), FileKind.PDF, "application/pdf"))
            review.complete_paper_step(app, world.chair)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 5, 11), 9, 0))
    digest = Notice.get(Notice.kind == "review_digest").payload["text"].splitlines()
    assert f"1. {world.unit.full_name} 2018年职工暖心驿站·拱辰大街驿站（5月10日提交）" in digest
    assert f"2. {world.unit.full_name} 2018年职工暖心驿站·西潞园驿站（5月10日提交）" in digest


def test_a_chair_with_several_station_drafts_gets_one_reminder_listing_the_stations(world, clock, messenger,
                                                                                    control):
    """One notice per person, date and day: each would spend a subscribe grant or a 客服 message."""
    clock.at(D(2018, 5, 10), 10, 0)
    for name in ("拱辰大街驿站", "西潞园驿站", "长阳驿站"):
        drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                               station=station_for(world.unit, name=name), today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 6, 16)))
    write_due(clock.at(D(2018, 6, 16), 8, 15))  # the next run (or another scheduler) adds nothing
    rows = list(Notice.select().where(Notice.key.startswith("remind:warm_station:"),
                                      Notice.person == world.chair))
    assert len(rows) == 1
    lines = rows[0].payload["text"].splitlines()
    assert lines[0] == "【2018年职工暖心驿站】3份申报将于2018年6月30日截止（还有14天）。"
    assert [line.split("：")[0] for line in lines[1:4]] == ["1. 拱辰大街驿站", "2. 西潞园驿站", "3. 长阳驿站"]
    assert lines[4:] == ["继续填报：在公众号发送“申报”，或打开小程序的“我的申报”页面。", CONTACT]
    assert rows[0].payload["title"] == "2018年职工暖心驿站（3份）"
    channel_state.record_inbound(Channel.OFFICIAL, Identity.get(person=world.chair, channel=Channel.OFFICIAL).openid)
    notifications.deliver(rows[0].id, messenger)
    assert len(control.sent(kind="custom")) == 1  # one of the window's five


def test_a_units_stations_are_told_together_whatever_the_batch_size(world, clock, monkeypatch):
    monkeypatch.setattr(planner, "BATCH", 1)
    clock.at(D(2018, 5, 10), 10, 0)
    for name in ("拱辰大街驿站", "西潞园驿站"):
        drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                               station=station_for(world.unit, name=name), today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 6, 16)))
    assert reminder("warm_station", world.chair)["title"] == "2018年职工暖心驿站（2份）"
