"""Titles in the mini-program: the chair sees the unit's titles (held, awaiting confirmation,
revoked with the reason) and declares 合格 after the 会员代表大会; the 系统工会 admin is told."""
import datetime as dt

from miniapp_backend.models import Honour, HonourKind, HonourStatus, Notice
from miniapp_backend.services import eligibility, qualified
from tests.factories import IN_WINDOW, minutes_scan


def refused(response, status):
    """The error body of a refusal with `status`."""
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


def declare(api, who, congress_date="2018-03-20", kind="qualified_home", **extra):
    """POST /honours/qualified."""
    return api.post("/honours/qualified", who, json={"kind": kind, "congress_date": congress_date, **extra})


def test_a_chair_declares_qualified_and_the_system_admin_is_asked_to_confirm(api, world):
    listed = api.get("/honours", world.chair).get_json()
    assert listed["honours"] == []
    assert [(d["org"]["id"], d["kind"], d["label"]) for d in listed["declarable"]] == [
        (world.unit.id, "qualified_home", "合格职工之家")]
    response = declare(api, world.chair)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["status_label"], body["year"], body["congress_date"]) == (
        "declared", "待确认", 2018, "2018-03-20")
    assert body["note"] == "会员代表大会2018年3月20日决定，已申报，待系统工会确认；请上传会议记录或决议的照片（扫描件），上传后才能确认"
    [asked] = Notice.select().where(Notice.person == world.system_admin)
    assert "待您确认" in asked.payload["text"] and "/admin/honours?status=declared" in asked.payload["text"]
    # A retry (the answer lost) gets the same declaration and asks no one twice.
    assert declare(api, world.chair).get_json()["id"] == body["id"]
    assert Notice.select().where(Notice.person == world.system_admin).count() == 1
    listed = api.get("/honours", world.staff).get_json()
    assert [h["id"] for h in listed["honours"]] == [body["id"]] and listed["declarable"] == []
    assert "正在等待系统工会确认" in refused(declare(api, world.chair, "2018-04-01"), 409)["message"]


def test_staff_and_bad_dates_are_refused_in_plain_chinese(api, world):
    assert refused(declare(api, world.staff), 403)["message"] == "只有本单位工会主席可以申报合格称号"
    future = refused(declare(api, world.chair, "2018-05-11"), 422)
    assert future["fields"]["congress_date"].startswith("会员代表大会日期不能晚于今天（2018年5月10日）")
    assert "超过一届工会委员会的任期" in refused(declare(api, world.chair, "2012-01-01"), 422)["message"]
    assert "不是有效的日期" in refused(declare(api, world.chair, "2018-02-30"), 422)["message"]
    wrong_level = refused(declare(api, world.chair, kind="qualified_small_home"), 422)
    assert "基层工会请申报合格职工之家" in wrong_level["message"]
    assert refused(declare(api, world.chair, org_id=world.other_unit.id), 404)
    assert Honour.select().count() == 0


def test_a_revoked_title_is_listed_with_its_reason_and_can_be_declared_again(api, world):
    first = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 1, 5),
                                          minutes=[minutes_scan()], today=IN_WINDOW)
    qualified.verify_qualified(first, world.system_admin)
    eligibility.revoke(first, world.system_admin, "复查发现职工之家已停用")
    listed = api.get("/honours", world.chair).get_json()
    [revoked] = listed["honours"]
    assert (revoked["status_label"], revoked["revoked_reason"]) == ("已撤销", "复查发现职工之家已停用")
    assert revoked["note"] == "已被撤销（复查发现职工之家已停用），需重新经会员代表大会决定后再申报"
    assert [d["kind"] for d in listed["declarable"]] == ["qualified_home"]
    again = declare(api, world.chair, "2018-04-28")
    assert again.status_code == 201, again.get_json()
    listed = api.get("/honours", world.chair).get_json()["honours"]
    assert [(h["id"], h["status"]) for h in listed] == [(again.get_json()["id"], "declared"),
                                                        (first.id, "revoked")]
    assert Honour.get_by_id(first.id).status == HonourStatus.REVOKED
