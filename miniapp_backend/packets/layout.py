"""The shared model of a printed packet: blocks, tables with spans, figures; both renderers read it.

Forms become a `Document` here once (see checklist_layout, registration_layout, photos), so the
DOCX and the PDF cannot disagree about what goes where.
"""
import re
from dataclasses import dataclass, field
from enum import StrEnum

# A4 portrait with the margins of an official form (GB/T 9704 uses 28/26/37/35 mm; forms less).
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210.0, 297.0
MARGIN_MM = 20.0
TEXT_WIDTH_MM = PAGE_WIDTH_MM - 2 * MARGIN_MM
SYMBOLS = frozenset("☑☐√□")
# Word's manual line break and page break (pasted along with a text written in Word) and Unicode's
# line and paragraph separators: line breaks on paper.
LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029]")
# What XML 1.0, and so a DOCX, cannot hold; python-docx refuses the whole document for one.
NOT_XML = re.compile("[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class CellKind(StrEnum):
    """How a cell is dressed: labels and headings centred, values and long texts left."""

    LABEL = "label"
    VALUE = "value"
    HEAD = "head"
    SECTION = "section"
    LONG = "long"


class TextStyle(StrEnum):
    """Paragraph styles outside tables."""

    ATTACHMENT = "attachment"
    TITLE = "title"
    COVER_TITLE = "cover_title"
    HEADING = "heading"
    BODY = "body"
    NOTE = "note"


@dataclass(frozen=True)
class Cell:
    """One cell; `span` columns wide, `rows` rows high; `footer` sits bottom-right (stamp lines)."""

    text: str = ""
    kind: CellKind = CellKind.VALUE
    span: int = 1
    rows: int = 1
    min_height: float = 0.0  # mm
    footer: str = ""


@dataclass(frozen=True)
class Table:
    """A ruled table on a grid of `widths` (mm); rows list only the cells they start."""

    widths: tuple[float, ...]
    rows: tuple[tuple[Cell, ...], ...]
    repeat_row: int | None = None  # a heading row to repeat on every page the table spans
    ruled: bool = True


@dataclass(frozen=True)
class Text:
    """A paragraph outside a table."""

    text: str
    style: TextStyle = TextStyle.BODY


@dataclass(frozen=True)
class Spacer:
    """Vertical space."""

    height: float  # mm


@dataclass(frozen=True)
class PageBreak:
    """Start a new page."""


@dataclass(frozen=True)
class PrintImage:
    """A photo ready for print: JPEG bytes, pixel size."""

    data: bytes = field(repr=False)
    width: int
    height: int


@dataclass(frozen=True)
class Figure:
    """A numbered photo with its caption."""

    number: int
    image: PrintImage
    caption: str


@dataclass(frozen=True)
class FigureRow:
    """Up to two figures side by side; `full_page` for a photographed page of a document."""

    figures: tuple[Figure, ...]
    full_page: bool = False


@dataclass(frozen=True)
class PdfPages:
    """An uploaded PDF (the 会员评家报告): appended page by page to the PDF; the DOCX names it."""

    sha256: str
    label: str
    note: str


@dataclass(frozen=True)
class Document:
    """The whole packet in reading order."""

    title: str
    subject: str
    footer: str
    blocks: tuple


@dataclass(frozen=True)
class Placement:
    """Where a cell lands on the grid."""

    row: int
    col: int
    cell: Cell


def placements(table):
    """Every cell with its grid position, skipping positions covered by earlier spans."""
    taken = set()
    result = []
    for r, row in enumerate(table.rows):
        col = 0
        for cell in row:
            while (r, col) in taken:
                col += 1
            result.append(Placement(r, col, cell))
            taken.update((r + dr, col + dc) for dr in range(cell.rows) for dc in range(cell.span))
            col += cell.span
        if col > len(table.widths):
            raise ValueError(f"row {r} has {col} columns, the grid {len(table.widths)}")
    return result


def printable(text):
    """Text both renderers can print: line breaks as newlines, other control characters left out."""
    return NOT_XML.sub("", LINE_BREAKS.sub("\n", text))


def symbol_runs(text):
    """Split text into (chunk, is_symbol) so ☑/☐/√ can use a font that has them."""
    runs = []
    for char in text:
        is_symbol = char in SYMBOLS
        if runs and runs[-1][1] == is_symbol:
            runs[-1][0] += char
        else:
            runs.append([char, is_symbol])
    return [(chunk, is_symbol) for chunk, is_symbol in runs]


def span_width(table, placement):
    """The width (mm) a placed cell covers."""
    return sum(table.widths[placement.col:placement.col + placement.cell.span])
