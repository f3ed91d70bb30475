"""Run and paragraph formatting of the DOCX: fonts named 宋体/仿宋, as Word and WPS expect."""
from copy import deepcopy
from functools import lru_cache

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.run import Run

from miniapp_backend.packets.layout import CellKind, TextStyle, printable, symbol_runs

SONG, FANGSONG = "宋体", "仿宋"
# ☑/☐ are not in 宋体; Windows has them in Segoe UI Symbol, WPS and LibreOffice substitute.
SYMBOL_FONT = "Segoe UI Symbol"
BODY_SIZE = 10.5
# (font, size, bold, alignment) per paragraph style.
TEXT_SPECS = {
    TextStyle.ATTACHMENT: (SONG, 12, True, WD_ALIGN_PARAGRAPH.LEFT),
    TextStyle.TITLE: (SONG, 18, True, WD_ALIGN_PARAGRAPH.CENTER),
    TextStyle.COVER_TITLE: (SONG, 28, True, WD_ALIGN_PARAGRAPH.CENTER),
    TextStyle.HEADING: (SONG, 12, True, WD_ALIGN_PARAGRAPH.LEFT),
    TextStyle.BODY: (FANGSONG, BODY_SIZE, False, WD_ALIGN_PARAGRAPH.LEFT),
    TextStyle.NOTE: (SONG, 9.5, False, WD_ALIGN_PARAGRAPH.LEFT),
}
CELL_SPECS = {
    CellKind.LABEL: (SONG, False, WD_ALIGN_PARAGRAPH.CENTER),
    CellKind.VALUE: (SONG, False, WD_ALIGN_PARAGRAPH.LEFT),
    CellKind.HEAD: (SONG, True, WD_ALIGN_PARAGRAPH.CENTER),
    CellKind.SECTION: (SONG, True, WD_ALIGN_PARAGRAPH.CENTER),
    CellKind.LONG: (FANGSONG, False, WD_ALIGN_PARAGRAPH.LEFT),
}
COVER_SIZE = 16  # 三号
CAPTION_SIZE = 9.5
FOOTER_SIZE = 8


def set_font(run, name, size, bold=False):
    """Name the font of a new run for Latin and East Asian text alike, so Word does not pick its
    default."""
    run._element.insert(0, deepcopy(_run_properties(name, size, bold)))


@lru_cache(maxsize=None)
def _run_properties(name, size, bold):
    """The w:rPr for a font, made by python-docx once and copied into each run after: its
    setters, element by element, took a fifth of the DOCX's time."""
    run = Run(OxmlElement("w:r"), None)
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold or None
    run._element.rPr.get_or_add_rFonts().set(qn("w:eastAsia"), name)
    return run._element.rPr


def write(paragraph, text, font, size, bold=False):
    """Append text to a paragraph: symbol runs in the symbol font, line breaks kept."""
    for index, line in enumerate(printable(text).split("\n")):
        if index:
            paragraph.add_run().add_break()
        for chunk, is_symbol in symbol_runs(line):
            set_font(paragraph.add_run(chunk), SYMBOL_FONT if is_symbol else font, size, bold)
    return paragraph


def tight(paragraph, after=0):
    """No space around a paragraph (Word's default style adds some)."""
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.space_after = Pt(after)
    return paragraph


def page_field(paragraph, font, size):
    """A PAGE field, so Word numbers the pages itself."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    run = paragraph.add_run("1")
    set_font(run, font, size)
    field.append(run._r)


def bottom_border(cell):
    """A line under a cell: the blanks of the cover page."""
    borders = cell._tc.get_or_add_tcPr().first_child_found_in("w:tcBorders")
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        cell._tc.get_or_add_tcPr().append(borders)
    line = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "0"), ("w:color", "000000")):
        line.set(qn(key), value)
    borders.append(line)
