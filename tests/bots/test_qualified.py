"""合格申报 in chat: the chair declares 合格职工之家 after the 会员代表大会 (date checked, re-asked),
the 系统工会 admin is asked to confirm, and the 申报 list says how to declare and what it waits for."""
import datetime as dt

from miniapp_backend.models import Honour, HonourKind, HonourStatus, Notice
from miniapp_backend.services import eligibility, qualified
from tests.bots.flows import declare_in_chat
from tests.factories import IN_WINDOW, minutes_scan

DISTRICT = "区级先进职工之家"


def _line(listing, label):
    """The line of the 申报 list naming `label`."""
    return next(line for line in listing.splitlines() if label in line)


def test_the_apply_list_tells_the_chair_to_declare_and_then_that_the_declaration_awaits_confirmation(
        world, wechat_user):
    user = wechat_user("o-王建国")
    line = _line(user.say("申报"), DISTRICT)
    assert "需先获得“合格职工之家”称号" in line and "工会主席可回复“合格申报”申报合格职工之家" in line
    declare_in_chat(user, "2018-03-20")
    line = _line(user.say("申报"), DISTRICT)
    assert "本单位已申报“合格职工之家”（会员代表大会2018年3月20日），待系统工会确认后即可申报" in line
    assert "合格申报" not in line


def test_a_chair_declares_step_by_step_with_bad_dates_asked_again(world, wechat_user):
    user = wechat_user("o-王建国")
    assert "合格申报" in user.say("帮助")
    reply = user.say("合格申报")
    assert "为北京良乡示例科技有限公司工会委员会申报“合格职工之家”" in reply
    assert "会员代表大会召开日期" in reply
    assert "不能晚于今天（2018年5月10日）" in user.say("2018年6月1日")
    assert "超过一届工会委员会的任期" in user.say("2010-06-01")
    reply = user.say("下周")
    assert "会员代表大会日期" in reply and "会员代表大会召开日期" in reply
    assert "已经是第一步了" in user.say("上一步")
    assert "正在申报合格称号" in user.say("跳过")
    assert "请发送会员代表大会会议记录或决议的照片" in user.say("2018年3月20日")
    assert "会员代表大会召开日期" in user.say("上一步")  # back to the date, to change it
    assert "会议记录或决议的照片" in user.say("2018-4-2")
    user.photo("minutes-page-1")
    reply = user.say("好了")
    assert "会员代表大会日期：2018年4月2日" in reply and "会议记录照片：1张" in reply and "回复“确认”" in reply
    assert Honour.select().count() == 0, "nothing is declared before 确认"
    reply = user.say("确认")
    assert "已申报“合格职工之家”，待系统工会确认" in reply
    honour = Honour.get()
    assert (honour.org_id, honour.kind, honour.status, honour.congress_date) == (
        world.unit.id, HonourKind.QUALIFIED_HOME, HonourStatus.DECLARED, dt.date(2018, 4, 2))
    [asked] = Notice.select().where(Notice.person == world.system_admin)
    assert "北京良乡示例科技有限公司工会委员会申报“合格职工之家”" in asked.payload["text"]
    assert "正在等待系统工会确认，不能重复申报" in user.say("合格申报")


def test_staff_cannot_declare_and_a_held_title_needs_no_declaration(world, wechat_user):
    assert "由本单位工会主席申报" in wechat_user("o-李芳").say("合格申报")
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 1, 5),
                                           minutes=[minutes_scan()], today=IN_WINDOW)
    qualified.verify_qualified(honour, world.system_admin)
    assert "已获得2018年度“合格职工之家”称号，无需再次申报" in wechat_user("o-王建国").say("合格申报")


def test_after_a_revocation_the_chair_declares_again_in_chat(world, wechat_user):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 1, 5),
                                           minutes=[minutes_scan()], today=IN_WINDOW)
    qualified.verify_qualified(honour, world.system_admin)
    eligibility.revoke(honour, world.system_admin, "复查发现职工之家已停用")
    user = wechat_user("o-王建国")
    line = _line(user.say("申报"), DISTRICT)
    assert "已被撤销（复查发现职工之家已停用）" in line and "回复“合格申报”" in line
    assert "已申报“合格职工之家”" in declare_in_chat(user, "2018-04-28")
    assert [h.status for h in Honour.select().order_by(Honour.id)] == [HonourStatus.REVOKED, HonourStatus.DECLARED]


def test_a_branch_declares_its_small_home(world, wechat_user):
    user = wechat_user("o-赵强")
    assert "申报“合格职工小家”" in user.say("合格申报")
    user.say("2018-03-01")
    assert "称号：合格职工小家" not in user.say("取消")
    assert Honour.select().count() == 0
