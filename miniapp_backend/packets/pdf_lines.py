"""Chinese line breaking for the PDF's paragraphs (禁则): what may not start or end a line.

reportlab's CJK wrapping lets one 。 or 、 hang past the line's end (over a cell's border) and
starts lines with ，；：” and the like. Here a line never grows past its width: the character
before a closing mark moves down with it, an opening mark moves down with what it opens, and a
run of Latin letters and digits (wifi, 12351APP, 010-69312345, 96.5%) breaks only if it is longer
than a line.
"""
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph as RlParagraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

# Closing punctuation, Chinese and Latin, and marks that belong to what precedes them.
NO_LINE_START = frozenset("。．，、；：？！）］｝〕〉》」』】〗〙”’…‥·・％‰℃,.;:?!)]}%")
# Opening punctuation: it belongs to what follows.
NO_LINE_END = frozenset("（［｛〔〈《「『【〖〘“‘([{")
UNSPLIT_PAIRS = frozenset("…—")  # …… and —— are one mark each


def _latin(char):
    """Part of a Latin word or number, which breaks only at spaces."""
    return char.isascii() and not char.isspace()


def _allowed(text, at, words=True):
    """Whether a line may end between text[at - 1] and text[at]."""
    before, after = text[at - 1], text[at]
    if after in NO_LINE_START or before in NO_LINE_END or (before == after and before in UNSPLIT_PAIRS):
        return False
    return not (words and _latin(before) and _latin(after))


def _break_at(text, start, end):
    """Where the line from `start` ends, at most at `end`: the last place the rules allow; a word
    longer than the line is broken; text breaking no rule at all (all punctuation) at `end`."""
    for words in (True, False):
        for at in range(end, start, -1):
            if _allowed(text, at, words):
                return at
    return end


def line_breaks(text, widths, max_width):
    """[(start, end), …] of the lines `text` wraps into; `widths` per character, `max_width(n)`
    the room on line n. Spaces at the start of a wrapped line are dropped."""
    lines, start = [], 0
    while start < len(text):
        room, used, end = max_width(len(lines)), 0, start
        while end < len(text) and used + widths[end] <= room + _FUZZ:
            used += widths[end]
            end += 1
        end = max(end, start + 1)  # a character wider than the line takes a line of its own
        if end < len(text):
            end = _break_at(text, start, end)
        lines.append((start, end))
        start = end
        while start < len(text) and text[start] == " ":
            start += 1
    return lines


class Paragraph(RlParagraph):
    """A reportlab paragraph that wraps CJK text by `line_breaks` (styles with wordWrap "CJK")."""

    def breakLinesCJK(self, maxWidths):
        """The lines of the paragraph for the widths reportlab offers (first line, the rest)."""
        widths = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
        split = hasattr(self, "blPara") and getattr(self, "_splitpara", 0)
        if len(self.frags) == 1 and not hasattr(self.frags[0], "lineBreak"):
            return self._plain_lines(widths, split)
        if split:
            return self.blPara  # the first part of a split paragraph keeps its lines
        lines, run = [], []
        for frag in self.frags:
            if hasattr(frag, "lineBreak"):  # a <br/>
                lines += _wrapped(run, cjkU("", frag, "utf8"), widths, len(lines))
                run = []
            else:
                run += [cjkU(char, frag, "utf8") for char in frag.text]
        if run:
            lines += _wrapped(run, None, widths, len(lines))
        return ParaLines(kind=1, lines=lines)

    def _plain_lines(self, widths, split):
        """Lines of text in one font without breaks, as reportlab makes them for such text
        (plain strings: measured and drawn faster than its general lines)."""
        frag = self.frags[0]
        if split:
            return frag.clone(kind=0, lines=self.blPara.lines)
        # The second part of a split paragraph holds its text as words.
        text = frag.text if hasattr(frag, "text") else "".join(frag.words)
        char_widths = [stringWidth(char, frag.fontName, frag.fontSize) for char in text]
        spans = line_breaks(text, char_widths, lambda n: widths[min(n, len(widths) - 1)])
        lines = [(widths[min(n, len(widths) - 1)] - sum(char_widths[start:end]), [text[start:end]])
                 for n, (start, end) in enumerate(spans)]
        return frag.clone(kind=0, lines=lines, ascent=frag.fontSize, descent=-0.2 * frag.fontSize)


def _wrapped(glyphs, line_break, widths, first):
    """reportlab lines of the glyphs before a <br/> (`line_break`, its glyph, ends the last line)
    or the paragraph's end (None); the first of them is the paragraph's line `first`."""
    def room(n):
        """The width of the paragraph's line `first + n`."""
        return widths[min(first + n, len(widths) - 1)]
    spans = line_breaks("".join(glyphs), [g.width for g in glyphs], room) or [(0, 0)]
    lines = []
    for n, (start, end) in enumerate(spans):
        ends_break = line_break is not None and n == len(spans) - 1
        part = glyphs[start:end] + ([line_break] if ends_break else [])
        used = sum(g.width for g in part)
        lines.append(makeCJKParaLine(part, room(n), used, room(n) - used, ends_break, False))
    return lines
