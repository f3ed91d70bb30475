"""A union chair filling a 登记表 the way people type: the bot reads it and says what it read."""
import datetime as dt

from bots import clock
from miniapp_backend.clock import local_today
from miniapp_backend.models import HonourKind
from miniapp_backend.services import drafts, review
from tests.admin.helpers import make_accounts, post, sign_in
from tests.bots.conftest import add_photo
from tests.bots.flows import district_home_draft, only_application, pick_kind, upload_report
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
    user = district_home_draft(world, wechat_user)
    user.say("第16项")
    first = user.say("王建国 男 52岁 党员 主席 专职")
    assert "已记录第1行：王建国，男，52，中共党员，工会主席，专职（最多3行）" in first
    asked = user.say("李红，女，45，群众，副主席，兼职")  # 常务副主席 or 工会副主席?
    assert "职务填的是“副主席”，不是其中的选项：工会主席、常务副主席、工会副主席。" in asked
    assert "已记录第2行：李红，女，45，群众，工会副主席，兼职" in user.say("李红，女，45，群众，工会副主席，兼职")


def test_roster_rows_pasted_in_one_message_are_each_recorded_or_none_is(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第16项")
    bad = user.say("王建国，男，52，中共党员，工会主席，专职\n李红，女，四十几，群众，工会副主席，兼职")
    assert "第2行：年龄“四十几”不是一个确切的数" in bad
    assert "district_home_registration:chairs" not in drafts.answers_of(only_application())  # the good row too
    pasted = user.say("王建国，男，52，中共党员，工会主席，专职\n\n李红，女，45，群众，工会副主席，兼职\n")
    assert ("已记录第1、2行：王建国，男，52，中共党员，工会主席，专职；李红，女，45，群众，工会副主席，兼职"
            "（最多3行）") in pasted
    too_many = user.say("张三，男，40，群众，常务副主席，兼职\n李四，男，41，群众，工会副主席，兼职")
    assert "这条消息有2行，最多还能填1行（共3行），都没有保存" in too_many
    rows = drafts.answers_of(only_application())["district_home_registration:chairs"].value
    assert [row["name"] for row in rows] == ["王建国", "李红"]


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


def test_a_return_with_remarks_from_the_admin_web_is_named_in_chat_until_resubmitted(
        world, wechat_user, bot_app, config):
    make_accounts(world)
    user = small_home_at_member_count(world, wechat_user)
    application = only_application()
    for key, value in {"main_deeds": "分会事迹。", "member_total": 30, "present": 28, "agreed": 27,
                       "satisfaction": 96}.items():
        drafts.write_answer(application, world.branch_chair, f"{SMALL}:{key}", value, channel="miniapp",
                            today=IN_WINDOW)
    upload_report(config, application, world.branch_chair)
    assert "第1版已提交" in user.say("提交")
    web = bot_app.test_client()
    sign_in(web, "chair")  # 王建国 signs the 基层工会委员会意见
    page = f"/admin/applications/{application.id}"
    deadline = (local_today() + dt.timedelta(days=10)).isoformat()
    post(web, f"{page}/decide", {"decision": "return", "step": review.current_step(only_application()).id,
                                 "opinion": "请核对会议人数", "rectify_deadline": deadline,
                                 f"remark:{SMALL}:member_total": "与会员人数不符"}, page)
    later = user.say("好的")  # days later, the chair answers the notice
    assert "退回整改中：回复“进度”查看审核意见" in later and "已全部填完" not in later
    assert "第11项 会员人数：与会员人数不符" in user.say("进度")
    assert "审核意见：与会员人数不符" in user.say("第11项")
    assert "已记录 会员人数：29人" in user.say("29人")
    assert "第2版已提交" in user.say("提交")


def test_a_draft_left_past_its_deadline_is_listed_as_closed_not_offered_again(world, wechat_user, bot_app):
    user = small_home_at_member_count(world, wechat_user)
    bot_app.config[clock.NOW_SETTING] = dt.datetime(2018, 10, 8, 2, 0)  # back after the 9月30日 close
    listing = user.say("申报")
    offered, closed = listing.split("暂不能申报：")
    assert "区级先进职工小家" not in offered and "1. 职工暖心驿站" in offered
    assert "· 区级先进职工小家：2018年度申报已于2018年9月30日截止" in closed


def test_confirming_a_header_changed_in_the_mini_program_shows_it_again_first(world, wechat_user):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    assert "2. 企（事）业单位：北京良乡示例科技有限公司工会委员会" in pick_kind(user, "区级先进职工小家")
    application, key = only_application(), f"{SMALL}:employer_name"
    drafts.write_answer(application, world.branch_chair, key, "北京良乡示例科技有限公司",
                        base_revision=drafts.answers_of(application)[key].revision, channel="miniapp",
                        today=IN_WINDOW)
    again = user.say("确认")
    assert "“表头”刚被改过，请核对现在的内容。" in again and "2. 企（事）业单位：北京良乡示例科技有限公司\n" in again
    assert "表头已确认" in user.say("确认")


def test_a_count_refused_against_one_typed_earlier_names_both_values(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第19项")
    assert "已记录 应到人数：100人" in user.say("100人。")  # ended like a sentence
    assert "第21/22项 【同意人数】" in user.say("80人")
    user.say("第19项")  # 应到 was in fact 60: the 实到 typed before stands in the way
    refused = user.say("60")
    assert "实到人数不能多于应到人数（实到人数为80人，应到人数为60人）" in refused


def test_back_in_chat_after_filling_on_in_the_mini_program_resumes_at_the_first_blank(world, wechat_user):
    user = small_home_at_member_count(world, wechat_user)
    user.say("确认")
    user.say("确认")
    user.say("跳过")
    assert "第10/14项 【主要事迹】" in user.say("确认")  # where the chair leaves the chat
    application = only_application()
    for key, value in {"main_deeds": "分会事迹。", "member_total": 30, "present": 28}.items():
        drafts.write_answer(application, world.branch_chair, f"{SMALL}:{key}", value, channel="miniapp",
                            today=IN_WINDOW)
    user.say("申报")
    assert "第13/14项 【同意人数】" in user.say("1")


def test_a_third_value_sent_to_a_conflict_answers_the_field(world, wechat_user):
    user = small_home_at_member_count(world, wechat_user)  # shown 当前：30人
    application, key = only_application(), f"{SMALL}:member_count"
    drafts.write_answer(application, world.branch_chair, key, 35,
                        base_revision=drafts.answers_of(application)[key].revision, channel="miniapp",
                        today=IN_WINDOW)
    asked = user.say("32")
    assert "“会员人数”刚在小程序中改过。\n现在的内容：35人\n您的回复：32" in asked
    assert "没看懂“三十几”" in user.say("三十几")  # still asked: 覆盖, 保留 or a value
    anew = user.say("33")
    assert "已记录 会员人数：33人" in anew and "第7/14项 【联系电话】" in anew
    assert drafts.answers_of(application)[key].value == 33


def test_a_bare_number_sent_to_a_conflict_chooses_neither_side(world, wechat_user):
    user = small_home_at_member_count(world, wechat_user)
    user.say("第8项")  # 荣誉称号: words
    application, key = only_application(), f"{SMALL}:honors"
    drafts.write_answer(application, world.branch_chair, key, "2016年 房山区先进职工小家", channel="miniapp",
                        today=IN_WINDOW)
    assert "回复“覆盖”用您的回复替换" in user.say("2017年 房山区先进职工小家")
    for stray in ("1", "２。"):
        asked = user.say(stray)
        assert asked.startswith(f"“{stray.rstrip('。').replace('２', '2')}”既不是“覆盖”也不是“保留”"), asked
        assert "现在的内容：2016年 房山区先进职工小家" in asked and "回复“覆盖”用您的回复替换，回复“保留”" in asked
        assert drafts.answers_of(application)[key].value == "2016年 房山区先进职工小家"
    assert "已用您的回复覆盖" in user.say("覆盖")
    assert drafts.answers_of(application)[key].value == "2017年 房山区先进职工小家"


def test_a_wechat_emoticon_or_a_lone_emoji_is_never_stored_as_a_value(world, wechat_user, standin):
    """WeChat's own emoticons come as their names in brackets ("好的[强]"); a 👍 or a [强] sent as an
    acknowledgement overwrote 单位全称 and joined 主要事迹 and a 否's 说明 (“否（捂脸）”)."""
    user = district_home_draft(world, wechat_user)
    user.say("4")
    for decoration in ("👍", "[强]", "[OK][抱拳]"):
        kept = user.say(decoration)
        assert f"没看懂“{decoration}”" in kept and "当前：北京良乡示例科技有限公司工会委员会" in kept
    assert "先核对表头" in user.say("确认[强]")
    assert "表头已确认" in user.say("确认[抱拳]")
    user.say("第18项")
    assert "已写0/800字" in user.say("[捂脸]")
    assert "已暂停" in user.say("暂停[再见]")
    assert "第18/22项 【主要事迹】" in user.say("继续[抱拳]")
    user.say("第17项")
    assert "已记录 工会主席是否按同级党政副职配备：是" in user.say("是[强]")
    application = only_application()
    answers = drafts.answers_of(application)
    assert answers["district_home_registration:unit_full_name"].value == "北京良乡示例科技有限公司工会委员会"
    assert "district_home_registration:main_deeds" not in answers
    user.say("验收单第1项")
    user.photo(add_photo(standin))
    assert "第1项已记录：是，照片1张" in user.say("是[强]")
    assert "第2项已记录：否。" in user.say("否[捂脸]")
    assert "第2项已记录：否（还没办卡）" in (user.say("第2项") and user.say("否[捂脸]还没办卡"))
    user.say("第3项")
    user.say("否")
    assert "已补充" not in user.say("[捂脸]")  # no 说明 of the bare 否
    assert drafts.answers_of(application)["district_home_checklist:item.3"].value == {"done": False, "note": ""}


def test_a_photo_sent_in_an_application_of_a_registration_form_alone_is_not_sent_to_an_item(
        world, wechat_user, standin):
    """The 小家 application has no 验收单: a photo was refused with “照片要对应验收单的某一项。请先
    回复“第N项”打开该项”, an item the chair could never open."""
    user = small_home_at_member_count(world, wechat_user)
    refused = user.photo(add_photo(standin))
    assert "这张照片没有收下：这份申报只有登记表，不需要在公众号发照片" in refused
    assert "验收单" not in refused and "第6/14项 【会员人数】" in refused
    assert "不需要在公众号发照片" in user.say("删除照片")
    assert "不需要在公众号发照片" in user.say("这张也用于第6、7项")


def test_a_roster_row_sent_again_is_not_recorded_twice(world, wechat_user):
    """A row resent (the chair unsure the first went through) took 5-2's second and last row,
    and the chat went on with 赵强 listed twice."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    pick_kind(user, "区级先进职工小家")
    user.say("确认")
    user.say("赵强，男，45，分会主席，中共党员，兼职")
    again = user.say("赵强 男 45岁 分会主席 党员 兼职")
    assert again.startswith("这一行与已填的第1行相同（赵强，男，45，分会主席，中共党员，兼职），没有重复记录。")
    assert "第6/14项" not in again
    user.say("清空")
    pasted = user.say("钱多多，女，38，分会副主席，群众，兼职\n钱多多，女，38，分会副主席，群众，兼职")
    assert pasted.startswith("第2行与第1行相同（钱多多，女，38，分会副主席，群众，兼职），都没有保存；请删去重复的行后重发。")
    assert not drafts.answers_of(only_application())[f"{SMALL}:chairs"].value  # cleared, and no row saved
    assert "第6/14项 【会员人数】" in user.say("赵强，男，45，分会主席，中共党员，兼职\n钱多多，女，38，分会副主席，群众，兼职")
    rows = drafts.answers_of(only_application())[f"{SMALL}:chairs"].value
    assert [row["name"] for row in rows] == ["赵强", "钱多多"]


def test_after_rewrite_the_text_shown_again_says_the_next_message_replaces_it(world, wechat_user):
    """查看 (or 帮助) after 重写 said “可继续发送追加” while the next message would replace the whole
    text: the chair appended a paragraph and lost the rest."""
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    user.say("　　职工书屋建成。")
    user.say("重写")
    viewed = user.say("查看")
    assert "追加，写完" not in viewed
    assert viewed.endswith("已选“重写”：下一条消息将替换全部已写内容；要接在后面写请回复“追加”。")
    helped = user.say("帮助")
    assert helped.endswith("已选“重写”：下一条消息将替换全部已写内容；要接在后面写请回复“追加”。")
    assert "已保存，共13/800字" in (user.say("追加") and user.say("　　母婴室建成。"))
    assert user.say("查看").endswith("可继续发送追加，写完回复“完成”。")


def test_a_roster_row_in_the_other_forms_column_order_is_told_the_order_not_to_reply_a_number(
        world, wechat_user):
    """5-2 asks 职务 before 政治面貌, 5-1 the other way round: a row typed in 5-1's order was told
    “职务请从以下选项中选一个（可回复序号）”, and the number replied alone was then no row at all."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    pick_kind(user, "区级先进职工小家")
    user.say("确认")
    refused = user.say("赵强，男，45，中共党员，分会主席，兼职")
    assert refused.startswith("职务填的是“中共党员”，不是其中的选项：分会主席、分会副主席、工会小组长。"
                              "请按顺序填写姓名、性别、年龄、职务、政治面貌、兼职情况"), refused
    assert "可回复序号" not in refused
    assert "已记录第1行" in user.say("赵强，男，45，分会主席，中共党员，兼职")


def test_a_note_after_a_yes_or_no_field_is_said_to_be_left_out(world, wechat_user):
    """工会主席是否按同级党政副职配备 answered “否，正在协调”: the form has no room for the 说明, which
    went unmentioned, as if it had been recorded like an item's."""
    user = district_home_draft(world, wechat_user)
    user.say("第17项")
    saved = user.say("否，正在协调")
    assert saved.startswith("已记录 工会主席是否按同级党政副职配备：否。\n“正在协调”没有记录：这一项只填“是”或“否”。")
    assert "第18/22项 【主要事迹】" in saved
    user.say("第17项")
    assert "没有记录" not in user.say("是")


def test_a_photo_sent_at_the_registration_form_of_a_bundle_names_the_checklist_items(
        world, wechat_user, standin):
    """At 5-1 (bundled with the 验收单) a photo was told “请先回复“第N项”打开该项”: 第3项 there opens the
    登记表's 填表日期, where the photo was refused again."""
    user = district_home_draft(world, wechat_user)
    user.say("第9项")
    refused = user.photo(add_photo(standin))
    assert "照片要对应验收单的某一项。请先回复“验收单第N项”打开该项，再重新发送照片。" in refused
    assert "第3/14项" in user.say("验收单第3项")
    assert "已收到第3项的照片，共1张" in user.photo(add_photo(standin))


def test_a_number_only_the_other_form_of_a_bundle_has_opens_it_there(world, wechat_user):
    """At the 验收单 (items 1-15), “第16项” was told “这张表没有第16项”: it is the 登记表's roster."""
    user = district_home_draft(world, wechat_user)
    user.say("验收单第1项")
    opened = user.say("第16项")
    assert opened.startswith("验收单没有第16项，已打开登记表的第16项。")
    assert "第16/22项 【工会正副主席情况】" in opened
    assert "第3/22项 【填表日期】" in user.say("第3项")  # both have a 第3项: the form in hand
    assert "这张表没有第99项" in user.say("第99项")


def test_a_date_answered_today_or_yesterday_is_that_day(world, wechat_user):
    """填表日期 answered “今天” was refused with the date format, on the very day it names."""
    user = district_home_draft(world, wechat_user)  # the chat's day: 2018-05-10
    user.say("3")
    assert "已记录 填表日期：2018-05-09" in user.say("昨天")
    user.say("3")
    assert "已记录 填表日期：2018-05-10" in user.say("今天。")
    user.say("3")
    assert "不能晚于今天" in user.say("明天")


def test_an_acknowledgement_at_a_long_text_is_not_written_into_it(world, wechat_user):
    """“已保存…可继续发送” answered “好的” (or 收到, 谢谢) put “好的” into 主要事迹 as a paragraph."""
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    user.say("职工书屋建成。")
    for ack in ("好的", "收到！", "谢谢👍"):
        reply = user.say(ack)
        assert reply.startswith(f"“{ack}”没有写进主要事迹。写完请回复“完成”，还要补充请直接发送文字。"), reply
    user.say("重写")  # “好的，下一条消息将替换全部已写内容。”
    assert "没有写进主要事迹" in user.say("好的")  # not the whole text replaced by “好的”
    assert drafts.answers_of(only_application())["district_home_registration:main_deeds"].value == "职工书屋建成。"
    assert "第19/22项" in user.say("完成")


def test_an_acknowledgement_at_a_prefilled_field_keeps_its_value(world, wechat_user):
    """“当前：…。无误回复“确认”” answered “好的” made 单位全称 “好的”."""
    user = district_home_draft(world, wechat_user)
    user.say("4")
    kept = user.say("好的")
    assert "已记录" not in kept and "4. 单位全称：北京良乡示例科技有限公司工会委员会" in kept
    user.say("第17项")  # nothing there yet: nothing to keep, and no value either
    assert "这一项还没有内容，请直接回复。" in user.say("收到")
    answers = drafts.answers_of(only_application())
    assert answers["district_home_registration:unit_full_name"].value == "北京良乡示例科技有限公司工会委员会"
    assert "district_home_registration:chair_rank_matched" not in answers


def test_an_acknowledgement_sent_to_a_conflict_chooses_neither_side(world, wechat_user):
    user = small_home_at_member_count(world, wechat_user)
    user.say("第8项")  # 荣誉称号: words, where “好的” read as a new value
    application, key = only_application(), f"{SMALL}:honors"
    drafts.write_answer(application, world.branch_chair, key, "2016年 房山区先进职工小家", channel="miniapp",
                        today=IN_WINDOW)
    assert "回复“覆盖”用您的回复替换" in user.say("2017年 房山区先进职工小家")
    asked = user.say("好的")
    assert "已记录" not in asked and "回复“覆盖”用您的回复替换" in asked
    assert drafts.answers_of(application)[key].value == "2016年 房山区先进职工小家"


def test_an_acknowledgement_at_a_roster_is_told_how_to_go_on(world, wechat_user):
    """“继续发送下一行，或回复“完成”” answered “好的” was told “每行应有6项，收到1项”."""
    user = district_home_draft(world, wechat_user)
    user.say("第16项")
    user.say("王建国，男，52，中共党员，工会主席，专职")
    assert user.say("好的").startswith("“好的”没有记为一行。还有人请继续发送下一行，填完请回复“完成”。")
    assert "第17/22项" in user.say("完成")


def test_pausing_at_a_conflict_resumes_at_that_conflict(world, wechat_user):
    """暂停 at “覆盖 or 保留?” promised “从第8项接着填”, but 继续 opened the first blank (主要事迹), where
    the chair's value sent again and then 覆盖 were written into the text."""
    user = small_home_at_member_count(world, wechat_user)
    user.say("第8项")
    application, key = only_application(), f"{SMALL}:honors"
    drafts.write_answer(application, world.branch_chair, key, "2016年 房山区先进职工小家", channel="miniapp",
                        today=IN_WINDOW)
    assert "回复“覆盖”用您的回复替换" in user.say("2017年 房山区先进职工小家")
    assert "从第8项接着填" in user.say("暂停")
    resumed = user.say("继续")
    assert "现在的内容：2016年 房山区先进职工小家\n您的回复：2017年 房山区先进职工小家" in resumed
    assert "回复“覆盖”用您的回复替换" in resumed
    assert "已用您的回复覆盖" in user.say("覆盖")
    answers = drafts.answers_of(application)
    assert answers[key].value == "2017年 房山区先进职工小家" and f"{SMALL}:main_deeds" not in answers
    user.say("第8项")
    drafts.write_answer(application, world.branch_chair, key, "2016年 房山区先进职工小家",
                        base_revision=answers[key].revision, channel="miniapp", today=IN_WINDOW)
    assert "回复“覆盖”用您的回复替换" in user.say("2018年 房山区先进职工小家")
    user.say("上一步")  # left the question: 继续 no longer asks it
    user.say("暂停")
    assert "第7/14项 【联系电话】" in user.say("继续")


def test_the_meetings_member_count_is_not_above_the_branchs(world, wechat_user):
    """5-2's two 会员人数: the meeting's (第11项) above the 分会's (第6项, 30) is refused, both named."""
    user = small_home_at_member_count(world, wechat_user)
    user.say("第11项")
    refused = user.say("40")
    assert "会议的会员人数不能多于本分会（小组）的会员人数（工会分会（小组）会员（代表）会议审议情况·会员人数为40人，" \
           "会员人数为30人）" in refused, refused
    assert f"{SMALL}:member_total" not in drafts.answers_of(only_application())
    assert "已记录 会员人数：30人" in user.say("30")


def test_an_expected_count_of_zero_is_refused_in_chat_and_the_one_recorded_stays(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第19项")
    assert "已记录 应到人数：60人" in user.say("60")
    user.say("第19项")
    assert "应到人数至少为1人，不能为0：请填写实际的应到人数，如 60" in user.say("0")
    assert drafts.answers_of(only_application())["district_home_registration:expected"].value == 60
