"""Honour actions sent twice (a double click, two tabs): one outcome, the other sending told in Chinese."""
import datetime as dt
from concurrent.futures import ThreadPoolExecutor

from miniapp_backend.models import Honour, HonourKind, HonourMinutes, HonourStatus, Notice, Reinspection
from miniapp_backend.services import campaigns, eligibility, qualified
from tests.admin.helpers import send_from, signed_in_tabs
from tests.factories import IN_WINDOW, minutes_scan

CONFIRMED = "已确认合格称号"


def _declared(world, org=None, chair=None):
    """A 合格职工之家 the unit's chair declared."""
    return qualified.declare_qualified(org or world.unit, chair or world.chair, HonourKind.QUALIFIED_HOME,
                                         dt.date(2018, 3, 20), minutes=[minutes_scan()], today=IN_WINDOW)


def test_a_declaration_confirmed_twice_is_confirmed_once_and_the_second_click_told_so(admin_app, admin_world):
    honour = _declared(admin_world)
    page = f"/admin/honours/{honour.id}"
    [(tab, token)] = signed_in_tabs(admin_app, "system", page, 1)
    assert CONFIRMED in send_from(tab, token, page, {"action": "verify"})
    first = Honour.get_by_id(honour.id)
    again = send_from(tab, token, page, {"action": "verify"})
    assert "这项合格称号申报已由钱进于" in again and "确认，无需再次确认" in again
    after = Honour.get_by_id(honour.id)
    assert (after.status, after.verified_at) == (HonourStatus.ACTIVE, first.verified_at)


def test_two_tabs_confirming_at_once_make_one_confirmation(admin_app, admin_world):
    world = admin_world
    for year in range(2014, 2019):  # a race lost only now and then: several declarations
        Honour.delete().execute()
        honour = Honour.create(org=world.unit, kind=HonourKind.QUALIFIED_HOME, year=year,
                               status=HonourStatus.DECLARED, congress_date=dt.date(year, 3, 1))
        HonourMinutes.create(honour=honour, file=minutes_scan())
        page = f"/admin/honours/{honour.id}"
        tabs = signed_in_tabs(admin_app, "system", page, 4)
        with ThreadPoolExecutor(len(tabs)) as pool:
            pages = list(pool.map(lambda pair: send_from(*pair, page, {"action": "verify"}), tabs))
        assert sum(CONFIRMED in text for text in pages) == 1, year
        assert sum("无需再次确认" in text for text in pages) == 3, year


def test_a_reinspection_sent_twice_is_recorded_once(admin_app, admin_world):
    """A double click on 保存复验 (kept, or a 系统工会's proposal to revoke) records one 复验."""
    world = admin_world
    honour = Honour.create(org=world.unit, kind=HonourKind.DISTRICT_HOME, year=2016, status=HonourStatus.ACTIVE)
    page = f"/admin/honours/{honour.id}"
    [(tab, token)] = signed_in_tabs(admin_app, "system", page, 1)
    form = {"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "findings": "标识缺失"}
    send_from(tab, token, page, form)
    again = send_from(tab, token, page, form)
    assert "已登记复验" in again
    assert Reinspection.select().where(Reinspection.honour == honour).count() == 1


def test_two_tabs_revoking_by_reinspection_at_once_record_one_revocation(admin_app, admin_world):
    world = admin_world
    for year in range(2012, 2017):
        honour = Honour.create(org=world.unit, kind=HonourKind.DISTRICT_HOME, year=year, status=HonourStatus.ACTIVE)
        page = f"/admin/honours/{honour.id}"
        tabs = signed_in_tabs(admin_app, "district", page, 4)
        forms = [{"action": "reinspect", "inspected_on": "2018-11-01", "keep": "0", "findings": f"问题{i}"}
                 for i in range(len(tabs))]
        with ThreadPoolExecutor(len(tabs)) as pool:
            pages = list(pool.map(lambda args: send_from(*args[0], page, args[1]), zip(tabs, forms)))
        revoked = Honour.get_by_id(honour.id)
        records = list(Reinspection.select().where(Reinspection.honour == honour))
        assert len(records) == 1 and revoked.revoked_reason == records[0].findings, year
        assert sum("已被撤销" in text and "不能登记复验" in text for text in pages) == 3, year


def test_the_system_union_refuses_a_declaration_with_a_reason_the_chair_is_told_and_may_declare_again(
        admin_app, admin_world):
    world = admin_world
    honour = _declared(world)
    page = f"/admin/honours/{honour.id}"
    [(tab, token)] = signed_in_tabs(admin_app, "system", page, 1)
    assert "不予确认" in tab.get(page).get_data(as_text=True)
    blank = tab.post(page, data={"action": "refuse", "reason": "  ", "csrf_token": token})
    assert blank.status_code == 400 and "不予确认须写明理由" in blank.get_data(as_text=True)
    assert Honour.get_by_id(honour.id).status == HonourStatus.DECLARED
    reason = "会员代表大会记录未附，请补充后重新申报"
    shown = send_from(tab, token, page, {"action": "refuse", "reason": reason})
    assert "已退回这项合格称号申报" in shown and "未予确认" in shown and reason in shown
    refused = Honour.get_by_id(honour.id)
    assert (refused.status, refused.revoked_reason) == (HonourStatus.REFUSED, reason)
    # The chair hears it through the notice ledger, with the reason.
    told = [n.payload["text"] for n in Notice.select().where(Notice.person == world.chair)
            if n.key.startswith(f"honour:{honour.id}:refused")]
    assert len(told) == 1 and "未予确认" in told[0] and reason in told[0]
    # Neither confirmed afterwards nor refused twice: the second sending is told what became of it.
    again = send_from(tab, token, page, {"action": "verify"})
    assert "已由钱进于" in again and "退回" in again and Honour.get_by_id(honour.id).status == HonourStatus.REFUSED
    assert "declarations-waiting" not in tab.get("/admin/").get_data(as_text=True)
    # The chair may declare again (the same 会员代表大会 year): a new declaration waits for confirmation.
    assert qualified.declarable_kinds(world.unit) == [HonourKind.QUALIFIED_HOME]
    [why] = eligibility.missing_honour(world.unit, campaigns.kind_spec(world.campaign, "district_home"))
    assert why == f"本单位申报的“合格职工之家”未获系统工会确认（{reason}），可重新申报"
    fresh = _declared(world)
    assert fresh.id != honour.id and fresh.status == HonourStatus.DECLARED
    assert "合格称号申报1条，待确认" in tab.get("/admin/").get_data(as_text=True)
    listed = tab.get("/admin/honours?status=refused").get_data(as_text=True)
    assert f"/admin/honours/{honour.id}\"" in listed and f"/admin/honours/{fresh.id}\"" not in listed
