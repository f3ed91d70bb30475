"""What a user sent, and the predicates the state table matches it with.

Commands work in every state, so free-text answers match `plain_text` (text that is not a
command), the way python-telegram-bot handlers use `filters.TEXT & ~filters.COMMAND`.
"""
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from bots.conversation.position import State
from miniapp_backend.forms.chinese_numbers import parse_chinese_count
from miniapp_backend.forms.decoration import is_decoration_only, strip_trailing
from miniapp_backend.forms.yes_no import split_yes_no_note


class InputKind(StrEnum):
    """The kinds of input the conversation understands."""

    TEXT = "text"
    PHOTO = "photo"
    LOCATION = "location"


@dataclass(frozen=True)
class Incoming:
    """One user input: text, a photo (MediaId) or a location (GCJ-02)."""

    kind: InputKind
    text: str = ""
    media_id: str = ""
    lat: float = 0.0
    lng: float = 0.0
    label: str = ""


class Command(StrEnum):
    """Commands understood at any time."""

    BACK = "back"
    SKIP = "skip"
    JUMP = "jump"
    PROGRESS = "progress"
    PAUSE = "pause"
    RESUME = "resume"
    SUBMIT = "submit"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"
    HELP = "help"
    MORE = "more"
    APPLY = "apply"
    BIND = "bind"
    LINK = "link"
    NEARBY = "nearby"
    HOTLINE = "hotline"
    HUMAN = "human"
    SHARE = "share"
    REMOVE_PHOTO = "remove_photo"
    BALLOT_CODE = "ballot_code"
    HEADER = "header"
    DECLARE = "declare"


class Word(StrEnum):
    """Replies that mean something only in some states."""

    CONFIRM = "确认"
    DONE = "完成"
    CLEAR = "清空"
    REWRITE = "重写"
    APPEND = "追加"
    NEW = "新建"
    OVERWRITE = "覆盖"
    KEEP = "保留"
    VIEW = "查看"
    AGREE = "对"  # a plain yes, which confirms only where nothing else could be meant (a header view)


# Synonyms people type for the state-specific words.
WORD_SYNONYMS = {
    Word.CONFIRM: ("确认", "确定", "无误", "ok"),
    Word.DONE: ("完成", "好了", "结束", "写完了", "填完了", "确认", "确定"),
    Word.CLEAR: ("清空", "清除"),
    Word.REWRITE: ("重写",),
    Word.APPEND: ("追加", "续写"),
    Word.NEW: ("新建", "新增", "新驿站", "新建驿站", "新增驿站", "登记新驿站"),
    Word.OVERWRITE: ("覆盖", "替换"),
    Word.KEEP: ("保留",),
    Word.VIEW: ("查看", "查看全文", "全文", "看全文"),
    Word.AGREE: ("对", "对的", "是", "是的", "没问题", "正确", "没错", "好的", "可以"),
}

_FORMS = "(登记表|验收单)?"
# Item numbers as digits or in Chinese numerals (第二十项), up to three digits' worth.
_NUMBER = "[0-9零〇一二两三四五六七八九十百]{1,6}"
COMMAND_PATTERNS = {
    Command.BACK: r"上一步|上一项|返回",
    Command.SKIP: r"跳过|下一项|下一步|稍后",
    # 第5项, 修改5, 验收单第5项, 修改登记表第5项: a bare "5" is a choice, not a jump.
    Command.JUMP: rf"(?=修改|第|登记表|验收单)(?:修改|第)?\s*{_FORMS}\s*第?\s*({_NUMBER})\s*项?",
    Command.PROGRESS: r"进度|我的进度|查看进度",
    Command.PAUSE: r"暂停",
    Command.RESUME: r"继续|继续填写|恢复",
    Command.SUBMIT: r"提交|提交申报",
    Command.WITHDRAW: r"撤回|撤回申报",
    Command.CANCEL: r"取消|退出",
    Command.HELP: r"帮助|help|\?|菜单",
    Command.MORE: r"更多|下一页",
    Command.APPLY: r"申报|填报|我要申报",
    Command.DECLARE: r"合格申报|申报合格(?:称号|职工之家|职工小家)?|合格称号申报",
    # 绑定单位 is the menu button's name; 绑定 邀请码 the help's words typed literally.
    Command.BIND: r"绑定(?:单位)?\s*(?:邀请码)?\s*:?\s*([A-Za-z0-9\- ]*)",
    Command.LINK: r"关联\s*:?\s*([A-Za-z0-9\- ]*)",
    Command.NEARBY: r"附近驿站|附近|驿站|找驿站|暖心驿站",
    Command.HOTLINE: r"(?:北京)?12351(?:热线|职工服务热线)?|热线|职工服务热线",
    Command.HUMAN: r"转?人工(?:客服|服务)?|客服",
    Command.HEADER: rf"(?:修改|查看)?\s*{_FORMS}\s*表头",
    Command.BALLOT_CODE: r"bt\.[a-z0-9]{10,20}",
    Command.REMOVE_PHOTO: r"删除照片|删掉照片|删除(?:最后|上)一张(?:照片)?|撤回照片",
    # 这张也用于第6、7项 and as chairs word it: 这个也用在6-8项, 也用于第6项和第7项, 同时用于…
    Command.SHARE: (r"(?:这张|这个|此张|该张)?(?:照片|图片|图)?(?:也|同时|还)(?:用于|用在|适用于)"
                    r"\s*第?\s*([0-9零〇一二两三四五六七八九十百、，,和及与\s\-~至到第项]+?)\s*项?"),
}
_COMPILED = {cmd: re.compile(rf"(?:{pattern})", re.IGNORECASE) for cmd, pattern in COMMAND_PATTERNS.items()}
_TRAILING = "。.!！?？~～ "
# The Traditional characters of the command words and keywords (確認, 進度, 附近驛站, 工資…), as
# a phone set to Traditional Chinese sends them; answers are stored as typed.
_SIMPLIFIED = str.maketrans("確認進繼續暫過項後報幫單頁綁關聯驛熱線職務轉頭刪張這於無誤結寫蓋換記驗復資廁",
                            "确认进继续暂过项后报帮单页绑关联驿热线职务转头删张这于无误结写盖换记验复资厕")


# A keycap emoji is its digit ("3️⃣" is 3, "🔟" 10), as a phone's emoji keyboard offers numbers.
_KEYCAP = re.compile("([0-9])\ufe0f?\u20e3")
_FOLDS = {**_SIMPLIFIED, ord("\U0001f51f"): "10"}


def normalized(text):
    """Half-width, Simplified, trimmed, without trailing punctuation, emoji or WeChat emoticons
    ("确认👍", "好的[强]"; a lone "?" stays a question); keycap digits are digits."""
    folded = unicodedata.normalize("NFKC", text or "").translate(_FOLDS)
    folded = _KEYCAP.sub(r"\1", folded).strip()
    return strip_trailing(folded, _TRAILING) or folded


def parse_command(text):
    """(Command, match) when the whole text is a command, else None."""
    clean = normalized(text)
    for command_, pattern in _COMPILED.items():
        match = pattern.fullmatch(clean)
        if match:
            return command_, match
    return None


# Longer runs of digits are pasted figures, not a pick: they are asked again (int() would refuse
# them beyond 4,300 digits), while an absurd pick such as 第99999999项 is still told it is absent.
NUMBER_MAX_DIGITS = 20


def parse_number(text):
    """An item number written in digits ("12") or Chinese numerals ("十二", "二十", "一百零五");
    None for anything else."""
    if text.isdecimal():
        return int(text) if len(text) <= NUMBER_MAX_DIGITS else None
    return parse_chinese_count(text)


# No form has this many items: a wider range is a typo, kept as its two ends (the form refuses
# the end it lacks) rather than spelled out number by number.
MAX_RANGE = 100


def parse_numbers(text):
    """Item numbers from "6、7", "6,8-10", "第6项和第7项" or "六、七"; ranges expanded (either way round),
    order kept."""
    numbers = []
    # "第6项和第7项": each number may keep its own 第…项.
    for part in re.split(r"[、，,和及与\s第项]+", text.strip()):
        bounds = [n for n in map(parse_number, re.split(r"[\-~至到]", part)) if n is not None]
        if len(bounds) == 2:
            low, high = sorted(bounds)
            numbers.extend(range(low, high + 1) if high - low <= MAX_RANGE else bounds)
        elif bounds:
            numbers.append(bounds[0])
    return list(dict.fromkeys(numbers))


def command(wanted):
    """Matches text that is the command `wanted`."""
    def match(turn):
        """True for the wanted command."""
        found = turn.incoming.kind == InputKind.TEXT and parse_command(turn.incoming.text)
        return bool(found) and found[0] == wanted
    return match


def word(wanted):
    """Matches text that is `wanted` or one of its synonyms."""
    synonyms = {s.lower() for s in WORD_SYNONYMS[wanted]}

    def match(turn):
        """True for the word or a synonym."""
        return (turn.incoming.kind == InputKind.TEXT
                and normalized(turn.incoming.text).lower() in synonyms)
    return match


def other_steps_word(turn):
    """A word that means something at a long text or roster (完成, 查看, 重写…), sent elsewhere."""
    text = normalized(turn.incoming.text).lower() if turn.incoming.kind == InputKind.TEXT else ""
    return text in _OTHER_STEPS_WORDS


_OTHER_STEPS_WORDS = frozenset(s.lower() for w in (Word.DONE, Word.VIEW, Word.REWRITE, Word.APPEND, Word.CLEAR)
                               for s in WORD_SYNONYMS[w]) - {"确认", "确定"}


def plain_text(turn):
    """Text that is not a command (an answer to the current question); emoji or emoticons alone
    ("👍", "[强]") answer nothing."""
    return (turn.incoming.kind == InputKind.TEXT and parse_command(turn.incoming.text) is None
            and not is_decoration_only(turn.incoming.text))


# Replies that acknowledge what the bot said (a recorded 否, a saved paragraph), saying nothing more.
ACKNOWLEDGEMENTS = frozenset({"好", "好的", "好嘞", "嗯", "嗯嗯", "行", "收到", "收到了", "知道了", "明白", "明白了",
                              "谢谢", "谢谢你", "谢谢您", "多谢", "感谢", "ok", "可以"})


def acknowledgement(turn):
    """Text that only acknowledges (好的, 收到！, 谢谢👍)."""
    return plain_text(turn) and normalized(turn.incoming.text).lower() in ACKNOWLEDGEMENTS


def number(turn):
    """A bare number, such as a choice from a numbered list: 2, ２ or 二 (as speech is written)."""
    return turn.incoming.kind == InputKind.TEXT and parse_number(normalized(turn.incoming.text)) is not None


# A header view's row: "3", or "修改3" as its “需修改请回复序号” invites (第3项 stays the item).
_HEADER_ROW = re.compile(rf"(?:修改|改)?\s*({_NUMBER})")


def header_row_number(text):
    """The row number of "3", "修改3", "改 三"; None for anything else."""
    match = _HEADER_ROW.fullmatch(normalized(text))
    return parse_number(match.group(1)) if match else None


def header_row(turn):
    """A header view's row to correct."""
    return turn.incoming.kind == InputKind.TEXT and header_row_number(turn.incoming.text) is not None


def yes_no(turn):
    """是/否 and their variants, optionally followed by a note."""
    return plain_text(turn) and split_yes_no_note(turn.incoming.text)[0] is not None


# Words of a worker's own problem (pay, contract, injury…): the 12351 hotline is the place for it.
_LABOUR_TOPICS = re.compile("工资|工钱|欠薪|薪水|讨薪|拖欠|欠.{0,3}钱|不给.{0,2}钱|发钱|扣钱|加班|劳动合同|合同|"
                            "工伤|受伤|[摔砸烫压割扭]伤|伤残|职业病|赔偿|补偿|社保|五险|医保|养老保险|"
                            "辞退|解雇|开除|裁员|失业|休假|年假|产假|欺负|骚扰|"
                            "维权|仲裁|劳动纠纷|法律援助|困难帮扶|心理")


def labour_question(turn):
    """Text about a worker's rights or hardship that no state took as an answer."""
    return plain_text(turn) and _LABOUR_TOPICS.search(normalized(turn.incoming.text)) is not None


# Words of someone looking for a station or what stations offer (the 八可: 如厕, 饮水, 歇脚…).
_STATION_TOPICS = re.compile("驿站|厕所|卫生间|洗手间|如厕|喝水|饮水|热水|热饭|歇脚|取暖|纳凉|避雨")
# …unless the text is about applying for or building one (a chair's question, not a search).
_APPLYING = re.compile("申报|填报|申请|验收|登记|建设|新建|创建")


_APPLY_WORDS = re.compile("申报|填报")


def apply_question(turn):
    """Text about applying in the person's own words ("我要申报暖心驿站", "怎么申报"), outside any flow."""
    return (plain_text(turn) and turn.position.state == State.IDLE
            and _APPLY_WORDS.search(normalized(turn.incoming.text)) is not None)


def station_question(turn):
    """Text asking for a station in the person's own words ("附近有驿站吗"), outside any flow (in one,
    such words may be an answer: a station's name)."""
    text = normalized(turn.incoming.text)
    return (plain_text(turn) and turn.position.state == State.IDLE
            and _STATION_TOPICS.search(text) is not None and _APPLYING.search(text) is None)


def photo(turn):
    """An image message."""
    return turn.incoming.kind == InputKind.PHOTO


def location(turn):
    """A location message or a location_select event."""
    return turn.incoming.kind == InputKind.LOCATION


def anything(turn):
    """Matches every input (the last fallback)."""
    return True
