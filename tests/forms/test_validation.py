"""Parsing one answer per field type, yes/no replies and the cross-field rules."""

import pytest

from miniapp_backend.forms import Field, FieldError, FormCatalog
from miniapp_backend.forms.cross_checks import check_cross_field
from miniapp_backend.forms.roster_rows import roster_row_hint
from miniapp_backend.forms.validation import parse_field, parse_roster_row
from miniapp_backend.forms.yes_no import parse_yes_no, split_yes_no_note

TEXT = Field(key="unit", label="单位全称", type="text", max_len=10)
NAME = Field(key="chair", label="工会主席", type="name")
COUNT = Field(key="employees", label="职工人数", type="int", min=0, max=1000, unit="人")
AGE = Field(key="age", label="年龄", type="int", min=18, max=100)
DATE = Field(key="filled_on", label="填表日期", type="date")
PHONE = Field(key="phone", label="联系电话", type="phone")
EMAIL = Field(key="email", label="电子邮箱", type="email")
CODE = Field(key="code", label="统一社会信用代码", type="credit_code")
NATURE = Field(key="nature", label="单位性质", type="choice",
               choices=("企业", "事业单位", "机关", "社会团体", "民办非企业单位", "其他"))
YES_NO = Field(key="matched", label="是否配备", type="choice", choices=("是", "否"))
PERCENT = Field(key="satisfaction", label="群众满意率", type="percent", unit="%")
DEEDS = Field(key="main_deeds", label="主要事迹", type="longtext", max_chars=800)
OPTIONAL = Field(key="honors", label="荣誉称号", type="text", required=False)


def error_of(field, raw) -> str:
    """The Chinese message of the FieldError a value raises."""
    with pytest.raises(FieldError) as info:
        parse_field(field, raw)
    assert info.value.key == field.key
    return info.value.message


@pytest.fixture(scope="module")
def district():
    """The 5-1 registration form."""
    return FormCatalog().get(2018, "district_home_registration")


@pytest.fixture(scope="module")
def small():
    """The 5-2 registration form."""
    return FormCatalog().get(2018, "small_home_registration")


def test_required_and_optional_blanks():
    """A blank required value is refused by name; a blank optional one is None."""
    assert "单位全称是必填项" in error_of(TEXT, "   ")
    assert "单位全称是必填项" in error_of(TEXT, None)
    assert parse_field(OPTIONAL, "") is None


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c\u200d", "\ufeff", "\u3000", "\xa0", "\u200b\u3000\xa0\ufeff"])
@pytest.mark.parametrize("field", [TEXT, NAME, DEEDS, PHONE], ids=lambda f: f.type)
def test_only_invisible_characters_are_blank(field, invisible):
    """A required answer of zero-width spaces, a BOM, ideographic spaces or NBSPs looks filled
    but says nothing: refused as blank, like an empty one."""
    assert error_of(field, invisible) == f"{field.label}是必填项，请填写{field.label}"
    assert parse_field(OPTIONAL, invisible) is None


def test_invisible_characters_are_trimmed_at_the_ends():
    """Stored text has no invisible characters at its ends (the packet would print them)."""
    assert parse_field(TEXT, "\ufeff房山区总工会\u200b\u3000") == "房山区总工会"
    assert parse_field(DEEDS, "\u200b\u3000事迹\n二段\u200d") == "\u3000事迹\n二段"  # the indent is layout
    assert parse_field(NAME, "\u200b张三\ufeff") == "张三"
    assert parse_field(PHONE, "\u200b13800138000\u200b") == "13800138000"


def test_text():
    """Trimmed and length-checked."""
    assert parse_field(TEXT, "  房山区总工会 ") == "房山区总工会"
    assert error_of(TEXT, "一二三四五六七八九十一") == "单位全称共11字，超过10字上限，请删减1字后重发"
    # 字 as for the 主要事迹: the spaces between words are no 字, so 10 字 with them fit.
    assert parse_field(TEXT, "房山区 良乡镇 总工会一") == "房山区 良乡镇 总工会一"
    assert "应填写文字" in error_of(TEXT, ["列表"])


@pytest.mark.parametrize("raw, expected", [
    ("张三", "张三"), (" 张 三 ", "张三"), ("阿依古丽·买买提", "阿依古丽·买买提"),
    ("阿依古丽•买买提", "阿依古丽·买买提"), ("阿依古丽．买买提", "阿依古丽·买买提"), ("John  Smith", "John Smith"), ("欧阳", "欧阳"),
])
def test_name_accepted(raw, expected):
    """Chinese or Latin names, with layout spaces removed and middots unified."""
    assert parse_field(NAME, raw) == expected


@pytest.mark.parametrize("raw", ["张", "张三3", "王" * 21, "张三,李四", "13800138000"])
def test_name_refused(raw):
    """Too short, too long, digits or punctuation."""
    assert "2到20个汉字或字母" in error_of(NAME, raw)


@pytest.mark.parametrize("raw, expected", [
    ("25", 25), ("25人", 25), ("２５", 25), ("２５ 人", 25), (25, 25), (25.0, 25), ("0", 0), ("+7", 7),
    ("二十五", 25), ("一百人", 100), ("一百五十", 150), ("一百五", 150), ("两人", 2), ("七个", 7), ("十", 10),
    ("零", 0), ("〇", 0), ("一百零五", 105), ("九百九十九人", 999),
])
def test_int_accepted(raw, expected):
    """Digits, with a unit, full-width, or a JSON number."""
    assert parse_field(COUNT, raw) == expected


@pytest.mark.parametrize("raw, message", [
    ("-3", "职工人数不能为负数，请填写0或正整数"),
    ("2.5", "职工人数应为整数，不能带小数，如 25"),
    ("若干", "职工人数请填写一个整数，如 25 或 二十五"),
    ("二三十", "职工人数“二三十”不是一个确切的数，请填写确切的整数，如 25 或 二十五"),
    ("十几个", "职工人数“十几个”不是一个确切的数，请填写确切的整数，如 25 或 二十五"),
    ("一五〇", "职工人数“一五〇”不是一个确切的数，请填写确切的整数，如 25 或 二十五"),
    ("一千五", "职工人数应在0到1000之间，收到的是1500，请核对后重发"),
    ("约一百人", "职工人数请只填一个确切的整数，如 25，不要加其他文字"),
    ("1001", "职工人数应在0到1000之间，收到的是1001，请核对后重发"),
    (True, "职工人数应填写整数"),
])
def test_int_refused(raw, message):
    """Negatives, decimals, words, out of range and booleans."""
    assert error_of(COUNT, raw) == message


def test_huge_ints_get_the_range_message_without_being_read_back():
    """Thousands of digits (past Python's int() limit) or 1e308: the range, kept short."""
    assert error_of(COUNT, "9" * 5000) == "职工人数应在0到1000之间，请核对后重发"
    assert error_of(COUNT, 1e308) == "职工人数应在0到1000之间，请核对后重发"
    assert error_of(COUNT, "-" + "9" * 5000) == "职工人数不能为负数，请填写0或正整数"
    assert error_of(COUNT, "0" * 5000 + "1001") == "职工人数应在0到1000之间，收到的是1001，请核对后重发"


def test_int_without_a_maximum_still_has_a_ceiling():
    """A field naming no maximum refuses numbers no count could be (a database column could not hold)."""
    members = Field(key="members", label="会员数", type="int")
    assert parse_field(members, "123456789012345") == 123456789012345
    assert error_of(members, "1234567890123456") == "会员数应在0到999999999999999之间，请核对后重发"


@pytest.mark.parametrize("raw, expected", [
    ("1,000", 1000), ("1，000", 1000), ("1,000人", 1000), ("１，０００", 1000), ("999", 999),
])
def test_int_with_thousands_separators(raw, expected):
    """A count written the way it is printed, with commas every three digits, is that count."""
    big = Field(key="members", label="会员数", type="int", unit="人")
    assert parse_field(big, raw) == expected


@pytest.mark.parametrize("field, raw, expected", [
    (COUNT, "100人。", 100), (COUNT, "１００！", 100), (DATE, "2018年5月1日。", "2018-05-01"),
    (DATE, "2018.5.1.", "2018-05-01"), (PHONE, "13800138000。", "13800138000"), (PERCENT, "98%。", 98),
    (NAME, "王建国。", "王建国"), (NATURE, "企业。", "企业"),
])
def test_a_value_ended_like_a_sentence_is_read_without_its_full_stop(field, raw, expected):
    """Chat replies often end with 。 or ！: the mark is not part of the value."""
    assert parse_field(field, raw) == expected


@pytest.mark.parametrize("field, raw, expected", [
    (COUNT, "职工人数：150人", 150), (DATE, "填表日期: 2018年5月1日", "2018-05-01"),
    (PHONE, "联系电话：13800138000", "13800138000"), (NATURE, "单位性质：企业", "企业"),
    (PERCENT, "群众满意率：98%", 98), (OPTIONAL, "荣誉称号：2017年 先进班组", "荣誉称号：2017年 先进班组"),
])
def test_a_value_after_its_own_label_is_the_value(field, raw, expected):
    """A reply written as on a paper form (会员人数：30) is the value; free text is kept whole."""
    assert parse_field(field, raw) == expected


@pytest.mark.parametrize("raw", ["约100人", "共100人", "100人左右", "100多人"])
def test_a_count_in_words_around_its_digits_is_asked_for_the_number_alone(raw):
    """The digits are there: the message asks for them without the words, not for digits."""
    assert error_of(COUNT, raw) == "职工人数请只填一个确切的整数，如 25，不要加其他文字"


@pytest.mark.parametrize("raw", ["1,00", "10,00", "1,0000", ",100", "100,", "1,,000", "1, 000"])
def test_int_with_misplaced_commas_refused(raw):
    """Commas not in groups of three are not a thousands separator: what was meant is unclear."""
    big = Field(key="members", label="会员数", type="int", unit="人")
    assert error_of(big, raw) == "会员数请填写一个整数，如 25 或 二十五"


def test_int_minimum_above_zero():
    """A range like 18–100 is stated as such."""
    assert error_of(AGE, "17") == "年龄应在18到100之间，收到的是17，请核对后重发"
    assert parse_field(AGE, "45岁") == 45


@pytest.mark.parametrize("raw", [
    "2018-04-12", "2018-4-12", "2018.4.12", "2018/4/12", "2018年4月12日", "2018年4月12号",
    "20180412", "２０１８－０４－１２", " 2018 年 4 月 12 日 ",
])
def test_date_accepted(raw):
    """The usual spellings all become ISO."""
    assert parse_field(DATE, raw) == "2018-04-12"


def test_date_refused():
    """Impossible dates, odd years and unreadable text are refused with an example."""
    assert error_of(DATE, "2018-02-30") == "填表日期：2018年2月30日不是有效日期，请核对后重发"
    assert error_of(DATE, "2018-13-01") == "填表日期：2018年13月1日不是有效日期，请核对后重发"
    assert "年份1018看起来不对" in error_of(DATE, "1018-04-12")
    assert error_of(DATE, "四月十二日") == "填表日期请按“年-月-日”填写，如 2018-04-12 或 2018年4月12日"


@pytest.mark.parametrize("raw, message", [
    ("2018年5月", "填表日期只写了2018年5月，还缺日，请写完整的日期，如 2018年5月12日"),
    ("2018.05", "填表日期只写了2018年5月，还缺日，请写完整的日期，如 2018年5月12日"),
    ("2016年", "填表日期只写了2016年，还缺月和日，请写完整的日期，如 2016年4月12日"),
    ("18-5-1", "填表日期的年份请写全四位，如 2018-5-1"),
    ("９８年５月１日", "填表日期的年份请写全四位，如 1998-5-1"),
    ("2018年13月", "填表日期请按“年-月-日”填写，如 2018-04-12 或 2018年4月12日"),
])
def test_a_date_short_of_a_part_says_which(raw, message):
    """A month without its day, a year alone or a two-digit year: the message names what is missing."""
    assert error_of(DATE, raw) == message


@pytest.mark.parametrize("raw, expected", [
    ("13800138000", "13800138000"),
    ("138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("+86 13800138000", "13800138000"),
    ("010-69312345", "010-69312345"),
    ("01069312345", "010-69312345"),
    ("(010)69312345", "010-69312345"),
    ("（010）69312345", "010-69312345"),
    ("010 6931 2345", "010-69312345"),
    ("0311-5234567", "0311-5234567"),
    ("69312345", "69312345"),
    ("010-69312345转801", "010-69312345转801"),
    ("010-69312345-801", "010-69312345转801"),
    ("010-69312345#801", "010-69312345转801"),
    ("010-69312345 ext 801", "010-69312345转801"),
    ("69312345转8", "69312345转8"),
])
def test_phone_accepted(raw, expected):
    """Mobiles and landlines, with area code and extension in their usual spellings."""
    assert parse_field(PHONE, raw) == expected


@pytest.mark.parametrize("raw", [
    "1380013800", "12800138000", "138001380001", "13800138000转1", "010-1234567",
    "010-69312345转1234567", "69312", "电话号码", "010-69312345-801-2",
])
def test_phone_refused(raw):
    """Wrong lengths, bad prefixes and extensions on mobiles are refused with the format help."""
    assert error_of(PHONE, raw) == (
        "联系电话格式不对。手机号应为11位数字，如 13800138000；"
        "座机请写区号-号码，分机用“转”或“-”，如 010-69312345转801")


@pytest.mark.parametrize("raw, area, number", [
    ("010-6931234", "010", "6931234"), ("0106931234", "010", "6931234"), ("(021) 523 4567", "021", "5234567"),
])
def test_a_landline_a_digit_short_for_its_area_code_is_refused(raw, area, number):
    """Beijing (010) and the 02x cities have 8-digit numbers: 010-6931234 is a digit dropped,
    not a number (it was stored as given)."""
    assert error_of(PHONE, raw) == (
        f"联系电话格式不对：区号{area}的座机号码应为8位，“{number}”只有7位。请核对后重发。")


@pytest.mark.parametrize("raw", ["13800138000、010-69312345", "13800138000 或 69312345转801", "13800138000/13900139000"])
def test_two_phone_numbers_are_asked_to_be_one(raw):
    """A mobile and an office number, as chairs often give both: one is asked for, not a format."""
    assert error_of(PHONE, raw) == "联系电话只填一个号码，这里有2个。请只留一个后重发，如 13800138000。"


@pytest.mark.parametrize("raw, words", [("13800138000（赵强）", "赵强"), ("电话：010-69312345", "电话")])
def test_words_beside_a_phone_number_are_asked_to_be_left_out(raw, words):
    assert error_of(PHONE, raw) == f"联系电话只填号码，不要加“{words}”等文字。"


def test_email():
    """An address with a domain; the full-width ＠ and the domain's case are normalized."""
    assert parse_field(EMAIL, "ghzxb123@163.com") == "ghzxb123@163.com"
    assert parse_field(EMAIL, " Zhang.San＠Example.COM ") == "Zhang.San@example.com"
    for raw in ("ghzxb123", "a@b", "a b@163.com", "@163.com"):
        assert "邮箱地址" in error_of(EMAIL, raw)


def test_credit_code_field():
    """Normalized to upper case; length, charset and checksum refused with distinct messages."""
    assert parse_field(CODE, " 91350100m000100y43 ") == "91350100M000100Y43"
    assert parse_field(CODE, "9111 0000 8021 0043 3B") == "91110000802100433B"
    assert "应为18位，收到17位" in error_of(CODE, "91110000802100433")
    assert "“O”" in error_of(CODE, "9111000080210O433B")
    assert "校验位不对" in error_of(CODE, "91110000802100433C")


@pytest.mark.parametrize("raw, expected", [
    ("企业", "企业"), ("2", "事业单位"), ("２", "事业单位"), (3, "机关"), (" 社会 团体 ", "社会团体"),
    ("民办非企业", "民办非企业单位"), ("非企业", "民办非企业单位"),
    # An option and a word after it: 企业单位 is a 企业, never the 民办非企业单位 it is a part of.
    ("企业单位", "企业"), ("机关单位", "机关"), ("社会团体组织", "社会团体"),
    # The kind of an option before it: 国有企业 is a 企业 (民办非企业 stays the 民办非企业单位).
    ("国有企业", "企业"), ("民营企业", "企业"), ("行政机关", "机关"), ("民办非企业", "民办非企业单位"),
])
def test_choice_accepted(raw, expected):
    """Option text, its number, or an unambiguous part of it."""
    assert parse_field(NATURE, raw) == expected


@pytest.mark.parametrize("raw", ["7", "0", "公司", "单位", "机关事业单位"])
def test_choice_refused(raw):
    """Unknown, out-of-range or ambiguous answers list the numbered options."""
    assert error_of(NATURE, raw) == (
        "单位性质请从以下选项中选一个（可回复序号）："
        "1. 企业　2. 事业单位　3. 机关　4. 社会团体　5. 民办非企业单位　6. 其他")


POLITICAL = Field(key="political_status", label="政治面貌", type="choice",
                  choices=("中共党员", "中共预备党员", "共青团员", "民主党派", "无党派人士", "群众"))
POSITION = Field(key="position", label="职务", type="choice", choices=("工会主席", "常务副主席", "工会副主席"))


def test_a_bare_word_is_the_full_option_not_its_qualified_one():
    """党员 is a 中共党员 (a 预备党员 says so), 主席 the 工会主席 (a 副主席 says so); 副主席 alone
    could be either vice-chair and is asked again."""
    assert parse_field(POLITICAL, "党员") == "中共党员"
    assert parse_field(POLITICAL, "预备党员") == "中共预备党员"
    assert parse_field(POSITION, "主席") == "工会主席"
    assert "1. 工会主席　2. 常务副主席　3. 工会副主席" in error_of(POSITION, "副主席")


def test_yes_no_choice():
    """A 是/否 choice also takes the usual yes/no replies."""
    assert parse_field(YES_NO, "是的") == "是"
    assert parse_field(YES_NO, "没有") == "否"
    assert parse_field(YES_NO, "2") == "否"
    assert "1. 是　2. 否" in error_of(YES_NO, "也许")


@pytest.mark.parametrize("raw, expected", [
    ("95", 95), ("95%", 95), ("95.5", 95.5), ("95.50％", 95.5), ("９５％", 95), (100, 100),
    (87.25, 87.25), ("0", 0),
])
def test_percent_accepted(raw, expected):
    """Numbers with or without %, at most two decimals."""
    value = parse_field(PERCENT, raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize("raw, message", [
    ("101", "群众满意率应在0到100之间，如 95 或 95.5%"),
    ("-1", "群众满意率应在0到100之间，如 95 或 95.5%"),
    ("95.555", "群众满意率最多保留两位小数，如 95.25"),
    ("很满意", "群众满意率请填写0到100之间的数，如 95 或 95.5%"),
    ("nan", "群众满意率应在0到100之间，如 95 或 95.5%"),
])
def test_percent_refused(raw, message):
    """Out of range, too precise or not a number."""
    assert error_of(PERCENT, raw) == message


@pytest.mark.parametrize("raw, meant, typed", [
    ("0.98", "98", "0.98"), ("0.5", "50", "0.5"), (".985", "98.5", ".985"), ("０．９８", "98", "0.98"),
    (0.98, "98", "0.98"),
])
def test_percent_as_a_fraction_refused(raw, meant, typed):
    """0.98 almost always means 98%: it is refused with how to write it, not stored as 0.98%."""
    assert error_of(PERCENT, raw) == (f"群众满意率按百分数填写：若是{meant}%，请填 {meant}，不要填小数 {typed}；"
                                      f"若确实不到1%，请带上%号，如 {typed}%")


@pytest.mark.parametrize("raw, expected", [("0.5%", 0.5), ("0.98％", 0.98), ("1", 1), ("98%", 98), ("98％", 98), ("98", 98)])
def test_percent_below_one_with_the_sign_or_whole(raw, expected):
    """A value marked % is taken as written; 1 and above are percentages already."""
    assert parse_field(PERCENT, raw) == expected


def test_longtext_counts_characters():
    """Up to max_chars characters pass; above, the count and the excess are named."""
    assert parse_field(DEEDS, "  " + "事" * 800 + "\n") == "  " + "事" * 800  # an indent is no 字
    assert error_of(DEEDS, "事" * 856) == "主要事迹共856字，超过800字上限，请删减56字后重发"


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\n\n"])
def test_longtext_counts_neither_line_breaks_nor_indents(newline):
    """Eight indented paragraphs of 100 字 are the 800 字 the chair counted in Word (they were
    refused as 807 and more); the text is stored with its layout, and 801 字 are still too many."""
    paragraphs = newline.join("\u3000\u3000" + "事" * 100 for _ in range(8))
    assert parse_field(DEEDS, paragraphs) == paragraphs  # the first paragraph's indent too
    assert error_of(DEEDS, paragraphs + "。") == "主要事迹共801字，超过800字上限，请删减1字后重发"


def test_longtext_keeps_the_first_paragraphs_indent_and_drops_blank_edges():
    """Only blank lines before the text and whitespace after it go: the first paragraph is
    indented like the others (it lost its "　　" when the text was stripped as a whole)."""
    typed = "\r\n\u200b\n\ufeff　　第一段。\n　　第二段。  \n\n"
    assert parse_field(DEEDS, typed) == "　　第一段。\n　　第二段。"
    for blank in ("\u200b\n\u3000\u3000\n", "\ufeff", "\r\n \r\n"):
        assert error_of(DEEDS, blank) == "主要事迹是必填项，请填写主要事迹"


def test_longtext_of_mostly_blank_lines_is_bounded():
    """Breaks no longer count as 字, so the text's own length is capped at twice the limit:
    a few 字 between thousands of blank lines would otherwise be stored and printed unbounded."""
    assert parse_field(DEEDS, "事" * 799 + "\n" * 800 + "迹")  # paragraphs, blank lines: room enough
    refused = error_of(DEEDS, "事" + "\n" * 5000 + "迹")
    assert refused == "主要事迹的空行和空格太多（连同文字共5002个字符，最多1600个），请删去多余的空行后重发"


def test_roster_row_from_chat(district):
    """One row typed in chat, separated by any of ，,、/； (or by spaces when there are no such marks)."""
    chairs = district.field("chairs")
    expected = {"name": "张三", "gender": "男", "age": 45, "political_status": "中共党员",
                "position": "工会主席", "employment_type": "专职"}
    assert parse_roster_row(chairs, "张三，男，45，中共党员，工会主席，专职") == expected
    assert parse_roster_row(chairs, "张三, 男、45/中共党员 工会主席  专职") == expected
    assert parse_roster_row(chairs, "张三，1，45岁，1，1，1") == expected
    assert parse_roster_row(chairs, "张三；男；45；中共党员；工会主席；专职") == expected
    # Copied from a list: its numbering and the table's labels are not part of the values.
    for numbered in ("1. 张三，男，45，中共党员，工会主席，专职", "（2）张三，男，45，中共党员，工会主席，专职",
                     "3、张三、男、45、中共党员、工会主席、专职"):
        assert parse_roster_row(chairs, numbered) == expected, numbered
    labelled = "姓名：张三，性别：男，年龄：45，政治面貌：中共党员，职务：工会主席，专兼职情况:专职"
    assert parse_roster_row(chairs, labelled) == expected
    # With commas, spaces belong to the cell: a name in Latin letters stays whole.
    assert parse_roster_row(chairs, "John Smith，男，45，中共党员，工会主席，专职")["name"] == "John Smith"


def test_roster_row_errors_from_chat(district, small):
    """A wrong cell count shows the column order and an example; a bad cell names its column."""
    chairs = district.field("chairs")

    def row_error(text):
        with pytest.raises(FieldError) as info:
            parse_roster_row(chairs, text)
        return info.value.message
    message = row_error("张三，男，45")
    assert message.startswith("工会正副主席情况每行应有6项，收到3项。")
    assert message.endswith("按顺序填写姓名、性别、年龄、政治面貌、职务、专兼职情况，用逗号隔开，"
                            "如：张三，男，45，中共党员，工会主席，专职")
    assert row_error("张三，男，15，中共党员，工会主席，专职") == "年龄应在18到100之间，收到的是15，请核对后重发"
    assert roster_row_hint(small.field("chairs")).startswith("按顺序填写姓名、性别、年龄、职务、政治面貌、兼职情况")


def test_roster_rows_from_api(district, small):
    """A list of rows (mappings or lines), within min/max rows, each cell checked."""
    chairs = district.field("chairs")
    row = {"name": "李四", "gender": "女", "age": 38, "political_status": "群众",
           "position": "工会副主席", "employment_type": "兼职"}
    assert parse_field(chairs, [row, "张三，男，45，中共党员，工会主席，专职"])[0] == row
    assert error_of(chairs, [row] * 4) == "工会正副主席情况最多填3行，收到4行"
    assert error_of(small.field("chairs"), [row] * 3) == "工会分会主席（小组长）情况最多填2行，收到3行"
    assert "必填项" in error_of(chairs, [])
    assert error_of(chairs, [row, {**row, "age": "老"}]) == "第2行：年龄请填写一个整数，如 25 或 二十五"
    assert error_of(chairs, [{**row, "salary": 1}]) == "第1行：工会正副主席情况含有未知的栏目：salary"
    assert error_of(chairs, [{k: v for k, v in row.items() if k != "name"}]) == "第1行：姓名是必填项，请填写姓名"
    assert error_of(chairs, [row, ["李四", "女"]]) == "第2行：工会正副主席情况的每一行应包含姓名、性别、年龄、政治面貌、职务、专兼职情况"


@pytest.mark.parametrize("raw", [
    {"name": "李四", "gender": "女", "age": 38, "political_status": "群众", "position": "工会副主席",
     "employment_type": "兼职"},
    "张三，男，45，中共党员，工会主席，专职",
    45,
])
def test_a_roster_is_only_a_list_of_rows(district, raw):
    """A single row (object or line) is no roster: stored, it would skip min/max rows and break packets."""
    assert error_of(district.field("chairs"), raw) == (
        "工会正副主席情况应为列表，每行一项（包含姓名、性别、年龄、政治面貌、职务、专兼职情况）")


@pytest.mark.parametrize("text", [
    "是", "是的", "是。", " YES ", "y", "1", "１", "有", "已完成", "完成", "对", "✓", "√", "已有", "Yes!",
    "已经完成", "✔️",
])
def test_yes_variants(text):
    """Affirmative replies in their many spellings."""
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text", [
    "否", "否。", "不", "不是", "不对", "没有", "无", "未完成", "n", "NO", "0", "✗", "×", "不是！",
    "还没有", "暂无", "没做", "未做", "✖️",
])
def test_no_variants(text):
    """Negative replies in their many spellings."""
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["", "也许", "正在装修", "有待完善", "2", None, 1])
def test_yes_no_unrecognized(text):
    """Anything else is None, not a guess."""
    assert parse_yes_no(text) is None


@pytest.mark.parametrize("text, expected", [
    ("否，正在装修", (False, "正在装修")),
    ("是, 已在大厅悬挂", (True, "已在大厅悬挂")),
    ("没有 下月安装", (False, "下月安装")),
    ("√已张贴", (True, "已张贴")),
    ("✔️已张贴", (True, "已张贴")),
    ("是👍", (True, "")),
    ("否😅还在建", (False, "还在建")),
    ("否，还在建🙏🏻", (False, "还在建🙏🏻")),
    ("是[强]", (True, "")),  # WeChat's own emoticons, sent as their names in brackets
    ("否[捂脸]还在建", (False, "还在建")),
    ("否[在建]", (False, "在建")),  # a 说明 in brackets, no emoticon's name
    ("暂无，下月安装", (False, "下月安装")),
    ("否正在筹建", (False, "正在筹建")),
    ("是否需要照片", (None, "是否需要照片")),
    ("已完成", (True, "")),
    ("有待完善", (None, "有待完善")),
    ("  正在装修  ", (None, "正在装修")),
    ("否（暂无）", (False, "暂无")),
    ("否(暂无)", (False, "暂无")),
    ("否 (暂无)", (False, "暂无")),
    ("否（暂无)", (False, "暂无")),
    ("否（一楼（东侧）在装修）", (False, "一楼（东侧）在装修")),
    ("否，一楼（东侧）在装修", (False, "一楼（东侧）在装修")),
])
def test_split_yes_no_note(text, expected):
    """A leading yes/no word (followed by punctuation or a space) is split from its note."""
    assert split_yes_no_note(text) == expected


@pytest.mark.parametrize("text", ["1,500", "１，５００", "0.5", "1.5。", "1,500人", "0.5%", "-2.5"])
def test_a_figure_is_no_yes_no(text):
    """A number with a thousands separator or a decimal: its 1 is no 是, its 0 no 否."""
    assert split_yes_no_note(text) == (None, text)
    assert split_yes_no_note("否，面积1.5平方米") == (False, "面积1.5平方米")
    assert split_yes_no_note("1") == (True, "")


@pytest.mark.parametrize("text, expected", [
    ("是/::)", (True, "")), ("否/::<还在建", (False, "还在建")), ("是/:strong", (True, "")),
    ("否/:,@-D", (False, "")),
])
def test_old_clients_emoticon_codes_are_decoration(text, expected):
    """Older clients send WeChat's emoticons as "/:" codes."""
    assert split_yes_no_note(text) == expected


def test_cross_field_errors(district):
    """实到 above 应到, or 同意 above 实到, is an error on that field."""
    errors, _ = check_cross_field(district, {"expected": 30, "present": 31, "agreed": 20})
    assert errors == {"present": "实到人数不能多于应到人数"}
    errors, _ = check_cross_field(district, {"expected": 30, "present": 25, "agreed": 26})
    assert errors == {"agreed": "同意人数不能多于实到人数"}


def test_cross_field_warnings(district):
    """Below two thirds present, or not more than half agreeing, warns."""
    _, warnings = check_cross_field(district, {"expected": 30, "present": 15})
    assert warnings == ["实到人数不足应到人数的三分之二，会议可能不符合法定人数"]
    _, warnings = check_cross_field(district, {"present": 20, "agreed": 10})
    assert warnings == ["同意人数未超过实到人数的半数"]
    assert check_cross_field(district, {"expected": 30, "present": 20, "agreed": 11}) == ({}, [])


def test_cross_field_skips_missing_sides(district, small):
    """A rule with one side missing is not applied; 5-2 compares with 会员人数 (member_total)."""
    assert check_cross_field(district, {"present": 31}) == ({}, [])
    errors, warnings = check_cross_field(small, {"member_total": 12, "present": 13})
    assert errors == {"present": "实到人数不能多于会员人数"}
    _, warnings = check_cross_field(small, {"member_total": 12, "present": 7})
    assert warnings == ["实到人数不足会员人数的三分之二，会议可能不符合法定人数"]
