"""Free text people type, one rule for all of it: when it is blank, how its ends are trimmed, and
how its 字 are counted against a limit — form texts, the 主要事迹, a 否's 说明, a ballot's
意见建议 and a station visitor's feedback alike, so every message names the count Word shows."""
import re

# Characters that show nothing yet are no whitespace to str.strip(): zero-width space and
# joiners, and the BOM (U+FEFF) that some phones and editors put in pasted text. NBSP and the
# ideographic space U+3000 are whitespace already (\s). A text of only these says nothing.
INVISIBLE = "\u200b\u200c\u200d\ufeff"
_EDGES_RE = re.compile(f"^[\\s{INVISIBLE}]+|[\\s{INVISIBLE}]+$")
# Blank lines before the first paragraph, then invisible characters before its indent.
_LEAD_RE = re.compile(f"^(?:[\\s{INVISIBLE}]*[\\r\\n])?[{INVISIBLE}]*")
_TAIL_RE = re.compile(f"[\\s{INVISIBLE}]+$")
# A text's whole length (breaks and spaces too) may be this many times its 字 limit: breaks and
# spaces do not count as 字, so without a cap a text of mostly blank lines would be stored and
# printed without bound. A cap, not collapsing blank lines: the text is kept as typed
# (paragraphs, blank lines between them, indents fit easily), and only abuse is refused.
LAYOUT_ALLOWANCE = 2


def trim_text(text: str) -> str:
    """The text without whitespace or invisible characters (zero-width, BOM) at its ends."""
    return _EDGES_RE.sub("", text)


def trim_paragraphs(text: str) -> str:
    """Text in paragraphs without blank lines before it or whitespace after it: its first
    paragraph keeps its indent ("　　") as the later ones do. Blank exactly when trim_text is."""
    return _TAIL_RE.sub("", _LEAD_RE.sub("", text, count=1))


def count_chars(text: str) -> int:
    """字 as a chair counts them, as Word's 字数 does: every character shown, so neither line
    breaks (\\r\\n, \\n, \\r) nor spaces (paragraph indents such as "　　") nor invisible ones."""
    # Spaces are layout like the breaks: eight indented paragraphs of 100 字 are 800 字 to the
    # chair who counted them in Word, and the printed packet flows a long text onto a next page.
    return sum(1 for ch in text if not ch.isspace() and ch not in INVISIBLE)


def length_error(label: str, text: str, limit: int) -> str | None:
    """Why `text` does not fit `limit` 字, in Chinese (its count and how many to cut), or None."""
    count = count_chars(text)
    if count > limit:
        return f"{label}共{count}字，超过{limit}字上限，请删减{count - limit}字后重发"
    if len(text) > limit * LAYOUT_ALLOWANCE:
        return (f"{label}的空行和空格太多（连同文字共{len(text)}个字符，最多{limit * LAYOUT_ALLOWANCE}个），"
                f"请删去多余的空行后重发")
    return None
