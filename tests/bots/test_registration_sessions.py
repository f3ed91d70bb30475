"""A union chair filling a 登记表 the way people type: the bot reads it and says what it read."""
from miniapp_backend.models import HonourKind
from tests.bots.flows import pick_kind
from tests.factories import make_qualified


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
