"""Whole conversations, from subscribing to submitted, for the four 验收单 of 2018."""
import datetime as dt

from bots import clock
from miniapp_backend.models import AppStatus, AuditLog, Decision, EvidenceLink, Station
from miniapp_backend.models.chat_media import ChatMedia
from miniapp_backend.services import drafts, review, stations
from tests.api.conftest import Api, pinned
from tests.bots.conftest import PNG, add_photo
from tests.bots.flows import answer_items, only_application, pick_kind, start_checklist, upload_report
from tests.factories import IN_WINDOW, make_qualified, station_for
from workers import stations as station_jobs


def test_model_home_from_subscribe_to_submitted(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    assert "回复“申报”开始或继续填写" in user.event("subscribe").text
    opened = pick_kind(user, "示范职工之家")
    assert "先核对表头" in opened and "2. 工会主席：王建国" in opened
    first = user.say("确认")
    assert "第1/21项 【组织机构】" in first and "建立健全工会委员会" in first
    last = answer_items(user, standin, 21)
    assert "第22项 【其他配套设施设备或服务】" in last and "选填" in last
    assert "已全部填完。照片正在保存：第1-21项" in user.say("跳过")
    assert "没看懂“好的”" in user.say("好的")  # the review asks again
    assert "已跳过" not in user.say("跳过")  # nothing is left to skip at the review
    jobs()
    assert "全部填完，可以回复“提交”" in user.say("进度")
    reply = user.say("提交")
    assert "第1版已提交" in reply and "房山区良乡镇总工会 → 北京市房山区总工会" in reply
    application = only_application()
    assert application.status == AppStatus.SUBMITTED
    assert EvidenceLink.select().where(EvidenceLink.application == application).count() == 21
    in_review = user.say("进度")
    assert "（审核中）" in in_review and "正在审核" in in_review and "提交" not in in_review
    assert user.say("提交").endswith("如需修改请先撤回。")  # the domain's refusal, as a sentence
    # Looking at a step under review shows it, without asking for an answer that would be refused.
    viewed = user.say("第3项")
    assert "第3/21项 【组织机构】" in viewed and "当前：是，照片1张" in viewed
    assert "请回复" not in viewed and viewed.endswith("（申报已提交，审核期间不能修改；如需修改请先撤回。这里只能查看。）")
    header = user.say("表头")
    assert "2. 工会主席：王建国" in header and "回复“确认”" not in header and "这里只能查看" in header
    review.decide(application, world.system_admin, Decision.APPROVE, "同意", today=dt.date(2018, 5, 10))
    # Once a reviewer has acted 撤回 is refused, so nothing advises it any more.
    assert "不能撤回；如需修改请联系审核人退回" in user.say("撤回")
    for said in (user.say("第3项"), user.say("否")):
        assert "请先撤回" not in said and "审核人已经处理过，不能修改也不能撤回；如需修改请联系审核人退回" in said, said
    review.decide(application, world.district_admin, Decision.APPROVE, "同意", today=dt.date(2018, 5, 10))
    approved = pick_kind(user, "示范职工之家")
    assert "当前状态：已通过。\n已通过，无需再修改" in approved and "撤回" not in approved


def submitted_new_union_home(wechat_user, standin, jobs):
    """王建国, having filled and submitted a 百人以上新建会企业职工之家 (version 1)."""
    user = wechat_user("o-王建国")
    start_checklist(user, "百人以上新建会企业职工之家")
    answer_items(user, standin, 16)
    user.say("跳过")
    jobs()
    assert "第1版已提交" in user.say("提交")
    return user


def test_a_submission_left_unreviewed_past_its_round_does_not_advise_a_withdrawal_it_would_refuse(
        world, wechat_user, standin, jobs, bot_app):
    user = submitted_new_union_home(wechat_user, standin, jobs)
    bot_app.config[clock.NOW_SETTING] = dt.datetime(2018, 7, 2, 2, 0)  # the round closed on 6月30日
    refused = user.say("撤回")
    assert "撤回后无法重新提交，所以不能撤回；如需修改请联系审核人退回整改" in refused
    for said in (user.say("第3项"), user.say("否")):
        assert "请先撤回" not in said, said
        assert "申报已提交，审核期间不能修改；" in said and "所以不能撤回；如需修改请联系审核人退回整改" in said, said


def test_new_union_home_with_a_no_and_its_note(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    start_checklist(user, "百人以上新建会企业职工之家")
    answer_items(user, standin, 3)
    reply = user.say("否，标识正在制作")
    assert "第4项已记录：否（标识正在制作）" in reply and "第5/16项" in reply
    answer_items(user, standin, 16, first=5)
    user.say("我们还设有职工书屋")  # the optional 17th row, a long text
    assert "已全部填完" in user.say("完成")
    jobs()
    assert "第1版已提交" in user.say("提交")
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["new_union_home_checklist:item.4"] == {"done": False, "note": "标识正在制作"}
    assert answers["new_union_home_checklist:other_facilities"] == "我们还设有职工书屋"


def test_a_returned_application_opens_with_what_the_reviewer_asked_for(world, wechat_user, standin, jobs, bot_app):
    user = submitted_new_union_home(wechat_user, standin, jobs)
    review.decide(only_application(), world.system_admin, Decision.RETURN, "请补充会员服务卡照片",
                  {"new_union_home_checklist:item.3": "照片看不清，请重拍",
                   "new_union_home_checklist:other_facilities": "请写明设施名称",
                   "new_union_home_checklist:member_count": "请核对会员数"}, dt.date(2018, 5, 20),
                  today=dt.date(2018, 5, 10))
    opened = pick_kind(user, "百人以上新建会企业职工之家")
    assert "（退回整改）" in opened and "房山区良乡镇总工会退回整改。" in opened
    assert "审核意见：请补充会员服务卡照片" in opened and "· 第3项：照片看不清，请重拍" in opened
    assert "· 第17项 其他配套设施设备或服务：请写明设施名称" in opened  # a field: its number and label
    assert "· 表头“会员数”（回复“表头”修改）：请核对会员数" in opened  # a header field has no number
    assert "请于2018年5月20日前修改，改好后回复“提交”重新提交。" in opened
    third = user.say("第3项")
    assert "第3/16项" in third and third.endswith("审核意见：照片看不清，请重拍")
    assert "审核意见" not in user.say("第4项")
    assert "先核对表头" in user.say("表头") and "5. 会员数" in user.say("验收单表头")
    progress = user.say("进度")  # 进度 of a returned application says what to change
    assert "（退回整改）" in progress and progress.index("审核意见：") < progress.index("全部填完")
    # Remarks in the forms' order: the header, then the items, then the extra row.
    assert progress.index("表头“会员数”") < progress.index("第3项：") < progress.index("第17项 ")
    # Resubmitted too early and taken back: the return, its remarks and its date stand again.
    assert "第2版已提交" in user.say("提交")
    withdrawn = user.say("撤回")
    assert "已撤回，申报回到退回整改：请按审核意见修改，于2018年5月20日前重新提交。" in withdrawn
    assert "回到草稿" not in withdrawn and "· 第3项：照片看不清，请重拍" in user.say("进度")
    bot_app.config[clock.NOW_SETTING] = dt.datetime(2018, 5, 21, 2, 0)  # the day after the 整改截止
    late = user.say("进度")
    assert "（退回整改（已逾期））" in late and "全部填完" not in late
    # What the domain still allows: no resubmission, but the kind's next round may be filed.
    assert ("整改截止（2018年5月20日）已过，这份申报不能再修改或重新提交；可在下半年批次（2018年7月1日至2018年10月31日）"
            "重新申报百人以上新建会企业职工之家。如有疑问请联系房山区良乡镇总工会。") in late
    assert "【退回整改（已逾期） " in user.say("申报")
    reopened = pick_kind(user, "百人以上新建会企业职工之家")
    assert "（退回整改（已逾期））" in reopened and "改好后回复“提交”" not in reopened
    assert "整改截止已过，不能再修改或重新提交" in reopened
    # The remarks still say what the reviewer found, but no longer how to change it.
    assert "· 表头“会员数”：请核对会员数" in reopened and "回复“表头”修改" not in reopened
    assert "这份申报没有登记表" in user.say("登记表表头")


def test_warm_station_registers_its_station_first(world, wechat_user, standin, jobs, config):
    user = wechat_user("o-王建国")
    user.event("subscribe")
    assert "请回复驿站名称" in pick_kind(user, "职工暖心驿站")
    assert "请回复驿站地址" in user.say("良乡拱辰大街暖心驿站")
    assert "请回复驿站的开放时间" in user.say("房山区良乡镇拱辰大街1号")
    assert "请发送驿站的位置" in user.say("周一至周五 9:00-24:00；周六 全天")
    opened = user.location(39.7355, 116.1397, "拱辰大街1号")
    assert "已登记驿站“良乡拱辰大街暖心驿站”" in opened and "先核对表头" in opened
    user.say("确认")
    answer_items(user, standin, 6)
    assert "已全部填完" in user.say("跳过")
    jobs()
    assert station_jobs.sign_path(config, Station.get()).exists()  # the new station's sign, by a job
    assert "第1版已提交" in user.say("提交")
    station = Station.get()
    assert (station.lat, station.lng, station.status) == (39.7355, 116.1397, "planned")
    assert stations.hours_text(station) == "周一至周五 09:00-24:00；周六 全天"
    assert only_application().station_id == station.id
    [audit] = AuditLog.select().where(AuditLog.object_type == "station", AuditLog.object_id == station.id)
    assert (audit.action, audit.actor_id) == ("station.create", world.chair.id)  # who registered it, with what
    assert (audit.detail["name"], audit.detail["address"]) == ("良乡拱辰大街暖心驿站", "房山区良乡镇拱辰大街1号")


def test_warm_station_for_an_existing_station(world, wechat_user):
    station_for(world.unit)
    user = wechat_user("o-王建国")
    listing = pick_kind(user, "职工暖心驿站")
    assert "1. 良乡示例暖心驿站（建设中）" in listing and "新建" in listing
    opened = user.say("1")
    assert "《2018年职工暖心驿站·良乡示例暖心驿站》" in opened and "先核对表头" in opened


def test_district_home_fills_registration_then_checklist(world, wechat_user, standin, jobs, config):
    make_qualified(world.unit)
    user = wechat_user("o-王建国")
    user.event("subscribe")
    header = pick_kind(user, "区级先进职工之家")
    assert "【房山区先进职工之家登记表】" in header and "3. 填表日期：2018-05-10" in header
    assert "第9/22项 【工会委员会人数】" in user.say("确认")
    user.say("7")
    user.say("2")
    for _ in range(5):  # prefilled counts and the 合格 date
        assert "已记录" not in user.say("确认")
    roster = "王建国，男，50，中共党员，工会主席，专职"
    assert "已记录第1行" in user.say(roster)
    assert "第17/22项" in user.say("完成")
    user.say("1")
    user.say("本单位坚持以职工为中心，建家强家暖家。")
    user.say("职工满意度逐年提高。")
    assert "第19/22项 【应到人数】" in user.say("完成")
    for value in ("100", "90", "80", "98.5"):
        reply = user.say(value)
    assert "【2018年区级先进年职工之家验收单】" in reply
    user.say("确认")
    answer_items(user, standin, 14)
    user.say("跳过")
    missing = user.say("提交")
    assert "缺材料：会员评家报告（PDF）" in missing
    jobs()
    upload_report(config, only_application(), world.chair)
    submitted = user.say("提交")
    # The unit's own 行政/党委 stamp the printed pages first: the chair is told what to do.
    assert "第1版已提交" in submitted and (
        "现在等本单位盖章，还差“同级行政意见、同级党委意见（盖章页上传）”：请打印申报材料"
        "（小程序“申报详情”中的PDF），签署意见并盖章后，在小程序上传盖章页扫描件") in submitted
    assert "在小程序上传盖章页扫描件，审核才会继续" in user.say("进度")
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["district_home_registration:main_deeds"] == (
        "本单位坚持以职工为中心，建家强家暖家。\n职工满意度逐年提高。")
    assert answers["district_home_registration:satisfaction"] == 98.5
    assert answers["district_home_registration:chairs"][0]["position"] == "工会主席"


def test_a_two_form_bundle_names_the_form_of_a_number(world, wechat_user):
    """区级先进: 登记表 and 验收单 both have a 第3项; outside either form the chat asks which."""
    make_qualified(world.unit)
    user = wechat_user("o-王建国")
    user.event("subscribe")
    pick_kind(user, "区级先进职工之家")
    user.say("确认")
    assert "第2/14项 【组织机构】" in user.say("验收单第二项")  # Chinese numerals, the form named
    assert "第2项已记录：否（暂无）。" in user.say("否（暂无）")
    user.say("验收单第14项")
    assert "第15项 【其他配套设施设备或服务】" in user.say("跳过")
    missing = user.say("跳过")
    assert "还不能提交" in missing and missing.endswith("回复“登记表第N项”或“验收单第N项”补填。")
    assert "请回复“登记表第3项”或“验收单第3项”" in user.say("第3项")
    assert "第3/22项 【填表日期】" in user.say("登记表第3项")
    progress = user.say("进度")
    # The optional 其他配套 text is neither counted nor listed while empty.
    assert "已答1/14项，信息18/27项" in progress and "其他配套" not in progress
    # 申报 lists the draft with the same counts as 进度.
    assert "区级先进职工之家（2018年度，截止2018年9月30日）【草稿 已答1/14项，信息18/27项】" in user.say("申报")


def test_a_photo_sent_with_no_item_open_is_not_shared_later(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    assert "已收到第1项的照片，共1张" in user.photo(add_photo(standin))
    user.say("暂停")
    assert "这张照片没有收下" in user.photo(add_photo(standin, PNG + b"another"))
    # The photo on item 1 is not the one just sent: sharing it now would mislead.
    assert "还没有收到可共用的照片" in user.say("这张也用于第2项")
    assert EvidenceLink.select().count() == 0 and ChatMedia.select().count() == 1


def test_removing_the_last_photo_of_an_item_downloading_or_stored(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    user.photo(add_photo(standin))
    jobs()  # the first is stored and attached
    assert "共2张" in user.photo(add_photo(standin, PNG + b"wrong one"))
    assert "已删除第1项最后发送的一张照片，现有1张" in user.say("删除照片")  # the one still downloading
    jobs()
    assert EvidenceLink.select().count() == 1  # the removed download attaches nowhere
    assert "已删除第1项最后发送的一张照片，现有0张" in user.say("删除最后一张")
    assert "第1项还没有照片" in user.say("删除照片")
    assert EvidenceLink.select().count() == 0
    assert "先核对表头" in user.say("上一步")
    assert "请先回复“第N项”打开要删照片的那一项" in user.say("删除照片")


def test_an_item_takes_nine_photos_and_a_share_respects_that(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    for n in range(1, 10):
        assert f"共{n}张" in user.photo(add_photo(standin, PNG + bytes([n])))
    tenth = user.photo(add_photo(standin, PNG + b"tenth"))  # 9 still downloading count as sent
    assert tenth == ("第1项已有9张照片，每项最多9张。要换一张，请先删掉一张：在公众号聊天中打开第1项后回复“删除照片”，"
                     "或在小程序里删除。")
    jobs()
    assert ChatMedia.select().count() == 9 and EvidenceLink.select().count() == 9
    assert "每项最多9张" in user.photo(add_photo(standin, PNG + b"again"))  # stored ones count alike
    user.say("是")  # on to item 2
    user.photo(add_photo(standin, PNG + b"item 2"))
    refused = user.say("这张也用于第1、3项")
    assert refused.startswith("这张照片没有共用到任何一项：第1项已有9张照片，每项最多9张")
    assert ChatMedia.select().order_by(ChatMedia.id.desc()).first().slots == ["model_home_checklist:item.2"]
    assert "已共用上一张照片：第3项共1张" in user.say("这张也用于第3项")  # … and shared where there is room
    user.say("第1项")
    assert "现有8张" in user.say("删除照片")
    assert "已收到第1项的照片，共9张" in user.photo(add_photo(standin, PNG + b"instead"))


def test_more_members_than_workers_is_flagged_for_checking(world, wechat_user):
    user = wechat_user("o-王建国")
    user.event("subscribe")
    pick_kind(user, "示范职工之家")
    user.say("5")  # 会员数 in the header
    user.say("200")  # with 职工数 150
    assert "会员数多于职工数，请核对" in user.say("进度")


def test_at_the_header_修改_n_corrects_header_row_n(world, wechat_user):
    """The header view says “需修改请回复序号”: 修改3 there is its row 3 (职工数), not item 3."""
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    assert "【职工数】" in user.say("修改3")
    assert "3. 职工数：160人" in user.say("160")
    assert "【会员数】" in user.say("改 5")
    user.say("确认")
    assert "第3/21项" in (user.say("表头") and user.say("第3项"))  # 第N项 is still the item


def test_a_kind_and_a_new_station_picked_by_name(world, wechat_user):
    """Chairs answer the 申报 list with a kind's name as often as with its number."""
    station_for(world.unit)
    user = wechat_user("o-王建国")
    user.say("申报")
    assert "为哪个驿站申报" in user.say("暖心驿站")  # the kind, not a search for nearby stations
    assert "请回复驿站名称" in user.say("新建驿站")
    user.say("申报")
    assert "《2018年示范职工之家》（草稿）" in user.say("示范职工之家")
    user.say("申报")
    assert "请回复1到3之间的序号" in user.say("职工之家")  # three kinds are a 职工之家: the number decides


def test_sharing_a_photo_over_a_range_written_backwards_or_absurdly_long(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    user.photo(add_photo(standin))
    assert "第3项共1张，第4项共1张，第5项共1张" in user.say("这张也用于第5到3项")  # not item 5 alone
    # A typo's range is refused by its end, never spelled out item by item (it held the worker).
    assert "没有第99999999项" in user.say("这张也用于第6-99999999项")


def test_a_list_is_answered_by_voice(world, wechat_user):
    """Speech recognition writes a spoken choice as “一。”: it picks like the digit does."""
    user = wechat_user("o-王建国")
    user.say("申报")
    spoken = user.builder.message_fields(user.openid, "voice", {"MediaId": "m", "Format": "amr",
                                                                "Recognition": "二。"})
    assert "《2018年百人以上新建会企业职工之家》（草稿）" in user.send(spoken).text


def test_a_draft_left_when_its_round_closed_says_what_to_do_next(world, wechat_user, bot_app):
    """Back in July with June's unfinished draft: answers are refused, and the chair is told the
    draft is over and where the open round is, not asked to fill it in."""
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    bot_app.config[clock.NOW_SETTING] = dt.datetime(2018, 7, 2, 2, 0)
    refused = user.say("是")
    assert refused.startswith("填报期限已过（截止2018年6月30日）。") and "回复“申报”" in refused
    progress = user.say("进度")
    assert "填报期限已过（截止2018年6月30日），这份草稿不能再修改和提交" in progress
    assert "补填" not in progress and "回复“申报”" in progress
    assert "这份草稿不能再修改和提交" in user.say("继续")
    assert "示范职工之家（下半年，截止2018年10月31日）" in user.say("申报")


def test_a_header_is_confirmed_with_a_plain_yes(world, wechat_user):
    """“无误请回复‘确认’”: 对 / 是的 / 没问题 mean the same there (1 is still row 1)."""
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    assert "【工会名称（全称）】" in user.say("1")
    user.say("确认")
    assert "表头已确认" in user.say("对")
    assert "表头已确认" in (user.say("表头") and user.say("没问题"))


def test_asking_to_apply_in_ones_own_words_lists_the_kinds(world, wechat_user):
    assert "可申报（回复序号开始或继续）" in wechat_user("o-王建国").say("我要申报暖心驿站")
    assert "您还没有绑定单位" in wechat_user("o-worker").say("怎么申报先进职工之家？")


def test_after_the_header_the_chair_is_back_at_the_item_they_left(world, wechat_user, standin):
    """表头 at item 4, a header row corrected, 确认: item 4 again, not item 1."""
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    answer_items(user, standin, 3)
    assert "先核对表头" in user.say("表头")
    user.say("5")  # 会员数
    assert "5. 会员数：140人" in user.say("140")
    back = user.say("确认")
    assert "表头已确认" in back and "第4/21项" in back
    assert "第2/21项" in user.say("第2项")  # revisiting an answered item comes back there too
    user.say("表头")
    assert "第2/21项" in user.say("确认")


def test_after_the_header_an_item_answered_meanwhile_gives_the_first_open_one(world, wechat_user, standin):
    """The item left was answered in the mini-program while the header was open: on to the first
    item still open instead of asking an answered one."""
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    answer_items(user, standin, 2)
    user.say("表头")
    drafts.write_answer(only_application(), world.chair, "model_home_checklist:item.3",
                        {"done": False, "note": "在建"}, channel="miniapp", today=IN_WINDOW)
    assert "第4/21项" in user.say("确认")


def test_a_bare_no_gets_its_note_from_the_next_message(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    assert "第2/21项" in user.say("否")
    assert "说明共400字，超过200字上限" in user.say("正在筹建" * 100)
    assert "没看懂“好的”" in user.say("好的")  # an acknowledgement explains nothing
    reply = user.say("正在筹建中")  # the 说明 of that 否, sent on its own (shortened)
    assert "已补充第1项的说明：否（正在筹建中）" in reply and "第2/21项" in reply
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["model_home_checklist:item.1"] == {"done": False, "note": "正在筹建中"}
    assert "没看懂“还在装修”" in user.say("还在装修")  # only the message right after the 否
    user.say("否")
    user.photo(add_photo(standin))  # a photo for item 3 ends the wait for item 2's 说明
    assert "没看懂“后来补的”" in user.say("后来补的")


def test_a_bare_number_after_a_bare_no_is_no_note(world, wechat_user):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    user.say("否")
    for stray in ("3", "３。", " 12 "):
        refused = user.say(stray)
        shown = stray.strip().rstrip("。").replace("３", "3")
        assert refused.startswith(f"“{shown}”没有记为第1项的说明：单独一个数字像是之前列表的序号"), refused
        assert "第2/21项" in refused
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["model_home_checklist:item.1"] == {"done": False, "note": ""}
    assert "已补充第1项的说明：否（正在筹建）" in user.say("正在筹建")  # the 说明 still welcome


def test_sharing_a_photo_removed_in_the_mini_program_leaves_it_off_its_item(world, wechat_user, standin,
                                                                           jobs, bot_app):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    user.photo(add_photo(standin))
    jobs()
    application, link = only_application(), EvidenceLink.get()
    # The chair takes it off item 1 in the mini-program, then shares it from chat to item 2.
    removed = Api(pinned(bot_app)).delete(f"/drafts/{application.id}/evidence/{link.file_id}", world.chair)
    assert removed.status_code == 200
    assert "已共用上一张照片：第2项共1张" in user.say("这张也用于第2项")
    slots = [link.slot for link in EvidenceLink.select()]
    assert slots == ["model_home_checklist:item.2"]
    assert "第1项需要照片佐证" in user.say("是")


def test_a_returned_application_leads_from_one_remarked_item_to_the_next(world, wechat_user, standin, jobs):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    answer_items(user, standin, 21)
    user.say("跳过")
    jobs()
    user.say("提交")
    review.decide(only_application(), world.system_admin, Decision.RETURN, "",
                  {"model_home_checklist:item.3": "照片看不清，请重拍", "model_home_checklist:item.7": "应为否"},
                  dt.date(2018, 5, 20), today=dt.date(2018, 5, 10))
    pick_kind(user, "示范职工之家")
    user.say("第3项")
    user.say("删除照片")
    user.photo(add_photo(standin, PNG + b"sharper"))
    fixed = user.say("是")  # on to item 7, the next one the reviewer remarked on, not item 4
    assert "第3项已记录：是，照片1张" in fixed and "第7/21项" in fixed and fixed.endswith("审核意见：应为否")
    last = user.say("否，制度还在修订")
    assert "第7项已记录：否（制度还在修订）" in last and "已全部填完" in last
    assert "第8/21项" not in last


def test_none_after_yes_while_photos_are_awaited_is_asked_not_taken_as_no(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    recorded = user.say("是")
    assert "第1项已记录：是，还没有照片。" in recorded and "第1项需要照片佐证" in recorded
    asked = user.say("没有")  # no photo at hand, or not done?
    assert "是指本项未做到（否），还是暂时没有照片" in asked and "第1项已记录：否" not in asked
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["model_home_checklist:item.1"]["done"] is True
    assert "第2/21项" in user.say("下一项")
    user.say("是")
    user.photo(add_photo(standin))  # “可继续发送”: 没有 may mean no more photos
    assert "是指本项未做到（否），还是暂时没有照片" in user.say("没有")
    assert "第2项已记录：否" in user.say("没有")  # asked once: said again, it is the answer
    assert "第3项已记录：否" in user.say("没有")  # an item simply asked: 没有 is 否


def test_a_bare_no_on_the_last_item_gets_its_note_not_the_extra_row(world, wechat_user, standin):
    user = wechat_user("o-王建国")
    start_checklist(user, "示范职工之家")
    answer_items(user, standin, 20)
    assert "第21项已记录：否" in user.say("否")  # on to the extra row 其他配套设施设备或服务
    reply = user.say("场地正在装修")
    assert "已补充第21项的说明：否（场地正在装修）" in reply and "其他配套设施设备或服务" in reply
    answers = {a.key: a.value for a in only_application().answers}
    assert answers["model_home_checklist:item.21"] == {"done": False, "note": "场地正在装修"}
    assert "model_home_checklist:other_facilities" not in answers  # the extra row is still empty
