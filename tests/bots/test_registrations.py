"""The 登记表 conversations: 5-2 (小家) whole, and the fields of 5-1 one by one."""
from miniapp_backend.models import AppStatus, HonourKind
from tests.bots.flows import only_application, pick_kind, upload_report
from tests.factories import make_qualified


def test_small_home_registration_from_subscribe_to_submitted(world, wechat_user, config):
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    assert "北京良乡示例科技有限公司工会一车间分会" in user.event("subscribe").text
    header = pick_kind(user, "区级先进职工小家")
    assert "2. 企（事）业单位：北京良乡示例科技有限公司工会委员会" in header
    roster = user.say("确认")
    assert "第5/14项 【工会分会主席（小组长）情况】（至少1行，最多2行）" in roster
    assert "职务、政治面貌" in roster  # 5-2 lists 职务 before 政治面貌
    user.say("赵强，男，45，分会主席，中共党员，兼职")
    reply = user.say("钱多多，女，38，分会副主席，群众，兼职")
    assert "已记录第2行：钱多多，女，38，分会副主席，群众，兼职。2行已填满。" in reply
    assert "继续发送下一行" not in reply and "第6/14项 【会员人数】" in reply
    assert "当前：30人" in reply
    assert "13800138001" in user.say("确认")
    honors = user.say("确认")
    assert "（选填，不填请回复“跳过”）" in honors
    assert "第9/14项" in user.say("2017年 房山区先进班组")
    deeds = user.say("确认")
    assert "第10/14项 【主要事迹】" in deeds
    user.say("一车间分会坚持“小家”建设，班组活动丰富。")
    assert "第11/14项 【会员人数】" in user.say("完成")
    for value in ("30", "28", "27"):
        user.say(value)
    done = user.say("96%")
    assert "缺材料：会员评家报告（PDF）——请在小程序中上传" in done
    upload_report(config, only_application(), world.branch_chair)
    submitted = user.say("提交")
    assert "第1版已提交" in submitted
    # The branch's own stamped pages are no reviewer of the branch: named as what to get done.
    assert ("审核顺序：北京良乡示例科技有限公司工会委员会 → 本单位盖章页 → 房山区良乡镇总工会 → 北京市房山区总工会"
            in submitted), submitted
    application = only_application()
    assert application.status == AppStatus.SUBMITTED
    answers = {a.key: a.value for a in application.answers}
    assert [row["name"] for row in answers["small_home_registration:chairs"]] == ["赵强", "钱多多"]
    assert answers["small_home_registration:honors"] == "2017年 房山区先进班组"


def test_what_is_missing_names_each_fields_number_to_open_it_by(world, wechat_user):
    """进度 ends with "回复“第N项”补填": each missing field comes with its N (5-2 asks 会员人数 twice)."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    user = wechat_user("o-赵强")
    pick_kind(user, "区级先进职工小家")
    progress = user.say("进度")
    assert ("未填：第5项 工会分会主席（小组长）情况、第10项 主要事迹、第11项 会员人数、第12项 实到人数、"
            "第13项 同意人数、第14项 群众满意率") in progress
    assert progress.endswith("回复“第N项”补填。")
    assert "第11/14项 【会员人数】" in user.say("第11项")
