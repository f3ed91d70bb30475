"""Yes/no replies to checklist items: 是/否 and their variants, and a 说明 after a 否."""
import re
import unicodedata

from miniapp_backend.forms.decoration import MARKS as _MARKS, is_emoji, strip_leading, strip_trailing

_YES = frozenset({"是", "是的", "对", "对的", "有", "有的", "已有", "完成", "已完成", "已经完成", "y", "yes",
                  "1", "✓", "✔", "√", "☑", "✅"})
_NO = frozenset({"否", "不", "不是", "不对", "没", "没有", "还没有", "暂无", "无", "未完成", "没做", "未做",
                 "n", "no", "0", "✗", "✘", "×", "✖", "x", "❌"})
# 否-words that also say “there is none”: after 是 on an item waiting for photos they may mean
# “no photo (yet)” rather than 否.
_ABSENCE = frozenset({"没", "没有", "还没有", "暂无", "无"})
# Characters that are a yes/no on their own even glued to a note: the marks, and 否, which
# starts no other word a note would ("否正在筹建"); 是 does ("是否…"), as 有 does ("有待完善").
_GLUED = _MARKS | {"否"}
_OPENERS, _CLOSERS = frozenset("(（[【〔"), frozenset(")）]】〕")
# A figure ("1,500", "0.5", "１，２００", "1,500人"): its leading digit is no 是/否 (1 is yes, 0 no)
# with the rest a 说明.
_FIGURE = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+)\s*(?:%|[^\W\d_]{1,4})?")


def _is_separator(ch: str) -> bool:
    """Whitespace, punctuation or an emoji, which ends the leading yes/no word of a reply."""
    return ch.isspace() or is_emoji(ch) or unicodedata.category(ch).startswith("P")


def _yes_no_token(text: str) -> str:
    """The reply folded for matching: half-width, lower-case, without spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in folded if not _is_separator(ch))


def parse_yes_no(text) -> bool | None:
    """True for 是/有/已完成/yes/√…, False for 否/没有/未完成/no/×…, None when not recognizable."""
    if not isinstance(text, str):
        return None
    token = _yes_no_token(text)
    if token in _YES:
        return True
    if token in _NO:
        return False
    return None


def says_none(text) -> bool:
    """A bare 没有/暂无/无…: a 否 that could also mean “there is no photo”."""
    return isinstance(text, str) and _yes_no_token(text) in _ABSENCE


def is_figure(text) -> bool:
    """A number with a thousands separator or a decimal ("1,500", "0.5"): a value, no yes/no."""
    folded = strip_trailing(unicodedata.normalize("NFKC", text or "").strip(), "。.!")
    return _FIGURE.fullmatch(folded) is not None


def split_yes_no_note(text: str) -> tuple[bool | None, str]:
    """Split "否，正在装修" into (False, "正在装修"); (None, text) when it does not start with yes/no
    (nor for a figure such as "1,500", whose 1 is no 是)."""
    text = (text or "").strip()
    if is_figure(text):
        return None, text
    answer = parse_yes_no(strip_trailing(text))  # "否[捂脸]" is a bare 否, "是👍" a bare 是
    if answer is not None:
        return answer, ""
    # A mark or 否 may be glued to its note ("√已张贴"); a word needs a separator ("有待完善" is no "有").
    if text[:1] in _GLUED:
        cut = 1
    else:
        cut = next((i for i, ch in enumerate(text) if _is_separator(ch)), 0)
    answer = parse_yes_no(text[:cut]) if cut else None
    if answer is None:
        return None, text
    note = text[cut:].strip()
    # "否（暂无）": the brackets enclose the note and go with it.
    if note[:1] in _OPENERS and note[-1:] in _CLOSERS:
        note = note[1:-1]
    return answer, strip_leading(note, _is_separator).strip()
