"""Paragraph and table styles of the PDF: 宋体 text, 黑体 headings, sizes of a printed form."""
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from miniapp_backend.packets.fonts import HEI, SONG, SYMBOL, register_fonts
from miniapp_backend.packets.layout import CellKind, TextStyle, symbol_runs
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


def markup(text):
    """Reportlab paragraph markup: escaped text, symbols in the symbol face, ideographic spaces
    kept, line breaks."""
    symbol_face = register_fonts()[SYMBOL]
    parts = []
    for chunk, is_symbol in symbol_runs(text):
        chunk = escape(chunk).replace(GAP, GAP_ENTITY)
        parts.append(f'<font name="{symbol_face}">{chunk}</font>' if is_symbol else chunk)
    return "".join(parts).replace("\n", "<br/>")


def paragraph(text, style):
    """A paragraph of plain text in a style."""
    return Paragraph(markup(text), style)
