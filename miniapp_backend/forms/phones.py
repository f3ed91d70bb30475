"""Phone numbers as chairs type them: a mobile, or a landline with area code and extension,
normalized (13800138000, 010-69312345转801); and why a reply is none (two numbers, words beside one)."""
import re

from miniapp_backend.forms.template import Field, FieldError

PHONE_HELP = "手机号应为11位数字，如 13800138000；座机请写区号-号码，分机用“转”或“-”，如 010-69312345转801"

_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LOCAL_RE = re.compile(r"[2-9]\d{6,7}")
_EXT_RE = re.compile(r"(.+?)\s*(?:转|分机|ext\.?|x|#)\s*(\d{1,6})", re.IGNORECASE)


# Beijing (010) and the 02x cities, the areas with 3-digit codes, all have 8-digit numbers.
_EIGHT_DIGIT_AREAS = ("01", "02")


def _split_landline(tokens: list[str]) -> tuple[str, str, str] | None:
    """(area code, number, extension) from hyphen/space-separated digit groups, or None."""
    first = tokens[0]
    if len(tokens) == 1 and first.startswith("0"):
        # Beijing (010) and the 02x cities have 3-digit area codes; all others have 4.
        cut = 3 if first[:2] in _EIGHT_DIGIT_AREAS else 4
        tokens = [first[:cut], first[cut:]]
    if tokens[0].startswith("0"):
        area, rest = tokens[0], tokens[1:]
        if not 3 <= len(area) <= 4 or not 1 <= len(rest) <= 2:
            return None
    else:
        area, rest = "", tokens
        if len(rest) > 2:
            return None
    if len(rest) == 2 and len(rest[0]) < 7:
        # "6931 2345" is one number written in groups, not a number and an extension.
        rest = [rest[0] + rest[1]]
    number, ext = rest[0], (rest[1] if len(rest) == 2 else "")
    if not _LOCAL_RE.fullmatch(number) or len(ext) > 6:
        return None
    return area, number, ext


def read_phone(field: Field, text: str) -> str | None:
    """`text` as one normalized phone number; None when it is not written as one."""
    text = re.sub(r"^(?:\+86|0086)[\s-]*", "", text)
    text = re.sub(r"^\((0\d{2,3})\)\s*", r"\1-", text)
    main, ext = text, ""
    marked = _EXT_RE.fullmatch(text)
    if marked:
        main, ext = marked.group(1), marked.group(2)
    compact = re.sub(r"[\s-]", "", main)
    if not ext and _MOBILE_RE.fullmatch(compact):
        return compact
    tokens = [t for t in re.split(r"[\s-]+", main.strip()) if t]
    parts = _split_landline(tokens) if tokens and all(t.isdigit() for t in tokens) else None
    if parts is None or (ext and parts[2]):
        return None
    area, number, own_ext = parts
    if area[:2] in _EIGHT_DIGIT_AREAS and len(number) != 8:
        raise FieldError(f"{field.label}格式不对：区号{area}的座机号码应为8位，“{number}”只有{len(number)}位。"
                         "请核对后重发。", field.key)
    ext = ext or own_ext
    return (f"{area}-" if area else "") + number + (f"转{ext}" if ext else "")


# Phone numbers given together ("13800138000、010-69312345", "… 或 …"), and one number amid words.
_PHONE_LIST_RE = re.compile(r"\s*(?:[、,;/]|或|和)\s*")
_PHONE_RUN_RE = re.compile(r"[+(\d][\d\s()+-]*\d(?:\s*(?:转|分机|ext\.?|#)\s*\d{1,6})?", re.IGNORECASE)


def _is_phone(field: Field, text: str) -> bool:
    """`text` reads as one phone number."""
    try:
        return read_phone(field, text.strip()) is not None
    except FieldError:
        return False


def phone_error(field: Field, text: str) -> FieldError:
    """Why `text` is no phone number: two numbers given, words beside one, or its format."""
    numbers = [part for part in _PHONE_LIST_RE.split(text) if part.strip()]
    if len(numbers) > 1 and all(_is_phone(field, n) for n in numbers):
        return FieldError(f"{field.label}只填一个号码，这里有{len(numbers)}个。请只留一个后重发，如 13800138000。",
                          field.key)
    run = _PHONE_RUN_RE.search(text)
    if run and _is_phone(field, run.group()):
        words = (text[:run.start()] + text[run.end():]).strip(" ()（）:：")
        if words and not any(ch.isdigit() for ch in words):  # digits left over: a wrong number
            return FieldError(f"{field.label}只填号码，不要加“{words}”等文字。", field.key)
    return FieldError(f"{field.label}格式不对。{PHONE_HELP}", field.key)
