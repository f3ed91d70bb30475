"""Paragraph and table styles of the PDF: 宋体 text, 黑体 headings, sizes of a printed form."""
import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from miniapp_backend.packets.fonts import HEI, SONG, SYMBOL, covers, register_fonts
from miniapp_backend.packets.layout import SYMBOLS, CellKind, TextStyle, printable
from miniapp_backend.packets.pdf_lines import Paragraph
from miniapp_backend.packets.values import GAP

BODY_SIZE = 10.5  # 五号, the size of the seed's tables
# (face, size, leading, alignment, space before, space after) per paragraph style.
TEXT_SPECS = {
    TextStyle.ATTACHMENT: (HEI, 12, 18, TA_LEFT, 0, 4),
    TextStyle.TITLE: (HEI, 18, 26, TA_CENTER, 2, 10),
    TextStyle.COVER_TITLE: (HEI, 28, 40, TA_CENTER, 0, 0),
    TextStyle.HEADING: (HEI, 12, 18, TA_LEFT, 8, 4),
    TextStyle.BODY: (SONG, BODY_SIZE, 16, TA_LEFT, 0, 4),
    TextStyle.NOTE: (SONG, 9.5, 14, TA_LEFT, 4, 2),
}
CELL_SPECS = {
    CellKind.LABEL: (SONG, TA_CENTER),
    CellKind.VALUE: (SONG, TA_LEFT),
    CellKind.HEAD: (HEI, TA_CENTER),
    CellKind.SECTION: (HEI, TA_CENTER),
    CellKind.LONG: (SONG, TA_LEFT),
}
COVER_SIZE = 15
GAP_ENTITY = "&#12288;"  # an ideographic space reportlab's whitespace folding leaves alone
# Printed for a character no embedded font has (an emoji, a CJK Extension B character): the
# typesetter's mark for a missing character. The DOCX keeps the character itself.
PLACEHOLDER = "〓"
MARKS = frozenset(("Mn", "Me", "Cf", "Sk"))  # Unicode categories that never stand alone
ZWJ = "\u200d"
REGIONAL = frozenset(map(chr, range(0x1F1E6, 0x1F200)))  # a pair of them is a flag
CAPTION_SIZE = 9.5
FOOTER_SIZE = 8


def _style(name, face, size, leading, alignment, before=0, after=0):
    """A ParagraphStyle with CJK line breaking (by the rules of pdf_lines)."""
    faces = register_fonts()
    return ParagraphStyle(name, fontName=faces[face], fontSize=size, leading=leading,
                          alignment=alignment, spaceBefore=before, spaceAfter=after,
                          wordWrap="CJK")


@lru_cache(maxsize=None)
def text_style(style):
    """The style of a paragraph outside tables; a heading (of the photos) stays with what follows."""
    result = _style(f"text-{style}", *TEXT_SPECS[style])
    result.keepWithNext = style == TextStyle.HEADING
    return result


@lru_cache(maxsize=None)
def cell_style(kind, size=BODY_SIZE, right=False):
    """The style of a paragraph inside a table cell."""
    face, alignment = CELL_SPECS[kind]
    return _style(f"cell-{kind}-{size}-{right}", face, size, size * 1.45, TA_RIGHT if right else alignment)


@lru_cache(maxsize=None)
def plain_style(name, size, alignment=TA_CENTER):
    """Captions, cover lines and the footer."""
    return _style(name, SONG, size, size * 1.4, alignment)


def markup(text, font=None):
    """Reportlab paragraph markup of text for a paragraph in `font` (default 宋体): escaped,
    characters the font lacks in a face that has them, ideographic spaces kept, line breaks."""
    font = font or register_fonts()[SONG]
    parts = []
    for chunk, face in font_runs(printable(text), font):
        chunk = escape(chunk).replace(GAP, GAP_ENTITY).replace("\n", "<br/>")
        parts.append(chunk if face == font else f'<font name="{face}">{chunk}</font>')
    return "".join(parts)


def paragraph(text, style):
    """A paragraph of plain text in a style."""
    return Paragraph(markup(text, style.fontName), style)


def font_runs(text, font):
    """[(chunk, font name)]: each character in the paragraph's font, else in the first embedded
    face that has it (☑ ☐ √ □ in the symbol face first: neither CJK font has ☑ ☐), else as
    PLACEHOLDER; an emoji sequence (👨‍👩‍👧, 👍🏻, a flag) none has is one placeholder."""
    faces = register_fonts()
    fallbacks = tuple(dict.fromkeys((font, faces[SONG], faces[HEI], faces[SYMBOL])))
    symbol_first = tuple(dict.fromkeys((faces[SYMBOL],) + fallbacks))
    runs, missing, joining, flag = [], False, False, False
    for char in text:
        mark = unicodedata.category(char) in MARKS  # joiners, variation selectors, skin tones
        if missing and mark:
            joining = joining or char == ZWJ
            continue
        tried = symbol_first if char in SYMBOLS else fallbacks
        face = font if char.isspace() else next((f for f in tried if ord(char) in covers(f)), None)
        if face is None and (mark or joining or (flag and char in REGIONAL)):
            joining = flag = False  # a stray mark, or the rest of a sequence already placed
            continue
        missing, joining, flag = face is None, False, face is None and char in REGIONAL
        if missing:
            char, face = PLACEHOLDER, font
        if runs and runs[-1][1] == face:
            runs[-1][0] += char
        else:
            runs.append([char, face])
    return [(chunk, face) for chunk, face in runs]
