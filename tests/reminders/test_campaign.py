"""A controllable clock drives the whole 2018 campaign: who gets what, when, exactly once."""
import datetime as dt

from miniapp_backend.models import Application, ApplicationKind, Decision, Notice, NoticeStatus, Person
from miniapp_backend.services import drafts, review, submissions
from miniapp_backend.storage import FileStore
from tests.factories import make_qualified
from tests.reminders.conftest import align_stamps, deliver_pending, write_due
from tests.reminders.filing import answer_items, file_complete

D = dt.date
UNIT_TIMELINE = [
    ("06-16", "new_union_home close T14"),
    ("06-23", "model_home close T7"), ("06-23", "new_union_home close T7"),
    ("06-27", "model_home close T3"), ("06-27", "new_union_home close T3"),
    ("06-29", "model_home close T1"), ("06-29", "new_union_home close T1"),
    ("07-10", "status_changed"),
    ("07-13", "new_union_home rectify T7"), ("07-17", "new_union_home rectify T3"),
    ("07-19", "status_changed"), ("07-25", "status_changed"),
    ("09-16", "district_home close T14"), ("09-23", "district_home close T7"),
    ("09-27", "district_home close T3"), ("09-29", "district_home close T1"),
]
NEW_UNION_BOTH_ROUNDS = [
    ("06-16", "new_union_home close T14"), ("06-23", "new_union_home close T7"),
    ("06-27", "new_union_home close T3"), ("06-29", "new_union_home close T1"),
    ("10-17", "new_union_home close T14"), ("10-24", "new_union_home close T7"),
    ("10-28", "new_union_home close T3"), ("10-30", "new_union_home close T1"),
]


def days(first, last):
    """Every date from `first` to `last`, inclusive."""
    while first <= last:
        yield first
        first += dt.timedelta(days=1)


def digests(first, last):
    """A daily digest on each day from `first` to `last`."""
    return [(f"{day:%m-%d}", "review_digest") for day in days(first, last)]


def label(notice):
    """“new_union_home rectify T7” for a reminder, the kind for anything else."""
    if notice.kind != "reminder":
        return notice.kind
    _, kind, date_kind, _, offset, _ = notice.key.split(":")
    return f"{kind} {date_kind} {offset}"


def scenario(world, store):
    """What people do on which local day (at 10:00)."""
    state = {}

    def start_model_home(today):
        """The unit starts a 示范职工之家 draft: item 1 是 (no photo yet), item 2 否."""
        app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                     today=today)
        drafts.write_answer(app, world.chair, "model_home_checklist:item.1", {"done": True}, today=today)
        drafts.write_answer(app, world.chair, "model_home_checklist:item.2", {"done": False}, today=today)

    def file_new_union_home(today):
        """The unit files its 新建会 home, complete."""
        state["nuh"] = file_complete(world, world.chair, world.unit, ApplicationKind.NEW_UNION_HOME, store, today)

    def system_returns(today):
        """The 系统工会 returns it with a 整改截止 of 07-20."""
        review.decide(state["nuh"], world.system_admin, Decision.RETURN, "照片不清晰",
                      rectify_deadline=D(2018, 7, 20), today=today)

    def resubmit(today):
        """The chair fixes a photo and submits again."""
        app = Application.get_by_id(state["nuh"].id)
        answer_items(app, world.chair, store, today, count=1)
        submissions.submit(app, world.chair, today=today)

    def decide(person, key):
        """An approval by `person` of the application filed under `key`."""
        return lambda today: review.decide(state[key], person, Decision.APPROVE, "同意", today=today)

    def file_district_home(today):
        """The 直属 unit files 区级先进职工之家 and uploads its stamped pages."""
        state["dh"] = file_complete(world, world.direct_chair, world.direct_unit,
                                    ApplicationKind.DISTRICT_HOME, store, today)

    return {D(2018, 6, 20): start_model_home, D(2018, 7, 3): file_new_union_home,
            D(2018, 7, 10): system_returns, D(2018, 7, 18): resubmit,
            D(2018, 7, 19): decide(world.system_admin, "nuh"), D(2018, 7, 25): decide(world.district_admin, "nuh"),
            D(2018, 9, 20): file_district_home, D(2018, 10, 8): decide(world.district_admin, "dh")}


def test_the_2018_campaign_reminds_each_person_on_the_right_days_once(world, clock, messenger, control, tmp_path):
    make_qualified(world.unit)
    make_qualified(world.direct_unit)
    events = scenario(world, FileStore(tmp_path))
    when = {}
    for day in days(D(2018, 4, 12), D(2018, 12, 31)):
        write_due(clock.at(day, 8, 5))
        if day in events:
            clock.at(day, 10, 0)
            events[day](day)
            align_stamps(clock.now)
        write_due(clock.at(day, 16, 0))
        assert write_due(clock.at(day, 22, 30)) == [], "nothing is written in quiet hours"
        deliver_pending(messenger)
        for notice in Notice.select().where(Notice.id.not_in(list(when) or [0])):
            when[notice.id] = f"{day:%m-%d}"
    timeline = {}
    for notice in Notice.select().order_by(Notice.id):
        name = Person.get_by_id(notice.person_id).name
        timeline.setdefault(name, []).append((when[notice.id], label(notice)))
    timeline = {name: sorted(entries) for name, entries in timeline.items()}
    assert timeline == {
        "王建国": UNIT_TIMELINE, "李芳": UNIT_TIMELINE,
        "孙丽": sorted(NEW_UNION_BOTH_ROUNDS + [("09-16", "district_home close T14"),
                                                ("10-08", "status_changed")]),
        "周敏": NEW_UNION_BOTH_ROUNDS,
        "钱进": digests(D(2018, 7, 4), D(2018, 7, 10)) + [("07-19", "review_digest")],
        "郑红": digests(D(2018, 7, 20), D(2018, 7, 25)) + digests(D(2018, 10, 1), D(2018, 10, 8)),
    }
    assert {n.status for n in Notice.select()} == {NoticeStatus.SENT}
    assert len(control.sent()) == Notice.select().count(), "one message per ledger row, none twice"


def test_a_reminder_says_what_is_missing_and_how_to_continue(world, clock, messenger, control):
    clock.at(D(2018, 6, 20), 10, 0)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                 today=clock.today)
    drafts.write_answer(app, world.chair, "model_home_checklist:item.1", {"done": True}, today=clock.today)
    drafts.write_answer(app, world.chair, "model_home_checklist:item.2", {"done": False}, today=clock.today)
    align_stamps(clock.now)
    write_due(clock.at(D(2018, 6, 27)))
    notice = Notice.get(Notice.key.startswith("remind:model_home:") & Notice.key.endswith(f":p{world.chair.id}"))
    assert notice.payload["text"] == (
        "【2018年示范职工之家】申报将于2018年6月30日截止（还有3天）。\n"
        "北京良乡示例科技有限公司工会委员会：《2018年示范职工之家验收单》还差19项未填、1张照片。\n"
        "继续填报：在公众号发送“申报”，或打开小程序的“我的申报”页面。\n"
        "申报事宜请联系区总工会组宣部（邮箱 ghzxb123@163.com）。")
    assert notice.payload["page"] == f"pages/application/detail?id={app.id}"
    deliver_pending(messenger)
    data = control.sent(openid="o-王建国", kind="template")[0]["payload"]["data"]
    assert data["thing2"]["value"] == "还差19项未填、1张照片"
