"""Losing Redis, editing in two places, expired tokens and media, pausing, paging."""
from rq.job import Job

from bots.conversation import flow
from miniapp_backend.models import Answer, EvidenceLink, Notice, NoticeStatus
from miniapp_backend.models.chat_media import ChatMedia, MediaStatus
from miniapp_backend.services import drafts
from tests.bots.conftest import BOT_NOW, PNG, add_photo
from tests.bots.flows import answer_items, district_home_draft, only_application, pick_kind
from tests.factories import IN_WINDOW
from workers.media import EXPIRED_REASON, MEDIA_LIFETIME, SWEEP_GRACE, fetch_media, sweep_media


def miniapp_edit(world, key, value):
    """The chair edits the same draft in the mini-program."""
    drafts.write_answer(only_application(), world.chair, key, value, channel="miniapp", today=IN_WINDOW)


def test_redis_flushed_mid_conversation_resumes_from_the_draft(world, wechat_user, redis_client, standin):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    answer_items(user, standin, 2)
    user.say("否")  # item 3
    redis_client.flushdb()
    reply = user.say("否，正在整改")
    assert "第4项已记录：否（正在整改）" in reply and "第5/21项" in reply
    assert Answer.select().where(Answer.key.contains(":item.")).count() == 4
    redis_client.flushdb()
    assert "第5/21项" in user.say("你好")


def test_pause_resumes_exactly_where_it_stopped(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.say("否")
    assert "第7/21项" in user.say("修改 7")
    assert "回复“继续”从第7项接着填" in user.say("暂停")
    assert "没看懂" in user.say("否")  # paused: answers are not taken
    assert "第7/21项" in user.say("继续")


def test_chat_and_miniapp_editing_the_same_field(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    assert "第9/22项 【工会委员会人数】" in user.say("确认")
    miniapp_edit(world, "district_home_registration:committee_member_count", 9)
    conflict = user.say("7")
    assert "“工会委员会人数”刚在小程序中改过" in conflict
    assert "现在的内容：9人" in conflict and "您的回复：7" in conflict
    assert "没看懂" in user.say("随便")
    assert "已用您的回复覆盖" in user.say("覆盖")
    key = "district_home_registration:full_time_cadre_count"
    miniapp_edit(world, key, 3)
    assert "现在的内容：3人" in user.say("2")
    kept = user.say("保留")
    assert "已保留小程序中的内容" in kept and "第11/22项" in kept
    values = {a.key: a.value for a in Answer.select()}
    assert values["district_home_registration:committee_member_count"] == 7
    assert values[key] == 3


def test_an_item_changed_in_the_miniapp_asks_before_overwriting(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    miniapp_edit(world, "model_home_checklist:item.1", {"done": False, "note": "小程序里填的"})
    conflict = user.say("是")
    assert "“第1项 组织机构”刚在小程序中改过" in conflict and "否（小程序里填的）" in conflict
    stray = user.say("2")  # a pick meant for an earlier list: neither 覆盖 nor 保留
    assert stray.startswith("“2”既不是“覆盖”也不是“保留”") and "回复“覆盖”用您的回复替换" in stray
    assert "第1项需要照片佐证" in user.say("覆盖")


def test_long_conflicts_are_paged_with_more(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    miniapp_edit(world, "district_home_registration:main_deeds", "甲" * 790 + "。")
    user.say("重写")
    pages = [user.say("乙" * 700)]
    assert "（第1/3页，回复“更多”看下一页）" in pages[0]
    pages += [user.say("更多"), user.say("更多")]
    assert "（第2/3页" in pages[1] and "回复“覆盖”用您的回复替换" in pages[2]
    assert "没有更多内容了" in user.say("更多")
    assert "已用您的回复覆盖" in user.say("覆盖")
    assert Answer.get(Answer.key == "district_home_registration:main_deeds").value == "乙" * 700


def test_token_expired_mid_conversation_is_recovered(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.photo(add_photo(standin))
    jobs()
    standin.state.tokens.expire_all()  # Tencent expires the token between two photos
    assert "共2张" in user.photo(add_photo(standin, PNG + b"second"))
    jobs()
    assert EvidenceLink.select().count() == 2
    standin.state.add_fault({"path": "cgi-bin/media/get", "errcode": 40001})  # "not the latest token"
    assert "共3张" in user.photo(add_photo(standin, PNG + b"third"))
    jobs()
    assert EvidenceLink.select().count() == 3
    token_calls = [c for c in standin.state.calls if c["path"] == "/cgi-bin/token"]
    assert len(token_calls) == 3
    assert "第1项已记录：是，照片3张" in user.say("是")


def test_expired_media_is_reported_to_the_chair(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.say("是")  # counts toward the 48-hour window
    media_id = add_photo(standin)
    standin.state.age_media(3 * 24 * 3600, media_id)
    user.photo(media_id)
    jobs()  # the download fails for good, and a notice is queued
    jobs()  # the notice goes out as a customer-service message
    assert ChatMedia.get().status == MediaStatus.FAILED
    assert Notice.get().status == NoticeStatus.SENT
    sent = standin.state.sent[-1]
    assert "照片已过期" in sent["payload"]["text"]["content"] and "第1项" in sent["payload"]["text"]["content"]


def test_a_photo_that_arrives_after_the_application_was_submitted_is_not_dropped_silently(
        world, wechat_user, standin, jobs, config):
    from miniapp_backend.services import submissions
    from miniapp_backend.storage import FileStore
    from tests.packets.builders import answer_all
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.say("是")  # counts toward the 48-hour window
    user.photo(add_photo(standin, PNG + b"late"))  # still downloading for item 1 …
    application = only_application()
    answer_all(application, world.chair, FileStore(config.storage_dir))
    submissions.submit(application, world.chair, today=IN_WINDOW)  # … when the mini-program submits
    jobs()  # the download: the photo cannot join a submitted application
    jobs()  # the notice goes out
    media = ChatMedia.get()
    assert media.status == MediaStatus.FAILED and media.detail
    sent = standin.state.sent[-1]["payload"]["text"]["content"]
    assert "未能加入第1项" in sent and media.detail in sent


def test_a_photo_lost_while_shared_meanwhile_names_every_item_to_send_it_again(world, wechat_user, standin, jobs,
                                                                              redis_client):
    import threading
    import time
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.say("是")  # counts toward the 48-hour window
    standin.state.add_fault({"path": "cgi-bin/media/get", "errcode": 40007, "delay": 3.0})  # Tencent: expired
    user.photo(add_photo(standin))
    media = ChatMedia.get()
    downloading = threading.Thread(target=fetch_media, args=(media.id, BOT_NOW.date().isoformat()))
    downloading.start()
    time.sleep(0.5)
    assert "已共用上一张照片" in user.say("这张也用于第6、7项")  # while it downloads
    downloading.join()
    Job.fetch(f"media-{media.id}", connection=redis_client).delete()  # the queued run, made needless
    jobs()  # the notice goes out
    sent = standin.state.sent[-1]["payload"]["text"]["content"]
    assert "照片已过期" in sent and "第1、6、7项" in sent, sent


def test_a_download_whose_job_was_lost_is_tried_again_by_the_sweep(world, wechat_user, standin, jobs,
                                                                    redis_client):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    standin.state.add_fault({"path": "cgi-bin/media/get", "errcode": -1})  # Tencent busy
    user.photo(add_photo(standin))
    jobs()  # fails once; rq schedules a retry
    media = ChatMedia.get()
    assert media.status == MediaStatus.PENDING
    # The photo was sent at the conversation's (pinned) time, inside the 2018 window.
    ChatMedia.update(created_at=BOT_NOW, updated_at=BOT_NOW).execute()
    assert sweep_media(now=BOT_NOW + SWEEP_GRACE * 2) == {"retried": 0, "expired": 0}  # still meant to run
    Job.fetch(f"media-{media.id}", connection=redis_client).delete()  # lost (say, Redis was wiped)
    assert sweep_media(now=BOT_NOW + SWEEP_GRACE * 2) == {"retried": 1, "expired": 0}
    jobs()
    assert ChatMedia.get().status == MediaStatus.STORED and EvidenceLink.select().count() == 1


def test_a_photo_pending_past_tencent_s_three_days_is_given_up_with_a_message(world, wechat_user, standin,
                                                                              jobs, redis_client):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.photo(add_photo(standin))
    media = ChatMedia.get()
    Job.fetch(f"media-{media.id}", connection=redis_client).delete()
    ChatMedia.update(created_at=BOT_NOW, updated_at=BOT_NOW).execute()
    assert sweep_media(now=BOT_NOW + MEDIA_LIFETIME + SWEEP_GRACE) == {"retried": 0, "expired": 1}
    assert ChatMedia.get().status == MediaStatus.FAILED
    assert EXPIRED_REASON in Notice.get().payload["text"] and "第1项" in Notice.get().payload["text"]


def test_a_photo_shared_with_other_items(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.photo(add_photo(standin))
    assert "已共用上一张照片：第6项共1张，第7项共1张" in user.say("这张也用于第6、7项")
    jobs()
    assert "已共用上一张照片：第8项共1张" in user.say("这张也用于第8项")
    slots = sorted(link.slot for link in EvidenceLink.select())
    assert slots == [f"model_home_checklist:item.{n}" for n in (1, 6, 7, 8)]
    assert "验收单没有第30项" in user.say("这张也用于第30项")
    # 第22项 is printed on the form, as a row to write in: it is there, it takes no photo.
    assert "第22项“其他配套设施设备或服务”只需填写文字，不用照片" in user.say("这张也用于第22项")


def test_a_photo_that_could_not_be_saved_is_not_said_to_be_shared(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    media_id = add_photo(standin)
    standin.state.age_media(3 * 24 * 3600, media_id)
    user.photo(media_id)
    jobs()  # expired: the download gives up
    reply = user.say("这张也用于第6、7项")
    assert "已共用" not in reply and "照片已过期" in reply, reply
    assert EvidenceLink.select().count() == 0 and ChatMedia.get().slots == ["model_home_checklist:item.1"]


def test_a_turn_that_fails_after_writing_is_not_a_conflict_later(world, wechat_user, monkeypatch):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    real = flow.after_answer
    monkeypatch.setattr(flow, "after_answer", lambda *args: 1 / 0)
    assert "系统繁忙" in user.say("否")  # written, but the position was not saved
    monkeypatch.setattr(flow, "after_answer", real)
    reply = user.say("否，再答一次")
    assert "第1项已记录：否（再答一次）" in reply and "刚在小程序中改过" not in reply


def test_withdraw_and_submit_again(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    user.say("良乡暖心驿站")
    user.say("房山区良乡镇拱辰大街1号")
    user.location(39.7355, 116.1397)
    user.say("确认")
    answer_items(user, standin, 6)
    user.say("跳过")
    jobs()
    assert "第1版已提交" in user.say("提交")
    assert "当前状态：审核中" in user.say("继续")
    withdrawn = user.say("撤回")
    assert "已撤回" in withdrawn and "已全部填完" in withdrawn
    assert "第3/6项" in user.say("第3项")
    assert "第3项已记录：否（设备在采购）" in user.say("否，设备在采购")
    assert "第2版已提交" in user.say("提交")


def test_an_answer_changed_by_the_other_filler_in_chat_is_not_said_to_come_from_the_miniapp(world, wechat_user):
    chair, staff = wechat_user("o-王建国"), wechat_user("o-李芳")
    for user in (chair, staff):
        pick_kind(user, "示范职工之家")
        user.say("确认")
    chair.say("否，在建")
    conflict = staff.say("否，已建")
    assert "“第1项 组织机构”刚由本单位其他填报人在公众号中改过" in conflict and "小程序" not in conflict
    assert "现在的内容：否（在建）" in conflict
    kept = staff.say("保留")
    assert kept.startswith("已保留现在的内容。") and "第2/21项" in kept
