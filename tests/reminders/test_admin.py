"""The admin side: the ledger with outcomes, and one-off notices previewed with their count."""
import datetime as dt

import pytest

from miniapp_backend.models import ApplicationKind, AuditLog, Notice, NoticeStatus
from miniapp_backend.services import drafts, reminders
from miniapp_backend.services.errors import InvalidState, PermissionDenied, ValidationFailed
from tests.factories import make_qualified
from tests.reminders.conftest import deliver_pending, write_due

D = dt.date
NOT_STARTED = {"kind": "new_union_home", "status": "not_started"}


def test_the_ledger_shows_sent_failed_with_errcode_and_skipped_with_reason(world, clock, messenger, control):
    make_qualified(world.unit)
    control("POST", "/standin/faults", json={"path": "cgi-bin/message/template/send", "errcode": 40164,
                                             "openid": "o-李芳"})
    write_due(clock.at(D(2018, 9, 16)))
    deliver_pending(messenger)
    page = reminders.ledger({"key": "remind:"})
    assert page.total == 2 and page.counts == {"sent": 1, "failed": 1}
    failed = reminders.ledger({"status": "failed"}).entries[0]
    assert (failed.person_name, failed.errcode, failed.status_label) == ("李芳", 40164, "发送失败")
    sent = reminders.ledger({"status": "sent", "person": world.chair.id}).entries[0]
    assert (sent.channel_label, sent.title) == ("模板消息", "2018年区级先进职工之家")
    assert sent.created_at and sent.sent_at
    write_due(clock.at(D(2018, 9, 23)), verified=False)
    deliver_pending(messenger, verified=False)
    skipped = reminders.ledger({"status": "skipped"}).entries
    assert len(skipped) == 2 and "没有可用渠道" in skipped[0].reason
    with pytest.raises(ValidationFailed):
        reminders.ledger({"status": "lost"})


def test_preview_counts_the_people_a_filter_reaches_within_the_admins_subtree(world, clock):
    now = clock.at(D(2018, 5, 10), 10, 0)
    everyone = reminders.preview_broadcast(NOT_STARTED, world.district_admin, now)
    assert everyone.count == 4
    assert ("王建国", world.unit.full_name) in everyone.sample
    assert reminders.preview_broadcast({**NOT_STARTED, "system": world.system.id}, world.district_admin, now).count == 2
    assert reminders.preview_broadcast(NOT_STARTED, world.system_admin, now).count == 2
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME, today=clock.today)
    drafting = reminders.preview_broadcast({"kind": "model_home", "status": "draft"}, world.district_admin, now)
    assert drafting.count == 2
    with pytest.raises(PermissionDenied):
        reminders.preview_broadcast(NOT_STARTED, world.chair, now)


def test_a_broadcast_is_sent_once_per_person(world, clock, messenger, control):
    now = clock.at(D(2018, 5, 10), 10, 0)
    text = "请于6月30日前完成上半年申报。"
    ident, ids = reminders.send_broadcast(NOT_STARTED, text, world.district_admin, now)
    assert len(ids) == 4
    assert reminders.send_broadcast(NOT_STARTED, text, world.district_admin, now) == (ident, [])
    assert len(reminders.send_broadcast(NOT_STARTED, text + "谢谢。", world.district_admin, now)[1]) == 4
    assert {r.status for r in deliver_pending(messenger)} == {NoticeStatus.SENT}
    assert control.sent(openid="o-周敏")[0]["payload"]["data"]["thing2"]["value"] == text
    assert Notice.select().where(Notice.key.startswith(f"broadcast:{ident}:")).count() == 4
    assert AuditLog.select().where(AuditLog.action == "notice.broadcast").count() == 3


def test_a_broadcast_waits_for_the_morning_and_needs_a_text_and_known_filters(world, clock):
    with pytest.raises(InvalidState):
        reminders.send_broadcast(NOT_STARTED, "通知", world.district_admin, clock.at(D(2018, 5, 10), 22, 10))
    with pytest.raises(ValidationFailed):
        reminders.send_broadcast(NOT_STARTED, "  ", world.district_admin, clock.at(D(2018, 5, 10), 10, 0))
    for wrong in ({"kind": "city_home"}, {"status": "lost"}, {"status": "not_started"}):
        with pytest.raises(ValidationFailed):
            reminders.preview_broadcast(wrong, world.district_admin, clock.now)


def test_the_same_broadcast_on_a_later_day_goes_out_again(world, clock):
    text = "请于6月30日前完成上半年申报。"
    first, sent = reminders.send_broadcast(NOT_STARTED, text, world.district_admin, clock.at(D(2018, 6, 1), 10, 0))
    again, resent = reminders.send_broadcast(NOT_STARTED, text, world.district_admin, clock.at(D(2018, 6, 25), 10, 0))
    assert len(sent) == len(resent) == 4 and first != again
