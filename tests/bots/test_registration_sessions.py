"""A union chair filling a 登记表 the way people type: the bot reads it and says what it read."""
from miniapp_backend.models import HonourKind
from miniapp_backend.services import drafts
from tests.bots.flows import only_application, pick_kind
from tests.factories import IN_WINDOW, make_qualified

SMALL = "small_home_registration"


def small_home_at_member_count(world, wechat_user):
    """赵强 in chat at 5-2's 会员人数 (prefilled 30), the roster filled."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    pick_kind(user, "区级先进职工小家")
    user.say("确认")
    user.say("赵强，男，45，分会主席，中共党员，兼职")
    assert "第6/14项 【会员人数】" in user.say("完成")
    return user


def test_a_roster_row_in_everyday_words_is_read_back_as_recorded(world, wechat_user):
    make_qualified(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "区级先进职工之家")
    user.say("第16项")
    first = user.say("王建国 男 52岁 党员 主席 专职")
    assert "已记录第1行：王建国，男，52，中共党员，工会主席，专职（最多3行）" in first
    asked = user.say("李红，女，45，群众，副主席，兼职")  # 常务副主席 or 工会副主席?
    assert "职务请从以下选项中选一个" in asked and "2. 常务副主席　3. 工会副主席" in asked
    assert "已记录第2行：李红，女，45，群众，工会副主席，兼职" in user.say("李红，女，45，群众，工会副主席，兼职")


def test_confirming_a_value_changed_in_the_mini_program_shows_the_new_value_first(world, wechat_user):
    user = small_home_at_member_count(world, wechat_user)  # shown 当前：30人
    application, key = only_application(), f"{SMALL}:member_count"
    seen = drafts.answers_of(application)[key].revision
    drafts.write_answer(application, world.branch_chair, key, 35, base_revision=seen, channel="miniapp",
                        today=IN_WINDOW)
    again = user.say("确认")
    assert "“会员人数”刚在小程序中改过，请核对现在的内容。" in again
    assert "第6/14项 【会员人数】" in again and "当前：35人" in again
    assert "第7/14项 【联系电话】" in user.say("确认")
    assert drafts.answers_of(application)[key].value == 35
