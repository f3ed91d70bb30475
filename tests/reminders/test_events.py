"""A title awarded or revoked reaches the org's chair and staff at once, once."""
import datetime as dt

from miniapp_backend.models import HonourKind, NoticeStatus
from miniapp_backend.services import eligibility, qualified, reminders
from tests.factories import make_qualified, minutes_scan
from tests.reminders.conftest import deliver_pending

NOW = dt.datetime(2018, 12, 20, 2, 0)  # 10:00 in Shanghai


def test_an_award_is_told_once_to_chair_and_staff(world, messenger, control):
    make_qualified(world.unit)
    honour = eligibility.award(world.unit, HonourKind.DISTRICT_HOME, 2018, dt.date(2018, 12, 20))
    rows = reminders.honour_awarded(honour, NOW)
    assert reminders.honour_awarded(honour, NOW) == []
    assert sorted(r.person_id for r in rows) == sorted([world.chair.id, world.staff.id])
    assert rows[0].payload["text"] == "【房山区先进职工之家】祝贺！本单位获得2018年度“房山区先进职工之家”称号。"
    assert {r.status for r in deliver_pending(messenger)} == {NoticeStatus.SENT}
    assert control.sent(openid="o-王建国")[0]["payload"]["data"]["phrase2"]["value"] == "已授予"


def test_a_revocation_carries_its_reason(world):
    honour = make_qualified(world.unit)
    assert reminders.honour_revoked(honour, NOW) == [], "not revoked yet"
    eligibility.revoke(honour, world.system_admin, "复查发现严重问题")
    rows = reminders.honour_revoked(honour, NOW)
    assert len(rows) == 2 and rows[0].payload["text"].endswith("原因：复查发现严重问题")
    assert rows[0].payload["status"] == "已撤销"


def test_a_declared_title_is_not_announced_until_verified(world):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 1),
                                           minutes=[minutes_scan()], today=NOW.date())
    assert reminders.honour_awarded(honour, NOW) == []
    honour = qualified.verify_qualified(honour, world.system_admin)
    assert len(reminders.honour_awarded(honour, NOW)) == 2


def test_a_declaration_asks_the_system_admins_over_the_unit_to_confirm_it_once(world, messenger, control):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 1),
                                           minutes=[minutes_scan()], today=NOW.date())
    rows = reminders.qualified_declared(honour, NOW, "https://zgzj.example")
    assert reminders.qualified_declared(honour, NOW, "https://zgzj.example") == []
    assert [r.person_id for r in rows] == [world.system_admin.id]  # not the other 系统工会, not the district
    text = rows[0].payload["text"]
    assert "北京良乡示例科技有限公司工会委员会申报“合格职工之家”（会员代表大会2018年3月1日决定），待您确认" in text
    assert "https://zgzj.example/admin/honours?status=declared" in text
    assert {r.status for r in deliver_pending(messenger)} == {NoticeStatus.SENT}
    assert control.sent(openid="o-钱进")
    qualified.verify_qualified(honour, world.system_admin)
    assert reminders.qualified_declared(honour, NOW) == [], "confirmed: nothing awaits anyone"


def test_a_direct_units_declaration_goes_to_the_district_admins(world):
    honour = qualified.declare_qualified(world.direct_unit, world.direct_chair, HonourKind.QUALIFIED_HOME,
                                           dt.date(2018, 3, 1), minutes=[minutes_scan()], today=NOW.date())
    assert [r.person_id for r in reminders.qualified_declared(honour, NOW)] == [world.district_admin.id]
