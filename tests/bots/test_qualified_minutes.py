"""合格申报 in chat with the 会员代表大会's minutes: photos sent while declaring are counted and become
the declaration's once confirmed (downloaded before or after 确认), a declaration made before gets
them by 合格申报 again, and the confirming union can then confirm it."""
import datetime as dt

import pytest

from miniapp_backend.models import ChatMedia, Honour, HonourKind, HonourStatus
from miniapp_backend.models.chat_media import MediaStatus
from miniapp_backend.services import qualified, qualified_minutes
from miniapp_backend.services.errors import InvalidState
from tests.bots.conftest import PNG, add_photo
from tests.factories import IN_WINDOW


def test_photos_sent_while_declaring_are_counted_and_become_the_declarations_minutes(
        world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    user.say("合格申报")
    assert "最多9张），系统工会据此确认" in user.say("2018-03-20")
    assert "还没有收到会议记录照片" in user.say("好了")
    assert "已收到会议记录照片1张" in user.photo(add_photo(standin, PNG + b"page 1"))
    jobs()  # stored before 确认: it waits for the declaration
    assert ChatMedia.get().status == MediaStatus.STORED
    assert "已收到会议记录照片2张" in user.photo(add_photo(standin, PNG + b"page 2"))
    assert "会议记录照片：2张" in user.say("好了")
    assert "会议记录照片：3张" in user.photo(add_photo(standin, PNG + b"resolution"))  # sent at the check
    assert "已申报“合格职工之家”" in user.say("确认")
    honour = Honour.get()
    assert len(qualified_minutes.minutes_of(honour)) == 1, "the two still downloading follow"
    jobs()
    assert len(qualified_minutes.minutes_of(honour)) == 3
    assert qualified.verify_qualified(honour, world.system_admin).status == HonourStatus.ACTIVE


def test_the_minutes_take_nine_photos_and_going_back_keeps_them(world, wechat_user):
    user = wechat_user("o-王建国")
    user.say("合格申报")
    user.say("2018-03-20")
    for page in range(1, 10):
        user.photo(f"minutes-{page}")
    assert "会议记录已有9张，最多9张" in user.photo("minutes-10")
    assert "会议记录照片：9张" in user.say("好了")
    assert "会议记录或决议的照片" in user.say("上一步")
    assert "会员代表大会召开日期" in user.say("上一步")
    user.say("2018-03-21")
    assert "会议记录照片：9张" in user.say("好了")


def test_a_declaration_made_before_gets_its_minutes_by_declaring_again(world, wechat_user, standin, jobs):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                         today=IN_WINDOW)
    with pytest.raises(InvalidState, match="还没有附会员代表大会的会议记录或决议"):
        qualified.verify_qualified(honour, world.system_admin)
    user = wechat_user("o-王建国")
    reply = user.say("合格申报")
    assert "正在等待系统工会确认，不能重复申报" in reply and "本单位的申报已附会议记录0张；可在这里补发" in reply
    assert "还没有收到会议记录照片" in user.say("好了")
    assert "已经是第一步了" in user.say("上一步")
    assert "已收到会议记录照片1张" in user.photo(add_photo(standin))
    with pytest.raises(InvalidState, match="正在保存，请稍后刷新页面"):
        qualified.verify_qualified(honour, world.system_admin)
    assert "会议记录共1张，已加入本单位的合格称号申报，系统工会核对后确认" in user.say("好了")
    jobs()
    assert qualified.verify_qualified(honour, world.system_admin).status == HonourStatus.ACTIVE


def test_a_photo_of_the_minutes_that_cannot_be_kept_is_told_to_the_chair(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    user.say("合格申报")
    user.say("2018-03-20")
    user.photo(add_photo(standin, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))  # a PNG signature and nothing else
    user.say("好了")
    user.say("确认")
    jobs()
    assert ChatMedia.get().status == MediaStatus.FAILED
    assert qualified_minutes.minutes_of(Honour.get()) == []
    told = [e for e in standin.state.sent if e["openid"] == "o-王建国"][-1]["payload"]["text"]["content"]
    assert told == "您在合格称号申报中发送的一张会议记录照片未能保存（图片无法识别），请回复“合格申报”重新发送。"
    assert "本单位的申报已附会议记录0张" in user.say("合格申报")


def test_a_minutes_photo_sent_by_mistake_comes_off(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    user.say("合格申报")
    user.say("2018-03-20")
    assert "这次还没有发会议记录照片" in user.say("删除照片")
    user.photo(add_photo(standin, PNG + b"page 1"))
    jobs()  # stored, waiting for the declaration
    user.photo(add_photo(standin, PNG + b"selfie"))  # still downloading when taken off
    assert "已删除刚发的一张会议记录照片，现有1张" in user.say("删除照片")
    assert "会议记录照片：1张" in user.say("好了")
    user.say("确认")
    jobs()  # the removed one is not fetched
    honour = Honour.get()
    assert len(qualified_minutes.minutes_of(honour)) == 1
    assert ChatMedia.select().where(ChatMedia.status == MediaStatus.FAILED).count() == 1


def test_a_photo_added_to_a_waiting_declaration_comes_off_it(world, wechat_user, standin, jobs):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                         today=IN_WINDOW)
    user = wechat_user("o-王建国")
    user.say("合格申报")
    user.photo(add_photo(standin, PNG + b"page 1"))
    user.photo(add_photo(standin, PNG + b"wrong page"))
    jobs()
    assert len(qualified_minutes.minutes_of(honour)) == 2
    assert "已删除刚发的一张会议记录照片，现有1张" in user.say("删除照片")
    assert len(qualified_minutes.minutes_of(honour)) == 1
