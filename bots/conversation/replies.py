"""Every text the bot says to people, in Chinese (where an application stands: status_texts; stations for
workers: nearby_texts)."""
from bots.conversation.render import ranges
from bots.conversation.steps import FieldType, FormKind
from miniapp_backend.free_text import count_chars

FORM_NAMES = {FormKind.CHECKLIST: "验收单", FormKind.REGISTRATION: "登记表"}
# Custom-menu button names (Tencent: top level ≤ 16 bytes, sub-buttons ≤ 60 bytes).
MENU = {"apply": "申报", "fill": "填报", "progress": "我的进度", "help": "帮助", "stations": "驿站",
        "nearby": "附近驿站", "scan": "扫码找驿站", "services": "服务", "hotline": "12351热线",
        "bind": "绑定单位", "human": "人工客服", "about": "关于"}
FILLER_TAG = "工会填报"
HOTLINE = ("北京12351职工服务热线：拨打 12351（24小时）。\n可咨询劳动维权、法律援助、困难帮扶、"
           "心理疏导、就业帮扶和工会会员服务，也可反映职工关心的问题。")
BIND_HOWTO = "工会主席或工会工作人员：请回复“绑定 邀请码”（邀请码由上级工会发放，如：绑定 7KQ2MZ3P）。"
ASK_LOCATION = "请发送您的位置：点输入框旁的“+”→“位置”，选好后发送；也可用菜单“驿站→附近驿站”。"
NO_HUMAN = "本公众号暂未开通人工客服。可拨打12351职工服务热线，或联系区总工会组宣部。"
# Sent as a customer-service message after the transfer (the passive reply is the transfer itself).
HANDED_OVER = ("已为您转接人工客服，客服人员接入后会在这里回复您，请稍候。\n"
               "劳动维权、法律援助等问题也可拨打北京12351职工服务热线（24小时）。")


def labour_question(human_available):
    """A worker's own problem (pay, contract, injury…) goes to the hotline, or to a person."""
    person = "也可回复“人工”转人工客服。" if human_available else ""
    return "您说的问题请拨打北京12351职工服务热线（24小时），由专人为您解答和帮助。" + person + "\n\n" + HOTLINE
NOT_BOUND = "您还没有绑定单位，暂不能填报。" + BIND_HOWTO
NO_LONGER_FILLS = "您已不再绑定{org}，不能再查看或填写它的申报。"
REVIEWER_NOT_FILLER = ("您是{org}的审核人员。申报由基层工会主席或工作人员填写；审核请登录管理后台：{url}")
NO_APPLICATION = "当前没有正在填写的申报。回复“申报”开始。"
NOTHING_BEFORE = "已经是第一步了。"
NOTHING_TO_KEEP = "这一项还没有内容，请直接回复。"
STRAY_WORD = "“{word}”没有记为{label}：现在填的是{label}，请直接回复内容，或回复“跳过”。"
STRAY_NUMBER = ("“{number}”没有记为{label}：这里应填文字，单独一个数字像是之前列表的序号。"
                "要改别的项请回复“第N项”。")
CONFLICT_NUMBER = "“{number}”既不是“覆盖”也不是“保留”，没有选定：单独一个数字像是之前列表的序号。"
# A figure ("1,500") at a checklist item: its 1 is no 是, the rest no 说明.
ITEM_FIGURE = ("“{text}”是一个数，没有记为第{no}项的回答：这一项请回复“是”或“否”，"
               "需要说明写在后面，如“否，正在筹建”。")
STRAY_NOTE = ("“{number}”没有记为第{no}项的说明：单独一个数字像是之前列表的序号。"
              "要补充说明请回复文字，要改别的项请回复“第N项”。")
NO_MORE = "没有更多内容了。"
NO_LAST_PHOTO = "还没有收到可共用的照片：请先在某一项下发送照片，再回复“这张也用于第6、7项”。"
# {jump}: 第N项, or 验收单第N项 where a bare 第N项 would open the 登记表's field of a bundle.
PHOTO_NEEDS_ITEM = "这张照片没有收下：照片要对应验收单的某一项。请先回复“{jump}”打开该项，再重新发送照片。"
# An application of a 登记表 alone (区级先进职工小家): no item takes a photo in chat.
PHOTO_NOT_ASKED = ("这张照片没有收下：这份申报只有登记表，不需要在公众号发照片。"
                   "要交的材料回复“进度”可查看，在小程序中上传。")
PHOTO_PUBLIC = "已收到图片。如需人工帮助请回复“人工”。"
PHOTO_PUBLIC_NO_HUMAN = "已收到图片。公众号暂不能处理图片，需要帮助请拨打12351职工服务热线。"
CANCELLED = "已退出当前操作，已填内容都已保存。回复“申报”可继续。"
STATION_CANCELLED = "已退出，驿站没有登记。回复“申报”可重新开始。"
WITHDRAWN = "已撤回，申报回到草稿，可以修改后重新提交。"
WITHDRAWN_TO_RETURN = "已撤回，申报回到退回整改：请按审核意见修改，于{deadline}前重新提交。"
HEADER_DONE = "表头已确认。"
SKIPPED = "已跳过，稍后可回复“进度”查看未填的内容再补填。"
ROSTER_CLEARED = "已清空，请重新逐行填写。"
TEXT_CLEARED = "已清空。"
TEXT_NOTHING_YET = "还没有写内容。"


def full_text(label, text, limit, rewriting):
    """查看: what is written so far, whole (a long one is paged with 更多), and what the next
    message does to it."""
    then = REWRITE_PENDING if rewriting else "可继续发送追加，写完回复“完成”。"
    return f"【{label}】已写{count_chars(text)}/{limit}字：\n{text}\n\n{then}"


REWRITE_ARMED = "好的，下一条消息将替换全部已写内容。"
REWRITE_PENDING = "已选“重写”：下一条消息将替换全部已写内容；要接在后面写请回复“追加”。"
# Where the newer value of a conflict was written: the mini-program, or the chat by another filler
# (a person's own chat writes never conflict); elsewhere (an import, 会员评家) it is just newer.
CHANGED_IN = {"miniapp": "刚在小程序中改过", "chat": "刚由本单位其他填报人在公众号中改过"}
CHANGED_ELSEWHERE = "刚被改过"
KEPT_THEIRS = {"miniapp": "已保留小程序中的内容。"}
CHANGED_SINCE_SHOWN = "“{label}”{changed}，请核对现在的内容。"
KEPT_CURRENT = "已保留现在的内容。"
OVERWRITTEN = "已用您的回复覆盖。"
SCAN_UNRECOGNIZED = "无法识别这个二维码。查找附近驿站请发送位置。"
VOICE_UNSUPPORTED = "暂时听不懂语音，请发送文字。"
UNSUPPORTED = "暂不支持这类消息，请发送文字、照片或位置。"
# What to do after a refusal, by its reason (the domain's message says why).
REFUSAL_NEXT = {"window_closed": "这份申报不能再修改和提交。现在可以申报的类型请回复“申报”查看。"}
BUSY = "系统繁忙，您的消息没有处理成功，请稍后再发一次。"
HEADER_PLACE, REVIEW_PLACE = "表头", "提交前检查"
PAUSED = "已暂停，填写内容都已保存。回复“继续”从{where}接着填。"
NOT_UNDERSTOOD = "没看懂“{text}”。"
BALLOT_CODE_HERE = ("这是会员评家的投票码，不能在公众号里投票：请直接点开工会发给您本人的投票链接，"
                    "或扫描投票二维码。您的选择不会与您的姓名关联。")
CHAIR_MENU = "{org}：回复“申报”开始或继续填写，“进度”查看进度，“帮助”查看全部指令。"
BOUND = "绑定成功：{role}。\n回复“申报”开始填报，“帮助”查看全部指令。"
LINK_CODE = "您的关联码：{code}\n请在30分钟内打开小程序，在“我的→关联公众号”中输入，两边的填报内容即可互通。"
PICK_NUMBER = "请回复1到{count}之间的序号。"
OPENING = "《{title}》（{status}）"
HEADER_BLANK = "“{label}”还没有填写，请先补上。"
NO_SUCH_NUMBER = "这张表没有第{number}项。回复“进度”可查看各项序号。"
OPENED_IN_OTHER_FORM = "{here}没有第{number}项，已打开{there}的第{number}项。"
WHICH_HEADER = "这份申报有两张表：请回复“{first}表头”或“{second}表头”。"
NO_SUCH_FORM = "这份申报没有{word}。"
WHICH_FORM = "这份申报有两张表：请回复“{first}第{number}项”或“{second}第{number}项”。"
NONE_AFTER_YES = ("第{no}项已记录为“是”。您回复的“没有”，是指本项未做到（否），还是暂时没有照片？"
                  "未做到请回复“否”；暂时没有照片或照片已发完，请回复“下一项”，照片可稍后补发。")
NEEDS_PHOTO = "第{no}项需要照片佐证：请现在发送照片；发完回复“下一项”。也可回复“跳过”稍后补拍。"
SAVED = "已记录 {label}：{value}。"
# A 是/否 field (not a checklist item) has no room for a 说明: said, not dropped unmentioned.
NOTE_LEFT_OUT = "“{note}”没有记录：这一项只填“是”或“否”。"
ROSTER_ROW_SAVED = "已记录第{count}行：{row}（最多{high}行）。继续发送下一行，或回复“完成”。"
ROSTER_LAST_ROW_SAVED = "已记录第{count}行：{row}。{high}行已填满。"
ROSTER_NOT_ACKNOWLEDGED = "“{word}”没有记为一行。还有人请继续发送下一行，填完请回复“完成”。"
ROSTER_FULL = "已填满{high}行。回复“完成”继续，或回复“清空”重填。"
ROSTER_TOO_MANY = "这条消息有{count}行，最多还能填{room}行（共{high}行），都没有保存；请删去多余的行后重发。"
ROSTER_NEEDS_ROWS = "至少要填{low}行才能完成。"
# A row the same as one before it (resent, or pasted twice): one person, one row.
ROSTER_REPEATED = "这一行与已填的第{same}行相同（{row}），没有重复记录。要修改已填的行请回复“清空”后重填。"
ROSTER_REPEATED_IN_MESSAGE = "第{number}行与第{same}行相同（{row}），都没有保存；请删去重复的行后重发。"
# 覆盖 / 保留 answer a conflict with the mini-program's edit; with none open they are no value of a
# field and no paragraph of a long text (the step's question follows, with what it takes).
_NO_CONFLICT_OPEN = "“覆盖”“保留”用于回答与小程序修改冲突时的提问，现在没有这样的提问。"
NO_CONFLICT_OPEN = {"field": "“{word}”没有记为{label}：" + _NO_CONFLICT_OPEN,
                    "longtext": "“{word}”没有写进{label}：" + _NO_CONFLICT_OPEN}
TEXT_NOT_ACKNOWLEDGED = "“{word}”没有写进{label}。写完请回复“完成”，还要补充请直接发送文字。"
TEXT_SAVED = "已保存，共{count}/{limit}字。可继续发送，写完回复“完成”。"
TEXT_EMPTY = "{label}还没有内容，请先发送文字。"
CONFLICT = ("“{label}”{changed}。\n现在的内容：{theirs}\n您的回复：{mine}\n"
            "回复“覆盖”用您的回复替换，回复“保留”保留现在的内容。")
PAGE_FOOTER = "（第{}/{}页，回复“更多”看下一页）"
UNFILLED, UNANSWERED = "（未填）", "（未答）"
ITEM_LABEL = "第{no}项 {category}"
ITEM_NO = "第{no}项"
HEADER_FIELD = "表头“{label}”"
HEADER_FIELD_PLACE = HEADER_FIELD + "（回复“表头”修改）"
PICK_KIND_AGAIN = "请回复1到{count}之间的序号，或回复“申报”重新查看。"
PAUSED_HERE = "暂停处"
# Tencent's errcodes that lose a photo for good, and how to say so.
MEDIA_LOST = {40007: "照片已过期", 40004: "照片格式不对"}
HELP_COMMANDS = ("回复“申报”开始或继续填写；“合格申报”申报经会员代表大会决定的合格职工之家（小家）；"
                 "“关联”让公众号和小程序的填报内容互通。\n"
                 "填报时随时可以回复：\n上一步 · 跳过 · 第N项（或 修改 N）· 表头 · 进度 · 暂停 / 继续 · "
                 "提交 · 撤回 · 取消 · 更多\n照片：打开某一项后直接发送；“这张也用于第6、7项”可共用上一张；"
                 "“删除照片”删掉这一项最后发的一张。")


def public_menu(human):
    """What anyone can ask for."""
    lines = ["您好，这里是房山区总工会。您可以回复：", "· 附近驿站 —— 查找身边的职工暖心驿站",
             "· 12351 —— 北京职工服务热线", "· 绑定 邀请码 —— 工会主席/工作人员绑定单位"]
    return "\n".join(lines + (["· 人工 —— 转人工客服"] if human else []))


def welcome(chair_org=None, human=False):
    """The answer to a new follower."""
    return "欢迎关注房山区总工会！\n" + (CHAIR_MENU.format(org=chair_org) if chair_org else public_menu(human))


def contact_line(contact):
    """The 组宣部 contact of the campaign."""
    if not contact:
        return ""
    email = f"（邮箱 {contact['email']}）" if contact.get("email") else ""
    return f"申报事宜请联系{contact.get('department', '区总工会组宣部')}{email}。"


def help_text(chair, contact, human, reviewing=""):
    """帮助: commands for chairs, keywords for everyone (with where a reviewer works, or how a
    chair binds), and whom to ask."""
    parts = [HELP_COMMANDS] if chair else [public_menu(human), reviewing or BIND_HOWTO]
    return "\n\n".join(parts + [contact_line(contact)])


LINKED = "关联成功：公众号和小程序已是同一账号，填报内容两边互通。"


def kind_line(label, round_, note=""):
    """“示范职工之家（上半年，截止2018年6月30日）” and a draft's note."""
    deadline = f"（{round_.name}，截止{round_.closes_on:%Y年%-m月%-d日}）" if round_ else ""
    return f"{label}{deadline}{note}"


def closed_kind(label, reasons):
    """A kind the org may not file, with the reasons."""
    return f"{label}：{'；'.join(reasons)}"


def kind_list(open_lines, closed_lines):
    """The kinds this org may file now (numbered) and those it may not (with reasons)."""
    text = ["可申报（回复序号开始或继续）："] + [f"{n}. {line}" for n, line in enumerate(open_lines, 1)]
    if not open_lines:
        text = ["目前没有可申报的类型。"]
    if closed_lines:
        text += ["暂不能申报："] + [f"· {line}" for line in closed_lines]
    return "\n".join(text)


def header_view(title, rows):
    """The prefilled header fields with their numbers."""
    body = "\n".join(f"{no}. {label}：{value}" for no, label, value in rows)
    return f"【{title}】\n先核对表头（已按单位资料预填）：\n{body}\n无误请回复“确认”；需修改请回复序号。"


def step_view(title, lines, lock):
    """A step shown while the application may not be changed: what it holds, and why no reply
    changes it (no question asked, so no answer is invited only to be refused)."""
    return "\n".join([title, *filter(None, lines), f"（{sentence(lock)}这里只能查看。）"])


def place(no, label):
    """“第5项” or “主要事迹”."""
    return f"第{no}项" if no else f"“{label}”"


def step_title(no, total, label):
    """“第5/21项 【服务设备配备】”."""
    if no is None:
        return f"【{label}】"
    return f"第{no}/{total}项 【{label}】" if total else f"第{no}项 【{label}】"


def item_prompt(title, text, evidence, current):
    """One checklist item."""
    ask = "请回复“是”或“否”（“否”可加说明，如：否，正在筹建）。"
    if evidence:
        ask += "本项需照片佐证：请先发送照片（可多张），再回复“是”。"
    return "\n".join(filter(None, [title, text, ask, current and f"当前：{current}"]))


def roster_note_left_out(column, note, number=None):
    """A 说明 typed after a roster cell's option, which the table has no room for (`number`: the
    row's, when the message had several)."""
    options = "或".join(f"“{c}”" for c in column.choices) if len(column.choices) == 2 else \
        "其中一项：" + "、".join(column.choices)
    row = f"第{number}行" if number else ""
    return f"“{note}”没有记录：{row}{column.label}一栏只填{options}，表上没有写说明的地方。"


def roster_row(field, row):
    """One roster row as the chair would type it."""
    return "，".join(str(row.get(column.key, "")) for column in field.columns)


def value_text(field, value, full=False):
    """A stored value for people; long texts and rosters summarised unless `full`."""
    if value in (None, "", [], {}):
        return UNFILLED
    if field.type == FieldType.ROSTER:
        return "；".join(roster_row(field, row) for row in value) if full else f"{len(value)}行"
    if field.type == FieldType.LONGTEXT and not full:
        return f"{count_chars(value)}字"
    numeric = field.type in (FieldType.INT, FieldType.PERCENT)
    return f"{value}{field.unit}" if field.unit and numeric else str(value)


def preview(text, limit):
    """The start of a long text."""
    return text[:limit] + ("…" if len(text) > limit else "")


def yes_no_text(value):
    """“是” or “否（说明）”."""
    note = f"（{value['note']}）" if value.get("note") else ""
    return ("是" if value.get("done") else "否") + note


def item_value(value, photos):
    """An item's current answer and photo count."""
    if not value:
        return f"未答，已有照片{photos}张" if photos else ""
    if not (photos or value.get("done")):
        return yes_no_text(value)
    return f"{yes_no_text(value)}，" + (f"照片{photos}张" if photos else "还没有照片")


def item_saved(no, value, photos):
    """An item answer recorded."""
    return f"第{no}项已记录：{item_value(value, photos)}。"


def note_added(no, value):
    """A 说明 sent after a bare 否, added to that item."""
    return f"已补充第{no}项的说明：{yes_no_text(value)}。"


def photo_received(no, count, answered):
    """A photo accepted for an item (pending downloads counted)."""
    then = "发完回复“下一项”" if answered else "或回复“是”/“否”"
    return f"已收到第{no}项的照片，共{count}张。可继续发送，{then}。"


def photo_removed(no, count):
    """删除照片 done."""
    return f"已删除第{no}项最后发送的一张照片，现有{count}张。"


REMOVE_NEEDS_ITEM = "请先回复“{jump}”打开要删照片的那一项，再回复“删除照片”。"
NO_PHOTO_TO_REMOVE = "第{no}项还没有照片。"


def photo_shared(counts):
    """这张也用于… done."""
    return "已共用上一张照片：" + "，".join(f"第{no}项共{n}张" for no, n in counts) + "。"


def lost_not_shared(reason):
    """这张也用于… for a photo that could not be saved (expired, unreadable)."""
    return f"上一张照片未能保存（{reason}），不能共用：请在需要的各项下重新发送照片。"


def not_shared(reason):
    """这张也用于… refused for one item (full): shared to none of them."""
    return "这张照片没有共用到任何一项：" + sentence(reason)


def field_prompt(title, hint, current, required, help_text_=""):
    """One field of a form."""
    lines = [title, hint, help_text_]
    if current:
        lines.append(f"当前：{current}。无误回复“确认”，或直接回复新值。")
    if not required:
        lines.append("（选填，不填请回复“跳过”）")
    return "\n".join(filter(None, lines))


TYPE_HINTS = {
    "int": "请回复整数，如 25。", "percent": "请回复百分数，如 95 或 95.5%。",
    "date": "请回复日期，如 2018-04-12。", "phone": "请回复电话，如 13800138000 或 010-69312345。",
    "email": "请回复邮箱，如 ghzxb123@163.com。", "credit_code": "请回复18位统一社会信用代码。",
    "name": "请回复姓名。", "text": "请回复文字。", "longtext": "请回复文字。",
}


def choice_hint(choices):
    """The options of a choice field, numbered."""
    return "请回复序号：" + "　".join(f"{n}. {c}" for n, c in enumerate(choices, 1))


def roster_prompt(title, row_hint, rows, limits):
    """A roster: one row per line, one or several lines per message."""
    low, high = limits
    listed = "\n".join(f"{n}. {row}" for n, row in enumerate(rows, 1))
    status = f"已填{len(rows)}行：\n{listed}" if rows else "还没有填写。"
    return (f"{title}（至少{low}行，最多{high}行）\n每行填一人（一条消息可发多行）：{row_hint}\n{status}\n"
            "填完回复“完成”；回复“清空”重填。")


def text_prompt(title, count, limit, preview, required):
    """A long text written over several messages."""
    lines = [title, f"限{limit}字以内，可分几条消息发送，依次接在后面。已写{count}/{limit}字。"]
    if preview:
        lines.append(f"开头：{preview}")
    lines.append("写完回复“完成”；“查看”：看已写全文；“重写”：下一条替换全部；“清空”：清除已写内容。")
    if not required:
        lines.append("（选填，不填请回复“跳过”）")
    return "\n".join(lines)


def text_too_long(existing, added, total, limit, kept=0):
    """Appending would pass the limit (`total`: the 字 of both, count_chars); with
    nothing to append to, the message alone (`kept`: the characters a 重写 leaves in place)."""
    if not existing:
        stays = f"，原有的{kept}字未改动" if kept else ""
        return f"这段{added}字，超过{limit}字上限，没有保存{stays}。请删减{total - limit}字后重发。"
    return (f"已有{existing}字，这段{added}字，合计{total}字，超过{limit}字上限，这段没有保存。"
            f"请删减{total - limit}字后重发，或回复“重写”整体重写。")


def warnings(messages):
    """Quorum-style warnings: shown, not refusals."""
    return "\n".join(f"提醒：{m}" for m in messages)


def sentence(text):
    """A domain message as a chat sentence: ended with “。” unless it already ends a sentence.
    A closing “）” ends one only when the whole message is that aside; after a trailing
    remark (“填报期限已过（截止6月30日）”) the sentence still wants its “。”."""
    if text.endswith(("。", "！", "？", "”")) or (text.startswith("（") and text.endswith("）")):
        return text
    return text + "。"


def media_failed(reason, numbers):
    """A photo the download job could not keep."""
    return f"您在申报中发送的一张照片未能保存（{reason}），请在第{ranges(numbers)}项下重新发送。"


def media_refused(reason, numbers):
    """A photo downloaded after its application stopped taking it (submitted meanwhile, say)."""
    return f"您在申报中发送的一张照片未能加入第{ranges(numbers)}项：{reason}。"
