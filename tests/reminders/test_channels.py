"""Reminders through WeChat's channels, driven by the stand-in's faults: window, quota, refusals, grants."""
import datetime as dt

import pytest

from miniapp_backend.models import (
    ApplicationKind, Channel, ChannelState, Identity, Notice, NoticeStatus)
from miniapp_backend.services import channel_state, drafts, notice_inbox, notifications, people, reminders
from miniapp_backend.services.reminders import reach
from tests.factories import make_qualified, station_for
from tests.reminders.conftest import align_stamps, deliver_pending, write_due

D = dt.date
OFFSET_DAYS = {"T14": D(2018, 9, 16), "T7": D(2018, 9, 23), "T3": D(2018, 9, 27), "T1": D(2018, 9, 29)}
CUSTOM, TEMPLATE, SUBSCRIBE = "cgi-bin/message/custom/send", "cgi-bin/message/template/send", \
    "cgi-bin/message/subscribe/send"


@pytest.fixture
def chair(world):
    """The unit's chair (expected to file 区级先进职工之家 only), also in the mini-program."""
    make_qualified(world.unit)
    # Founded long ago: not a 新建会 union, so 09-30 is the chair's only date.
    world.unit.founded_on = D(2010, 1, 1)
    world.unit.save()
    code = people.create_link_code(world.chair, Channel.OFFICIAL)
    return people.redeem_link_code(people.person_for(Channel.MINIAPP, "m-chair"), Channel.MINIAPP, code.code)


def grant(count):
    """The chair taps “allow” on the reminder template `count` times."""
    template_id = notifications.templates()["miniapp_subscribe"]["reminder"]["template_id"]
    identity = Identity.get(channel=Channel.MINIAPP, openid="m-chair")
    for _ in range(count):
        channel_state.record_grants(identity, {template_id: "accept"})


def run_offsets(clock, messenger, verified, offsets=("T14", "T7", "T3", "T1")):
    """Run the job on each offset's day and deliver; return the chair's rows by offset."""
    for offset in offsets:
        write_due(clock.at(OFFSET_DAYS[offset]), verified)
        deliver_pending(messenger, verified)
    rows = Notice.select().where(Notice.key.startswith("remind:"), Notice.key.endswith(":p1"))
    return {row.key.split(":")[4]: row for row in rows}


def test_inside_the_48h_window_the_full_text_goes_as_a_customer_service_message(chair, clock, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    row = run_offsets(clock, messenger, True, ["T14"])["T14"]
    assert (row.status, row.channel) == (NoticeStatus.SENT, "customer_service")
    assert control.sent(openid="o-王建国")[0]["payload"]["text"]["content"].startswith("【2018年区级先进职工之家】")


@pytest.mark.parametrize("errcode", [45015, 45047])
def test_out_of_window_or_quota_falls_back_to_a_template_and_is_remembered(chair, clock, messenger, control, errcode):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    control("POST", "/standin/faults", json={"path": CUSTOM, "errcode": errcode, "openid": "o-王建国"})
    rows = run_offsets(clock, messenger, True, ["T14", "T7"])
    assert [(rows[o].status, rows[o].channel) for o in ("T14", "T7")] == [(NoticeStatus.SENT, "template")] * 2
    # The refusal closed the window: the second reminder did not try 客服 again.
    assert len([c for c in control.calls(CUSTOM) if c["query"]]) == 1
    data = control.sent(openid="o-王建国", kind="template")[0]["payload"]["data"]
    assert set(data) == {"thing1", "thing2", "time3"}  # no retired first/remark


def test_unsubscribed_official_follower_is_reached_through_a_subscribe_grant(chair, clock, messenger, control):
    grant(4)
    control("POST", "/standin/faults", json={"path": TEMPLATE, "errcode": 43004, "openid": "o-王建国"})
    row = run_offsets(clock, messenger, True, ["T14"])["T14"]
    assert (row.status, row.channel) == (NoticeStatus.SENT, "subscribe")
    assert ChannelState.get(identity=Identity.get(openid="o-王建国")).unsubscribed_at is not None
    assert control.sent(openid="o-王建国") == []


def test_four_grants_carry_all_four_reminders_within_field_limits(chair, clock, messenger, control):
    grant(4)
    rows = run_offsets(clock, messenger, False)
    assert {o: (r.status, r.channel) for o, r in rows.items()} == {
        o: (NoticeStatus.SENT, "subscribe") for o in ("T14", "T7", "T3", "T1")}
    for message in control.sent(openid="m-chair"):
        values = {k: v["value"] for k, v in message["payload"]["data"].items()}
        assert len(values["thing1"]) <= 20 and len(values["thing2"]) <= 20


@pytest.mark.parametrize("grants, sent", [
    (3, ["T14", "T3", "T1"]), (2, ["T3", "T1"]), (1, ["T3"]),
])
def test_scarce_grants_are_kept_for_t3_and_t1(chair, clock, messenger, control, grants, sent):
    grant(grants)
    rows = run_offsets(clock, messenger, False)
    assert sorted(o for o, r in rows.items() if r.status == NoticeStatus.SENT) == sorted(sent)
    skipped = [r for r in rows.values() if r.status == NoticeStatus.SKIPPED]
    early = [r for r in skipped if r.key.split(":")[4] in ("T14", "T7")]
    assert all("订阅消息授权仅剩" in r.detail for r in early)
    assert len(control.sent(openid="m-chair")) == len(sent)


def test_grants_are_kept_for_the_t3_and_t1_of_every_date_ahead(chair, world, clock, messenger):
    world.unit.founded_on = D(2017, 6, 1)  # a 新建会 union again: 10-31 is a second date
    world.unit.save()
    grant(4)
    rows = run_offsets(clock, messenger, False, ["T14"])
    assert rows["T14"].status == NoticeStatus.SKIPPED
    assert rows["T14"].detail == "订阅消息授权仅剩4次，留给截止前3天和1天的4条提醒"


def test_early_reminders_written_the_same_day_count_against_the_grants_they_will_spend(
        chair, world, clock, messenger):
    # Drafts of two kinds closing on 06-30 (示范职工之家, a 驿站), besides the 09-30 of the 区级先进:
    # two reminders on 06-16, and six T-3/T-1 ahead.
    clock.at(D(2018, 6, 1), 10, 0)
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME, today=clock.today)
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                           station=station_for(world.unit), today=clock.today)
    align_stamps(clock.now)
    grant(7)
    write_due(clock.at(D(2018, 6, 16)), False)
    rows = list(Notice.select().where(Notice.person == chair.id, Notice.key.startswith("remind:"))
                .order_by(Notice.id))
    # The first T-14 will spend one of the seven grants: the second must wait for T-3/T-1.
    assert [r.status for r in rows] == [NoticeStatus.PENDING, NoticeStatus.SKIPPED]
    assert rows[1].detail == "订阅消息授权仅剩6次，留给截止前3天和1天的6条提醒"


def test_a_refused_subscribe_is_recorded_and_nothing_else_is_tried(chair, clock, messenger, control):
    grant(4)
    control("POST", "/standin/faults", json={"path": SUBSCRIBE, "errcode": 43101, "openid": "m-chair"})
    row = run_offsets(clock, messenger, False, ["T3"])["T3"]
    assert row.status == NoticeStatus.SKIPPED
    assert row.detail.endswith("订阅消息被拒（43101 用户拒收或订阅授权已用完）")
    assert control.sent() == []


def test_nobody_is_messaged_who_cannot_be(world, clock, messenger, control):
    make_qualified(world.unit)
    write_due(clock.at(OFFSET_DAYS["T3"]), False)
    rows = deliver_pending(messenger, False)
    assert {r.status for r in rows} == {NoticeStatus.SKIPPED} and len(rows) == 2
    assert all("没有可用渠道" in r.detail for r in rows)
    assert control.sent() == []


def test_a_template_quota_used_up_for_the_day_falls_back_to_a_subscribe_grant(chair, clock, messenger, control):
    grant(1)
    control("POST", "/standin/faults", json={"path": TEMPLATE, "errcode": 45009, "times": 2, "openid": "o-王建国"})
    rows = run_offsets(clock, messenger, True, ["T3", "T1"])
    assert (rows["T3"].status, rows["T3"].channel) == (NoticeStatus.SENT, "subscribe")
    assert rows["T1"].status == NoticeStatus.SKIPPED  # the grant is spent: recorded, not lost silently
    assert "模板消息被拒（45009 接口调用已达当日上限）" in rows["T1"].detail


def test_a_reminder_sent_on_a_later_day_counts_the_days_left_from_that_day(chair, clock, messenger, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")  # so the whole text goes as a 客服 message
    write_due(clock.at(OFFSET_DAYS["T3"], 21, 25))
    written = Notice.get(Notice.key.endswith(":T3:p1")).id
    assert "（还有3天）" in Notice.get_by_id(written).payload["text"]
    # Held over (its worker was down): it goes out the next morning, with one day less to go.
    sent = notifications.deliver(written, messenger, today=D(2018, 9, 28))
    head = "【2018年区级先进职工之家】申报将于2018年9月30日截止（还有2天）。"
    assert (sent.status, sent.channel) == (NoticeStatus.SENT, "customer_service")
    assert control.sent(openid="o-王建国")[0]["payload"]["text"]["content"].startswith(head)
    # The ledger (the admin's view, the inbox, the notice's page) reads what was sent, under the same key.
    assert sent.payload["text"].startswith(head) and sent.key.endswith(":T3:p1")
    assert notice_inbox.entry(sent).text.startswith(head)
    assert reminders.ledger({"person": chair.id}).entries[0].text.startswith(head)
    assert notifications.deliver(written, messenger, today=D(2018, 9, 29)).payload["text"].startswith(head)
    assert len(control.sent()) == 1, "sent once"


def test_a_units_stations_due_the_same_day_spend_one_grant(chair, world, clock, messenger, control):
    clock.at(D(2018, 6, 1), 10, 0)
    for name in ("拱辰大街驿站", "西潞园驿站", "长阳驿站"):
        drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                               station=station_for(world.unit, name=name), today=clock.today)
    align_stamps(clock.now)
    grant(5)  # this T-14, and the T-3/T-1 of 06-30 and of 09-30 (区级先进) still ahead
    write_due(clock.at(D(2018, 6, 16)), False)
    deliver_pending(messenger, False)
    [sent] = control.sent(openid="m-chair")
    assert sent["kind"] == "subscribe" and sent["payload"]["data"]["thing1"]["value"] == "2018年职工暖心驿站（3份）"
    assert reach.subscribe_grants_left(chair.id) == 4
