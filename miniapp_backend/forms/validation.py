"""Parsing answers: one field value, from chat text or API JSON (an item's yes/no reply: yes_no;
a form's rules across fields: cross_checks; a roster's rows: roster_rows; phone numbers: phones)."""

import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from miniapp_backend.forms import chinese_numbers, credit_code, phones
from miniapp_backend.forms.roster_rows import parse_row, parse_rows, without_label
from miniapp_backend.forms.template import Field, FieldError
from miniapp_backend.forms.yes_no import parse_yes_no
from miniapp_backend.free_text import length_error, trim_paragraphs, trim_text

DEFAULT_TEXT_MAX = 200
INT_MAX = 10**15 - 1  # a whole number field's ceiling when it names none; larger is never echoed
NAME_MIN, NAME_MAX = 2, 20
DATE_HELP = "请按“年-月-日”填写，如 2018-04-12 或 2018年4月12日"

# Digits, or digits in groups of three after the first (1,000: commas as printed, "，" folds to ",").
_COUNT_WORDS = "人个名岁家位次"
_INT_RE = re.compile(rf"([+-]?)(\d{{1,3}}(?:,\d{{3}})+|\d+)(\.\d+)?\s*[{_COUNT_WORDS}]?")
# Arabic digits or Chinese numerals: a count is meant, even amid words (约100人, 一百人左右).
_NUMERAL_RE = re.compile(r"[\d零〇一二两三四五六七八九十百千]")
_DATE_RES = (
    re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
# A date missing its day (2018年5月, 2018.5) or its month and day too (2016年): named as such.
_YEAR_MONTH_RE = re.compile(r"(\d{4})(?:[-./](\d{1,2})|年(\d{1,2})月?)")
_YEAR_ONLY_RE = re.compile(r"(\d{4})年?")
# A two-digit year (18-5-1, 18年5月1日): the century is guessed only to show the chair an example.
_SHORT_YEAR_RES = (
    re.compile(r"(\d{2})[-./](\d{1,2})[-./](\d{1,2})"),
    re.compile(r"(\d{2})年(\d{1,2})月(\d{1,2})[日号]?"),
)
SHORT_YEAR_PIVOT = 50  # 18 reads as 2018, 98 as 1998
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_NAME_RE = re.compile(r"[\u3400-\u9fffA-Za-z·]+(?: [A-Za-z·]+)*")
# Dots people type for the separator of minority names (after NFKC, so "．" arrives as ".").
_MIDDOTS = ".\u2022\u30fb\u2027\u0387\u16eb\u2219"
_CJK_RE = re.compile(r"[\u3400-\u9fff]")
# Marks closing a value typed like a sentence (after NFKC: ！ is ! and ． is .); not a comma,
# which may be a thousands separator cut short ("100,").
_CLOSING_MARKS_RE = re.compile(r"[。.!]+$")
# Values a chair may send after their field's label, as on a paper form (会员人数：30); free
# text is kept whole, since it may well begin with such words.
_ECHOED_LABEL_TYPES = ("int", "date", "phone", "email", "credit_code", "choice", "percent", "name")
# Fields whose value is words (a unit's name, honours, a description): a bare short number is
# never one of them, but it is what a chair types for a numbered list (a header row, a choice).
_WORDED_TYPES = ("text", "longtext")
_BARE_NUMBER_RE = re.compile(r"\d{1,3}")


def _fold(text: str) -> str:
    """Half-width (NFKC), trimmed and without a sentence's closing mark, so "２５", "２５％" and
    "25人。" read as digits (chat replies often end like a sentence)."""
    return trim_text(_CLOSING_MARKS_RE.sub("", trim_text(unicodedata.normalize("NFKC", text))))


def _is_blank(raw) -> bool:
    """Nothing was given: None, an empty string or one of whitespace and invisible characters
    only (zero-width spaces look filled but print nothing), an empty list or mapping."""
    if isinstance(raw, str):
        return not trim_text(raw)
    return raw is None or (isinstance(raw, (list, dict)) and not raw)


def _need_str(field: Field, raw, what: str) -> str:
    """The raw value as a string; typed numbers are accepted as their text."""
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise FieldError(f"{field.label}{what}", field.key)
    return str(raw)


def parse_field(field: Field, raw):
    """Check one value; return its normalized JSON-able form (None when blank and optional)."""
    if isinstance(raw, str) and field.type in _ECHOED_LABEL_TYPES:
        raw = without_label(field, trim_text(raw))
    if _is_blank(raw):
        if field.required:
            raise FieldError(f"{field.label}是必填项，请填写{field.label}", field.key)
        return None
    return _PARSERS[field.type](field, raw)


def is_bare_number(text: str) -> bool:
    """True for a bare short number ("2", "２", "12。"): what a pick from a numbered list looks like."""
    return _BARE_NUMBER_RE.fullmatch(_fold(text)) is not None


def is_stray_number(field: Field, raw) -> bool:
    """True when `raw` is a bare short number and `field` takes words: a pick meant for a
    numbered list, not this field's value (fields of numbers never say so)."""
    return field.type in _WORDED_TYPES and isinstance(raw, str) and is_bare_number(raw)


def _within_limit(field: Field, value: str, limit: int) -> str:
    """`value`, or a FieldError when it does not fit `limit` 字 (free_text.length_error)."""
    error = length_error(field.label, value, limit)
    if error:
        raise FieldError(error, field.key)
    return value


def _parse_text(field: Field, raw) -> str:
    """Trimmed text of at most max_len 字."""
    value = trim_text(_need_str(field, raw, "应填写文字"))
    return _within_limit(field, value, field.max_len or DEFAULT_TEXT_MAX)


def _parse_name(field: Field, raw) -> str:
    """A person's name: 2–20 Chinese or Latin letters, "·" between parts of minority names."""
    value = re.sub(f"[{_MIDDOTS}]", "·", _fold(_need_str(field, raw, "应填写姓名")))
    # Spaces inside a Chinese name are layout ("张 三"); in a Latin name they separate words.
    value = re.sub(r"\s+", "" if _CJK_RE.search(value) else " ", value)
    if not _NAME_RE.fullmatch(value) or not NAME_MIN <= len(value) <= NAME_MAX:
        raise FieldError(
            f"{field.label}应为{NAME_MIN}到{NAME_MAX}个汉字或字母，少数民族姓名可用“·”分隔，"
            f"如 张三、阿依古丽·买买提", field.key)
    return value


def _int_range_error(field: Field, value: int, low: int, high: int) -> FieldError:
    """The message for a whole number outside [low, high]; a huge one is not read back."""
    if value < 0 == low:
        return FieldError(f"{field.label}不能为负数，请填写0或正整数", field.key)
    if value < low == 1 and abs(value) <= INT_MAX:
        # A count that must not be 0 (a meeting's 应到人数: 0 makes its quorum meaningless).
        return FieldError(f"{field.label}至少为1{field.unit or ''}，不能为{value}：请填写实际的{field.label}，如 60",
                          field.key)
    received = f"，收到的是{value}" if abs(value) <= INT_MAX else ""
    return FieldError(f"{field.label}应在{low}到{high}之间{received}，请核对后重发", field.key)


def _parse_int(field: Field, raw) -> int:
    """A whole number, from 25, "25", "25人", "２５" or "二十五", within min/max."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = _fold(_need_str(field, raw, "应填写整数"))
        if field.unit and text.endswith(field.unit):
            text = text[: -len(field.unit)].strip()
        match = _INT_RE.fullmatch(text)
        if not match:
            spoken = _count_in_numerals(field, text)
            if spoken is not None:
                return _within_range(field, spoken)
        if not match and _NUMERAL_RE.search(text) and _CJK_RE.search(text):  # 约100人, 一百人左右
            raise FieldError(f"{field.label}请只填一个确切的整数，如 25，不要加其他文字", field.key)
        if not match:
            raise FieldError(f"{field.label}请填写一个整数，如 25 或 二十五", field.key)
        if match.group(3):
            raise FieldError(f"{field.label}应为整数，不能带小数，如 25", field.key)
        digits = match.group(2).replace(",", "").lstrip("0") or "0"
        if len(digits) > len(str(INT_MAX)):
            digits = str(INT_MAX + 1)  # out of every range anyway; int() refuses 4300+ digits
        value = int(match.group(1) + digits)
    return _within_range(field, value)


def _count_in_numerals(field: Field, text: str) -> int | None:
    """A count in Chinese numerals ("一百五十", "两人"); a FieldError for one that is no exact count
    ("二三十", "十几个"); None for text that is not numerals at all."""
    core = text[:-1] if text[-1:] in _COUNT_WORDS else text
    if not chinese_numbers.looks_chinese(core):
        return None
    value = chinese_numbers.parse_chinese_count(core)
    if value is None:
        raise FieldError(f"{field.label}“{text}”不是一个确切的数，请填写确切的整数，如 25 或 二十五", field.key)
    return value


def _within_range(field: Field, value: int) -> int:
    """`value` when it is within the field's min/max, else the range's FieldError."""
    low = 0 if field.min is None else field.min
    high = INT_MAX if field.max is None else field.max
    if not low <= value <= high:
        raise _int_range_error(field, value, low, high)
    return value


def _parse_date(field: Field, raw) -> str:
    """A calendar date in one of the usual Chinese spellings, as ISO "YYYY-MM-DD"."""
    text = re.sub(r"\s+", "", _fold(_need_str(field, raw, "应填写日期")))
    match = next((m for m in (rx.fullmatch(text) for rx in _DATE_RES) if m), None)
    if not match:
        raise _unreadable_date(field, text)
    year, month, day = (int(g) for g in match.groups())
    try:
        value = datetime.date(year, month, day)
    except ValueError:
        raise FieldError(f"{field.label}：{year}年{month}月{day}日不是有效日期，请核对后重发", field.key) from None
    if not 1900 <= year <= 2100:
        raise FieldError(f"{field.label}：年份{year}看起来不对，请写四位年份，如 2018-04-12", field.key)
    return value.isoformat()


def _unreadable_date(field: Field, text: str) -> FieldError:
    """The message for a date not read: the part missing when that is plain, else the formats."""
    if partial := _YEAR_MONTH_RE.fullmatch(text):
        year, month = int(partial.group(1)), int(partial.group(2) or partial.group(3))
        if 1 <= month <= 12:
            return FieldError(f"{field.label}只写了{year}年{month}月，还缺日，请写完整的日期，"
                              f"如 {year}年{month}月12日", field.key)
    if year_only := _YEAR_ONLY_RE.fullmatch(text):
        year = year_only.group(1)
        return FieldError(f"{field.label}只写了{year}年，还缺月和日，请写完整的日期，如 {year}年4月12日",
                          field.key)
    for short in (rx.fullmatch(text) for rx in _SHORT_YEAR_RES):
        if short:
            yy, month, day = (int(g) for g in short.groups())
            year = (2000 if yy < SHORT_YEAR_PIVOT else 1900) + yy
            return FieldError(f"{field.label}的年份请写全四位，如 {year}-{month}-{day}", field.key)
    return FieldError(f"{field.label}{DATE_HELP}", field.key)


def _parse_phone(field: Field, raw) -> str:
    """A mobile number or a landline (with or without area code and extension), normalized."""
    text = _fold(_need_str(field, raw, "应填写电话号码"))
    phone = phones.read_phone(field, text)
    if phone is None:
        raise phones.phone_error(field, text)
    return phone


def _parse_email(field: Field, raw) -> str:
    """An e-mail address with its domain lower-cased."""
    text = _fold(_need_str(field, raw, "应填写电子邮箱"))
    if len(text) > 254 or not _EMAIL_RE.fullmatch(text):
        raise FieldError(f"{field.label}格式不对，请填写完整的邮箱地址，如 ghzxb123@163.com", field.key)
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _parse_credit_code(field: Field, raw) -> str:
    """A 统一社会信用代码 with a correct check character, upper-cased."""
    code = credit_code.normalize_credit_code(_need_str(field, raw, "应填写18位代码"))
    if len(code) != credit_code.LENGTH:
        raise FieldError(f"{field.label}应为18位，收到{len(code)}位，请对照营业执照或登记证书核对", field.key)
    bad = [ch for ch in code if ch not in credit_code.CHARSET]
    if bad:
        raise FieldError(f"{field.label}含有不应出现的字符“{bad[0]}”（代码中没有字母I、O、Z、S、V），"
                         f"请对照营业执照或登记证书核对", field.key)
    if not credit_code.is_valid_credit_code(code):
        raise FieldError(f"{field.label}校验位不对，可能有一位写错了，请对照营业执照或登记证书逐位核对", field.key)
    return code


def _choice_error(field: Field) -> FieldError:
    """The message listing a choice field's options with their numbers."""
    options = "　".join(f"{i}. {c}" for i, c in enumerate(field.choices, 1))
    return FieldError(f"{field.label}请从以下选项中选一个（可回复序号）：{options}", field.key)


# In an option's name, what follows one of these is what the option is not in full: a 民办非企业单位
# is no 企业, a 工会副主席 no 主席, a 中共预备党员 no 党员 (so a bare 党员 or 主席 is the full one).
QUALIFIERS = ("非", "副", "预备")


def _parse_choice(field: Field, raw) -> str:
    """One of the options, given as its text, its 1-based number, an unambiguous part of it, or
    the option with more words after (机关单位) or before it (国有企业)."""
    text = re.sub(r"\s+", "", _fold(_need_str(field, raw, "请从选项中选择"))).lower()
    if text.isdigit() and 1 <= int(text) <= len(field.choices):
        return field.choices[int(text) - 1]
    if set(field.choices) == {"是", "否"}:
        answer = parse_yes_no(text)
        if answer is not None:
            return "是" if answer else "否"
    folded = {re.sub(r"\s+", "", _fold(c)).lower(): c for c in field.choices}
    if text in folded:
        return folded[text]
    partial = [c for f, c in folded.items() if len(text) >= 2 and _part_of(text, f)]
    if len(partial) == 1:
        return partial[0]
    # 机关单位, 企业单位; not 机关事业单位, whose words after 机关 are another option.
    leading = [c for f, c in folded.items()
               if text.startswith(f) and not any(other in text[len(f):] for other in folded)]
    if len(leading) == 1:
        return leading[0]
    # 国有企业, 行政机关: the kind of an option; not 民办非企业, nor 机关事业单位 again.
    trailing = [c for f, c in folded.items()
                if text.endswith(f) and not text[:-len(f)].endswith(QUALIFIERS)
                and not any(other in text[:-len(f)] for other in folded)]
    if len(trailing) == 1:
        return trailing[0]
    raise _choice_error(field)


def _part_of(text, option):
    """`text` appears in `option`, and not right after a qualifier (民办非企业单位 is no 企业单位)."""
    start = option.find(text)
    while start != -1:
        if not option[:start].endswith(QUALIFIERS):
            return True
        start = option.find(text, start + 1)
    return False


def _parse_percent(field: Field, raw) -> int | float:
    """A percentage 0–100 with at most 2 decimals, from 95, "95", "95%" or "95.5"; a bare
    fraction such as 0.98 is refused (see below), "0.5%" is taken as written."""
    folded = _fold(_need_str(field, raw, "应填写百分数"))
    text = folded.rstrip("%").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise FieldError(f"{field.label}请填写0到100之间的数，如 95 或 95.5%", field.key) from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise FieldError(f"{field.label}应在0到100之间，如 95 或 95.5%", field.key)
    if 0 < value < 1 and not folded.endswith("%"):
        # 0.98 is how a rate comes out of a calculator or a spreadsheet: the chair means 98%,
        # and storing 0.98% would print a failing rate on the form. Only the % sign makes it sure.
        meant = format((value * 100).normalize(), "f")
        raise FieldError(f"{field.label}按百分数填写：若是{meant}%，请填 {meant}，不要填小数 {text}；"
                         f"若确实不到1%，请带上%号，如 {text}%", field.key)
    if value != value.quantize(Decimal("0.01")):
        raise FieldError(f"{field.label}最多保留两位小数，如 95.25", field.key)
    return int(value) if value == value.to_integral_value() else float(value)


def _parse_longtext(field: Field, raw) -> str:
    """Paragraphs of at most max_chars 字, the first one's indent kept (trim_paragraphs)."""
    value = trim_paragraphs(_need_str(field, raw, "应填写文字"))
    return _within_limit(field, value, field.max_chars or DEFAULT_TEXT_MAX)


def parse_roster_row(field: Field, raw, prefix: str = "") -> dict:
    """One roster row to append (a chat line); the roster itself is only ever written whole.
    `prefix` names the row in messages (第2行：) when several come at once."""
    return parse_row(field, raw, parse_field, prefix)


def _parse_roster(field: Field, raw) -> list:
    """A list of rows (each a mapping of the columns or a chat line) within min/max rows."""
    return parse_rows(field, raw, parse_field)


_PARSERS = {
    "text": _parse_text, "name": _parse_name, "int": _parse_int, "date": _parse_date,
    "phone": _parse_phone, "email": _parse_email, "credit_code": _parse_credit_code,
    "choice": _parse_choice, "percent": _parse_percent, "longtext": _parse_longtext,
    "roster": _parse_roster,
}
