"""Bad input at every kind of step: a specific message, the question again, never a dead end."""
import datetime as dt

from bots.conversation import replies, station_texts
from miniapp_backend.models import Answer, HonourKind, Station
from miniapp_backend.services import people, stations
from tests.bots.conftest import add_photo
from tests.bots.flows import district_home_draft, only_application, pick_kind, start_checklist
from tests.factories import make_qualified, person, station_for


def test_binding_codes_wrong_used_and_expired_each_say_why(world, wechat_user):
    used = people.create_invite(world.other_unit)
    people.redeem_invite(person("某人"), used.code)
    expired = people.create_invite(world.other_unit, lifetime=dt.timedelta(seconds=-1))
    user = wechat_user("o-newcomer")
    assert "邀请码“ZZZZZZZZ”不存在" in user.say("绑定 ZZZZZZZZ")
    assert "已被使用过" in user.say(f"绑定 {used.code}")
    assert "已过期" in user.say(f"绑定 {expired.code}")
    assert "请发送邀请码" in user.say("绑定")
    fresh = people.create_invite(world.other_unit)
    assert "绑定成功：工会主席 · 燕山示例石化有限公司工会委员会" in user.say(f"绑定 {fresh.code.lower()}")


def test_unknown_text_re_asks_in_every_state_with_a_hint(world, wechat_user):
    user = wechat_user("o-王建国")
    idle = user.say("你好")
    assert "没看懂“你好”" in idle and "回复“申报”开始或继续填写" in idle
    user.say("申报")
    assert "请回复1到3之间的序号" in user.say("9")
    pasted = user.say("9" * 5000)  # past what int() reads: asked again, not a crash
    assert replies.BUSY not in pasted and "没看懂" in pasted
    assert "没看懂“随便”" in user.say("随便")
    pick_kind(user, "示范职工之家")
    assert "请回复1到5之间的序号" in user.say("8")
    header = user.say("王建国")
    assert "没看懂" in header and "先核对表头" in header
    user.say("确认")
    item = user.say("也许吧")
    assert "没看懂“也许吧”" in item and "第1/21项" in item
    assert "没看懂“一二三四五六七八九十一二三四五六七八九十…”" in user.say("一二三四五六七八九十" * 3)
    helped = user.say("帮助")
    assert "填报时随时可以回复" in helped and "第1/21项" in helped  # and where the chair was
    assert "这张表没有第99项" in user.say("第99项")
    too_long = user.say("否，" + "正在筹建" * 60)
    assert "说明共240字，超过200字上限，请删减40字后重发。" in too_long
    assert "第1项已记录：否（正在筹建）" in user.say("否，正在筹建")
    assert "第1项已记录：否（下月挂牌）" in (user.say("第1项") and user.say("否下月挂牌"))  # typed in a hurry
    user.say("第1项")
    assert "还没有收到可共用的照片" in user.say("这张也用于第6、7项")
    assert "先核对表头" in user.say("上一步")
    assert "已经是第一步了" in user.say("上一步")


def test_field_values_are_checked_and_asked_again(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    assert "第8/22项 【联系电话】" in user.say("8")
    assert "联系电话格式不对" in user.say("12345")
    assert "已记录 联系电话：13800138000" in user.say("138 0013 8000")
    assert "单位性质请从以下选项中选一个" in (user.say("5") and user.say("宇宙"))
    assert "单位性质：事业单位" in user.say("2")
    assert "填表日期：2018年2月30日不是有效日期" in (user.say("3") and user.say("2018-02-30"))
    assert "填表日期不能晚于今天（2018年5月10日）" in user.say("2030-01-01")
    # A word of another step (a long text's 完成 or 查看) is not taken for this field's value.
    stray = user.say("完成")
    assert "“完成”没有记为填表日期" in stray and "【填表日期】" in stray
    assert "“查看”没有记为填表日期" in user.say("查看")
    user.say("2018年5月9日")
    user.say("确认")
    assert "工会委员会人数请填写一个整数，如 25 或 二十五" in user.say("若干")
    assert "工会委员会人数“七八个”不是一个确切的数，请填写确切的整数，如 25 或 二十五" in user.say("七八个")
    assert "工会委员会人数不能为负数" in user.say("-3")
    assert "工会委员会人数应在0到1000之间" in user.say("5000")
    huge = user.say("9" * 5000)
    assert "工会委员会人数应在0到1000之间，请核对后重发" in huge and "999" not in huge
    assert "第10/22项" in user.say("７")  # full-width digits are fine


def test_roster_rows_long_texts_and_quorum(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第16项")
    assert "至少要填1行才能完成" in user.say("完成")
    assert "每行应有6项，收到2项" in user.say("王建国，男")
    assert "年龄应在18到100之间" in user.say("王建国，男，12，中共党员，工会主席，专职")
    assert "政治面貌填的是“党员同志”，不是其中的选项" in user.say("王建国，男，50，党员同志，工会主席，专职")
    for name in ("王建国", "李四", "张三"):
        reply = user.say(f"{name}，男，50，群众，工会副主席，兼职")
    assert "已记录第3行：张三，男，50，群众，工会副主席，兼职。3行已填满。" in reply and "第17/22项" in reply
    assert "已填满3行" in (user.say("第16项") and user.say("王五，男，50，群众，工会副主席，兼职"))
    assert "已清空" in user.say("清空")
    user.say("第18项")
    assert "主要事迹还没有内容" in user.say("完成")
    assert "还没有写内容" in user.say("查看")
    assert "已保存，共600/800字" in user.say("事" * 600)
    whole = user.say("查看")  # the whole text, where the step's prompt shows only its opening
    assert whole.startswith("【主要事迹】已写600/800字") and whole.count("事") == 600 + 1  # the label's own
    assert "已有600字，这段300字，合计900字，超过800字上限，这段没有保存" in user.say("迹" * 300)
    assert "好的，下一条消息将替换全部" in user.say("重写")
    assert "已保存，共5/800字" in user.say("重新写一下")
    assert "已写0/800字" in user.say("清空")
    user.say("第19项")
    user.say("100")
    warned = user.say("60")
    assert "提醒：实到人数不足应到人数的三分之二" in warned and "第21/22项" in warned
    assert "同意人数不能多于实到人数" in user.say("70")
    assert "提醒：同意人数未超过实到人数的半数" in user.say("20")
    assert "群众满意率应在0到100之间" in user.say("150")


def test_station_registration_refusals(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    assert "驿站名称应为2到100个字" in user.say("站")
    user.say("良乡暖心驿站")
    assert "地址应为4到200个字" in user.say("良乡")
    user.say("房山区良乡镇拱辰大街1号")
    refused = user.say("工作日白天")
    assert "开放时间应写成“周一至周五 08:00-18:00”" in refused and "请回复驿站的开放时间" in refused
    assert "请发送驿站的位置" in user.say("跳过")  # the hours are optional
    asked = user.say("我不会发位置")
    assert "没看懂" in asked and "请发送驿站的位置" in asked
    assert "这个位置不在房山区范围内" in user.location(31.23, 121.47)
    assert "这个位置不在房山区范围内（收到纬度39.9087，经度116.3975）" in user.location(39.9087, 116.3975)  # 天安门
    assert "已登记驿站“良乡暖心驿站”" in user.location(39.73, 116.13)  # the name and address typed before stay
    assert Station.get().address == "房山区良乡镇拱辰大街1号" and not stations.hours_known(Station.get())


def test_commands_without_a_draft_and_what_staff_may_not_do(world, wechat_user):
    user = wechat_user("o-王建国")
    for command in ("上一步", "跳过", "提交", "撤回", "暂停", "继续", "第3项", "进度"):
        assert "当前没有正在填写的申报" in user.say(command), command
    assert "没有更多内容了" in user.say("更多")
    staff = wechat_user("o-李芳")
    pick_kind(staff, "示范职工之家")
    assert "只有本单位工会主席可以撤回" in staff.say("撤回")
    assert "只有审核中的申报可以撤回" in user.say("撤回")
    staff.say("确认")
    staff.say("否")
    assert "只有本单位工会主席可以提交，工作人员可以先填好" in staff.say("提交")
    assert "还不能提交" in user.say("提交")


def test_small_home_choice_and_honour_refusals(world, wechat_user):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    listing = user.say("申报")
    assert "区级先进职工之家：区级先进职工之家在系统工会及各级基层工会委员会中开展" in listing
    assert "暂不能申报" in listing


def test_a_note_with_cdata_markup_comes_back_in_a_reply_that_still_reads(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    reply = user.say("否 还在建]]><b>")
    assert "第1项已记录" in reply and "还在建]]><b>" in reply


def test_registering_a_station_steps_back_within_itself(world, wechat_user):
    """上一步 and 跳过 while registering a station, and a location sent before the address, stay
    in the registration (an application opened earlier must not take them)."""
    station_for(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    assert "先核对表头" in user.say("1")  # that station's application is now in hand
    pick_kind(user, "职工暖心驿站")
    assert "请回复驿站名称" in user.say("新建")
    assert "为哪个驿站申报" in user.say("上一步")
    user.say("新建")
    user.say("良乡新驿站")
    early = user.location(39.73, 116.13, "拱辰大街")
    assert "驿站的位置在最后一步发送" in early and "请回复驿站地址" in early
    assert user.say("上一步").startswith("请回复驿站名称")
    assert "请回复驿站地址" in user.say("良乡新驿站")
    assert "请回复驿站的开放时间" in user.say("房山区良乡镇拱辰大街2号")
    assert "请发送驿站的位置" in user.say("24小时")
    assert user.say("上一步").startswith("请回复驿站的开放时间")
    assert user.say("上一步").startswith("请回复驿站地址")
    skipped = user.say("跳过")
    assert "不能跳过" in skipped and "请回复驿站地址" in skipped
    user.say("房山区良乡镇拱辰大街3号")
    assert "已登记驿站“良乡新驿站”" in user.location(39.73, 116.13)
    assert Station.get(Station.name == "良乡新驿站").address == "房山区良乡镇拱辰大街3号"


def test_a_long_text_pasted_whole_over_the_limit_is_told_plainly(world, wechat_user):
    """主要事迹 pasted in one message, too long: no "已有0字", no 重写 to suggest; under 重写 the
    text already there is said to stay."""
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    assert user.say("事" * 900).startswith("这段900字，超过800字上限，没有保存。请删减100字后重发。")
    user.say("事" * 700)
    assert "已有700字，这段200字，合计900字" in user.say("迹" * 200)
    user.say("重写")
    refused = user.say("迹" * 850)
    assert refused.startswith("这段850字，超过800字上限，没有保存，原有的700字未改动。请删减50字后重发。")
    assert "已保存，共3/800字" in user.say("新事迹")  # still 重写: the next message replaces the text


def test_a_long_text_in_paragraphs_counts_its_characters_not_its_line_breaks(world, wechat_user):
    """Eight paragraphs of 100 字, the 800 the chair counted in Word, were refused as 807字; sent
    one paragraph a message, the breaks joining them were counted too."""
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    assert "已保存，共800/800字" in user.say("\n".join("　　" + "事" * 100 for _ in range(8)))
    assert user.say("查看").startswith("【主要事迹】已写800/800字")
    assert "已写800/800字" in user.say("第18项")
    assert "合计801字，超过800字上限" in user.say("迹")
    user.say("清空")
    for _ in range(8):
        saved = user.say("事" * 100)
    assert "已保存，共800/800字" in saved


def test_a_long_text_sent_a_paragraph_a_message_keeps_every_indent(world, wechat_user):
    user = district_home_draft(world, wechat_user)
    user.say("第18项")
    user.say("　　职工书屋建成。")
    assert "已保存，共18/800字" in user.say("　　母婴室建成，职工满意。\n")
    assert only_application().answers.where(Answer.key == "district_home_registration:main_deeds").get().value \
        == "　　职工书屋建成。\n　　母婴室建成，职工满意。"


def test_a_choice_in_common_words_is_that_choice_not_its_opposite(world, wechat_user):
    """单位性质 answered 企业单位 was stored as 民办非企业单位 (the one option containing the words)."""
    user = district_home_draft(world, wechat_user)
    user.say("5")
    assert "已记录 单位性质：企业。" in user.say("企业单位")
    user.say("5")
    assert "已记录 单位性质：机关。" in user.say("机关单位")


def test_commands_typed_in_traditional_characters(world, wechat_user):
    """A phone set to Traditional Chinese sends 確認, 進度, 附近驛站: the same commands."""
    assert wechat_user("o-worker").say("附近驛站") == replies.ASK_LOCATION
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    assert "第1/21项" in user.say("確認")
    assert "第2/21项" in user.say("下一項")
    assert "已答0/21项" in user.say("進度")
    assert "填报时随时可以回复" in user.say("幫助")


def test_cancelling_a_station_registration_does_not_claim_it_was_saved(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    user.say("良乡暖心驿站")
    cancelled = user.say("取消")
    assert "已填内容都已保存" not in cancelled and "驿站没有登记" in cancelled
    assert Station.select().count() == 0


def test_registering_a_station_answers_progress_jumps_and_pause_itself(world, wechat_user):
    """进度, 第N项 / 修改 N / 表头 and 暂停 while registering a station concern the station, not an
    application opened earlier: what is still asked, finish or 取消 first, the typed values kept."""
    station_for(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    assert "先核对表头" in user.say("1")  # that station's application is now in hand
    pick_kind(user, "职工暖心驿站")
    choosing = user.say("进度")
    assert "正在选择为哪个驿站申报" in choosing and "1. " in choosing and "已答" not in choosing
    refused = user.say("第3项")
    assert "请先回复序号选择驿站" in refused and "第3/" not in refused
    user.say("新建")
    user.say("良乡新驿站")
    progress = user.say("进度")
    assert "正在登记新驿站" in progress and "名称：良乡新驿站" in progress and "还需：地址、位置" in progress
    assert progress.endswith("请回复驿站地址，写到门牌号，如：房山区良乡镇拱辰大街1号。") and "已答" not in progress
    for command in ("第3项", "修改 2", "表头"):
        refused = user.say(command)
        assert "请先完成驿站登记" in refused and "请回复驿站地址" in refused and "先核对表头" not in refused, command
    paused = user.say("暂停")
    assert "已暂停驿站登记" in paused and "名称“良乡新驿站”" in paused and "回复“继续”" in paused
    assert "已暂停驿站登记" in user.say("好的")
    assert user.say("继续").endswith("请回复驿站地址，写到门牌号，如：房山区良乡镇拱辰大街1号。")
    user.say("房山区良乡镇拱辰大街2号")
    assert "已登记驿站“良乡新驿站”" in user.location(39.73, 116.13)
    assert Station.get(Station.name == "良乡新驿站").address == "房山区良乡镇拱辰大街2号"


def test_choosing_or_registering_a_station_answers_submit_withdraw_and_skip_itself(world, wechat_user):
    """提交 and 撤回 while choosing or registering a station acted on the application held from
    before (its missing list, its withdrawal), and 跳过 at the choice skipped one of its steps:
    they are answered within the station flow, which then asks its question again."""
    station_for(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    assert "先核对表头" in user.say("1")  # that station's application is now in hand
    pick_kind(user, "职工暖心驿站")
    for command in ("提交", "撤回"):
        refused = user.say(command)
        assert "请先回复序号选择驿站" in refused and "为哪个驿站申报" in refused, command
        assert "未填" not in refused and "无法提交" not in refused and "先核对表头" not in refused, command
    skipped = user.say("跳过")
    assert "请回复序号选择驿站，或回复“新建”" in skipped and "为哪个驿站申报" in skipped
    assert "已跳过" not in skipped and "先核对表头" not in skipped
    user.say("新建")
    for command in ("提交", "撤回"):
        refused = user.say(command)
        assert "请先完成驿站登记" in refused and refused.endswith(station_texts.ASK_STATION_NAME), command
        assert "未填" not in refused and "无法提交" not in refused and "先核对表头" not in refused, command
    assert "请回复驿站地址" in user.say("良乡新驿站")
    user.say("房山区良乡镇拱辰大街2号")
    refused = user.say("提交")
    assert "请先完成驿站登记" in refused and refused.endswith(station_texts.ASK_STATION_HOURS)
    assert "已登记驿站“良乡新驿站”" in user.location(39.73, 116.13)  # a location at the hours skips them


def test_a_paused_station_registration_cancelled_says_nothing_was_registered(world, wechat_user):
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    user.say("良乡暖心驿站")
    user.say("暂停")
    cancelled = user.say("取消")
    assert "驿站没有登记" in cancelled and "已填内容都已保存" not in cancelled
    assert "当前没有正在填写的申报" in user.say("继续")


def test_pausing_the_choice_of_a_station_comes_back_to_the_list(world, wechat_user):
    station_for(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    assert "接着选择驿站" in user.say("暂停")
    assert "为哪个驿站申报" in user.say("继续")


def test_an_answer_of_invisible_characters_is_refused_as_blank(world, wechat_user):
    """A zero-width space (or an ideographic space) sent for 工会名称 looked like an answer and
    was stored; it is the field left blank, and the question is asked again."""
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("1")
    for invisible in ("\u200b", "\u200b\ufeff\u200d", "\u3000\u3000"):
        assert "工会名称（全称）是必填项" in user.say(invisible)
    assert "良乡工会" in user.say("\u200b良乡工会\u200b")


def test_a_bare_number_where_words_are_asked_is_taken_for_a_stray_pick(world, wechat_user):
    """A chair who sends a row's number twice (or a number meant for a list shown earlier) does
    not get it stored as a unit's name, honours or a description; numeric fields still take it."""
    user = district_home_draft(world, wechat_user)
    assert "【乡镇、街道、委局】" in user.say("1")  # the header view's row 1
    stray = user.say("1")
    assert "“1”没有记为乡镇、街道、委局" in stray and "【乡镇、街道、委局】" in stray
    assert "“12”没有记为乡镇、街道、委局" in user.say("１２。")
    key = "district_home_registration:system_union_name"
    assert Answer.get_or_none(Answer.key == key, Answer.value == "1") is None
    assert "已记录 乡镇、街道、委局：良乡镇" in user.say("良乡镇")
    user.say("第18项")
    assert "“3”没有记为主要事迹" in user.say("3")
    assert "已保存，共7/800字" in user.say("建家三年来成效")
    user.say("第9项")
    assert "第10/22项" in user.say("7")  # a count is a number: stored as before
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    branch = wechat_user("o-赵强")
    pick_kind(branch, "区级先进职工小家")
    honours = branch.say("第8项")
    assert "【分会（小组）何时获得何种荣誉称号】" in honours
    stray = branch.say("2")
    assert "“2”没有记为分会（小组）何时获得何种荣誉称号" in stray and "不填请回复“跳过”" in stray
    assert not Answer.select().where(Answer.key == "small_home_registration:honors").exists()
    assert "第9/14项" in branch.say("跳过")


def test_a_number_for_a_new_stations_name_is_a_pick_meant_for_the_list(world, wechat_user):
    """新建, then “1” for the station listed first: not a station named “12”, but the way back."""
    station_for(world.unit, name="一号驿站")
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    user.say("新建")
    stray = user.say("12")
    assert stray.startswith("“12”没有记为驿站名称") and "回复“上一步”回到驿站列表" in stray
    assert stray.endswith(station_texts.ASK_STATION_NAME)
    assert "1. 一号驿站（建设中）" in user.say("上一步")
    assert "先核对表头" in user.say("1")
    other = wechat_user("o-周敏")  # the other unit's chair: no station to go back to
    pick_kind(other, "职工暖心驿站")
    alone = other.say("1")
    assert alone.startswith("“1”没有记为驿站名称") and "上一步" not in alone
    # Asked for a name straight away (no station to list), a chair may still send 新建 first.
    assert other.say("新建").startswith("“新建”没有记为驿站名称：正在登记新驿站")
    assert "请回复驿站地址" in other.say("良乡西路暖心驿站")
    assert "名称：良乡西路暖心驿站" in other.say("进度")


def test_a_keycap_emoji_is_read_as_its_number(world, wechat_user):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    assert "第3/21项" in user.say("第3️⃣项")
    assert "第10/21项" in user.say("修改 🔟")


def test_replies_ending_in_an_emoji_are_read_as_the_words_they_decorate(world, wechat_user, standin):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    pick_kind(user, "区级先进职工小家")
    assert "表头已确认" in user.say("确认👍")
    user.say("赵强，男，45，分会主席，中共党员，兼职")
    assert "第6/14项 【会员人数】" in user.say("完成👌🏻")  # not a roster row of one cell
    assert len(only_application().answers.where(Answer.key.endswith(":chairs")).get().value) == 1
    assert "已暂停" in user.say("暂停😊")
    checklist = wechat_user("o-王建国")
    pick_kind(checklist, "示范职工之家")
    checklist.say("确认")
    checklist.photo(add_photo(standin))
    assert "第1项已记录：是，照片1张" in checklist.say("是👍")
    assert "第2项已记录：否（还没挂牌）" in checklist.say("否😅还没挂牌")


def test_typed_opening_hours_are_shown_by_progress_and_kept_by_a_pause(world, wechat_user):
    """The hours typed for a new station were kept but never named: 进度 and 暂停 listed only
    the name and address, as if the hours had to be typed again."""
    user = wechat_user("o-王建国")
    pick_kind(user, "职工暖心驿站")
    user.say("良乡新驿站")
    user.say("房山区良乡镇拱辰大街2号")
    assert "开放时间：（未填）" in user.say("进度")
    user.say("周一至周五 9:00-17:00")
    progress = user.say("进度")
    assert "开放时间：周一至周五 09:00-17:00" in progress and "还需：位置" in progress
    paused = user.say("暂停")
    assert "开放时间“周一至周五 09:00-17:00”会保留" in paused, paused
    user.say("继续")
    user.location(39.73, 116.13)
    assert stations.hours_text(Station.get(Station.name == "良乡新驿站")) == "周一至周五 09:00-17:00"
