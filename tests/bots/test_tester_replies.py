"""Replies a tester found taken for answers they are not: a figure for 是, 覆盖 for a paragraph,
好的 for a station's name, an old client's emoticon code for a value."""
from miniapp_backend.models import Station
from miniapp_backend.services import drafts
from tests.bots.flows import district_home_draft, only_application, pick_kind, start_checklist


def test_a_figure_at_a_checklist_item_is_no_yes_and_is_asked_again(world, wechat_user):
    """“1,500” was read as 是 with the 说明 “500” (its 1 is 是); “0.5” as 否 with “5”."""
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    for figure in ("1,500", "1，500", "0.5", "1,500人"):
        asked = user.say(figure)
        assert f"“{figure}”是一个数，没有记为第1项的回答" in asked, asked
        assert "请回复“是”或“否”" in asked and "第1/21项" in asked
    assert "district_home_checklist:item.1" not in drafts.answers_of(only_application())
    # A bare 否's 说明 may still be a figure (面积 1.5 平方米), and 1 alone stays 是.
    assert "第1项已记录：否。" in user.say("否")
    assert "已补充第1项的说明：否（1.5平方米）" in user.say("1.5平方米")


def test_overwrite_or_keep_with_no_conflict_open_is_not_appended_to_a_long_text(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    assert "已保存，共4/800字" in user.say("职工书屋")
    for word in ("覆盖", "保留", "保留。"):
        reply = user.say(word)
        assert f"“{word.rstrip('。')}”没有写进主要事迹：“覆盖”“保留”用于回答与小程序修改冲突时的提问" in reply, reply
    assert drafts.answers_of(only_application())["district_home_registration:main_deeds"].value == "职工书屋"


def test_overwrite_or_keep_with_no_conflict_open_is_not_a_text_fields_value(world, wechat_user):
    """At 单位全称, a 覆盖 / 保留 with no conflict question open was stored as the unit's name."""
    user = district_home_draft(world, wechat_user)
    user.say("4")
    for word in ("覆盖", "保留", "保留。", "替换"):
        reply = user.say(word)
        assert f"“{word.rstrip('。')}”没有记为单位全称：“覆盖”“保留”用于回答与小程序修改冲突时的提问" in reply, reply
        assert "当前：北京良乡示例科技有限公司工会委员会" in reply, reply  # the field asked again
    answers = drafts.answers_of(only_application())
    assert answers["district_home_registration:unit_full_name"].value == "北京良乡示例科技有限公司工会委员会"
    assert "已记录 单位全称：北京良乡示例科技（集团）有限公司工会委员会" in user.say(
        "北京良乡示例科技（集团）有限公司工会委员会")


def test_an_acknowledgement_is_not_taken_for_a_new_stations_name(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    for word in ("好的", "收到！", "谢谢👍", "确认", "没问题", "OK"):
        reply = user.say(word)
        assert "没有记为驿站名称：这是答复用语，不像驿站的名称" in reply and "请回复驿站名称" in reply, reply
    assert "请回复驿站地址" in user.say("良乡暖心驿站")
    assert not Station.select().where(Station.name == "好的").exists()


def test_an_old_clients_emoticon_code_is_never_stored_as_a_value(world, wechat_user):
    """Older WeChat clients send emoticons as "/::)" codes, not as "[微笑]"."""
    user = district_home_draft(world, wechat_user)
    user.say("4")
    for decoration in ("/::)", "/:strong", "/:strong/:strong", "/::-|"):
        kept = user.say(decoration)
        assert f"没看懂“{decoration}”" in kept and "当前：北京良乡示例科技有限公司工会委员会" in kept, kept
    assert "先核对表头" in user.say("确认/:strong")  # the field kept, back at the header
    assert "表头已确认" in user.say("确认/:ok")
    user.say("第18项")
    assert "已写0/800字" in user.say("/::D")
    answers = drafts.answers_of(only_application())
    assert "district_home_registration:main_deeds" not in answers
    assert answers["district_home_registration:unit_full_name"].value == "北京良乡示例科技有限公司工会委员会"


def test_a_count_in_chinese_numerals_is_the_number(world, wechat_user):
    """“一百人”, “一百五十” were refused as not Arabic digits; a range (二三十) is refused as inexact."""
    user = district_home_draft(world, wechat_user)
    user.say("第9项")
    assert "工会委员会人数“二三十”不是一个确切的数" in user.say("二三十")
    assert "已记录 工会委员会人数：七人" not in (saved := user.say("七个")) and "已记录 工会委员会人数：7" in saved
    assert drafts.answers_of(only_application())["district_home_registration:committee_member_count"].value == 7
    user.say("第6项")
    assert "已记录 职工人数：150" in user.say("一百五十人")


def test_a_note_after_a_roster_cell_is_said_not_recorded(world, wechat_user):
    """“兼职（兼任党支部书记）” saved the row as 兼职 and said nothing of the 说明 it dropped."""
    user = district_home_draft(world, wechat_user)
    user.say("第16项")
    reply = user.say("王建国，男，50，群众，工会副主席，兼职（兼任党支部书记）")
    assert "已记录第1行：王建国，男，50，群众，工会副主席，兼职" in reply
    assert "“兼任党支部书记”没有记录：专兼职情况一栏只填“专职”或“兼职”，表上没有写说明的地方。" in reply
    both = user.say("李四，男，45，中共党员(预备)，工会副主席，专职\n张三，男，40，群众，工会副主席，兼职")
    assert "“预备”没有记录：第2行政治面貌一栏只填其中一项：中共党员、中共预备党员" in both, both
    rows = drafts.answers_of(only_application())["district_home_registration:chairs"].value
    assert [row["employment_type"] for row in rows] == ["兼职", "专职", "兼职"]
    user.say("第16项")
    user.say("清空")
    assert "没有记录" not in user.say("赵六，男，40，群众，工会副主席，兼职")  # a plain row: nothing left out
