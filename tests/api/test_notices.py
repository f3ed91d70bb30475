"""My notices in the mini-program: only my own, newest first, paged, in full, with how they reached
me; someone else's answers 404 like a missing one; reading marks them once."""
import pytest

from miniapp_backend import wechat
from miniapp_backend.models import Channel, Notice
from miniapp_backend.services import channel_state, notifications
from tests.api.conftest import NOW

LONG = "【职工之家建设通知】" + "请各基层工会于5月20日前完成职工之家验收单的填报，并上传盖章页扫描件。" * 3


def notice(person, key, text=LONG, kind="broadcast"):
    """A ledger row for `person`, as the services write them."""
    return notifications.queue(person, key, kind, {"text": text, "title": "职工之家建设通知",
                                                   "detail": text, "time": "2018-05-10 10:00"})


def test_the_list_holds_only_my_notices_newest_first_in_full(api, world):
    first = notice(world.chair, "a")
    notice(world.staff, "b", text="别人的通知")
    second = notice(world.chair, "c", text="第二条", kind="reminder")
    answer = api.get("/notices", world.chair)
    assert answer.status_code == 200
    body = answer.get_json()
    assert (body["total"], body["unread"]) == (2, 2)
    assert [n["id"] for n in body["notices"]] == [second.id, first.id]
    latest, older = body["notices"]
    assert (latest["kind"], latest["kind_label"]) == ("reminder", "截止提醒")
    assert (older["kind"], older["kind_label"], older["text"]) == ("broadcast", "群发通知", LONG)
    assert older["title"] == "职工之家建设通知" and older["created_at"].endswith("+08:00")
    assert (older["delivered"], older["channel"], older["status"], older["read"]) == (False, "", "pending", False)
    assert api.get("/notices", world.staff).get_json()["total"] == 1
    assert api.get("/notices").status_code == 401


def test_paging_by_limit_and_offset(api, world):
    ids = [notice(world.chair, f"k{n}").id for n in range(5)]
    pages = [api.get(f"/notices?limit=2&offset={offset}", world.chair).get_json() for offset in (0, 2, 4)]
    assert [[n["id"] for n in page["notices"]] for page in pages] == [ids[:2:-1], ids[2:0:-1], ids[:1]]
    assert {page["total"] for page in pages} == {5}
    assert api.get("/notices?limit=0", world.chair).status_code == 400
    assert api.get("/notices?page=2", world.chair).status_code == 400


def test_someone_elses_notice_answers_like_a_missing_one(api, world):
    mine, theirs = notice(world.chair, "m"), notice(world.staff, "t")
    assert api.get(f"/notices/{mine.id}", world.chair).get_json()["text"] == LONG
    other = api.get(f"/notices/{theirs.id}", world.chair)
    missing = api.get(f"/notices/{theirs.id + 100}", world.chair)
    assert other.status_code == missing.status_code == 404
    assert other.get_json() == missing.get_json()
    assert api.post(f"/notices/{theirs.id}/read", world.chair).status_code == 404
    assert Notice.get_by_id(theirs.id).read_at is None


def test_marking_read_keeps_the_first_time_and_lowers_the_unread_count(api, world):
    first, second = notice(world.chair, "r1"), notice(world.chair, "r2")
    assert api.get(f"/notices/{first.id}", world.chair).get_json()["read"] is False  # looking is not reading
    read = api.post(f"/notices/{first.id}/read", world.chair)
    assert read.status_code == 200 and read.get_json()["read"] is True
    assert read.get_json()["read_at"].startswith(NOW.date().isoformat())
    api.app.config["API_NOW"] = NOW.replace(hour=8)
    again = api.post(f"/notices/{first.id}/read", world.chair).get_json()
    assert again["read_at"] == read.get_json()["read_at"]
    listed = api.get("/notices", world.chair).get_json()
    assert listed["unread"] == 1 and [n["read"] for n in listed["notices"]] == [False, True]
    assert second.id == listed["notices"][0]["id"]


@pytest.fixture
def messenger(official, miniapp):
    return wechat.WeChatMessenger(official, miniapp)


def test_each_notice_says_whether_and_how_it_reached_me(api, world, messenger):
    nobody = notice(world.chair, "none")  # no 48 h window, no template on this account, no grant
    notifications.deliver(nobody.id, messenger, verified_service_account=False)
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    by_chat = notice(world.chair, "kf")
    notifications.deliver(by_chat.id, messenger)
    listed = {n["id"]: n for n in api.get("/notices", world.chair).get_json()["notices"]}
    sent, skipped = listed[by_chat.id], listed[nobody.id]
    assert (sent["delivered"], sent["channel"], sent["channel_label"]) == (True, "customer_service", "客服消息")
    assert sent["delivery_label"] == "已通过微信送达" and sent["sent_at"]
    assert (skipped["delivered"], skipped["channel"], skipped["status"]) == (False, "", "skipped")
    assert skipped["delivery_label"] == "微信消息未送达" and skipped["text"] == LONG
