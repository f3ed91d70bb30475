"""The packet as PDF: reportlab with the CJK TrueType fonts embedded; uploaded PDFs appended.

Deterministic: reportlab's invariant mode fixes the creation date and the document ID, and pypdf
writes no ID or date of its own, so the same layout gives the same bytes.
"""
import io
from dataclasses import replace

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable, PageBreak as RlPageBreak, SimpleDocTemplate, Spacer as RlSpacer,
    Table as RlTable)

from miniapp_backend.packets import pdf_styles as st
from miniapp_backend.packets.layout import (
    MARGIN_MM, PAGE_HEIGHT_MM, CellKind, FigureRow, PageBreak, PdfPages, Spacer, Table, Text,
    TextStyle, placements, span_width)

AUTHOR = "房山区总工会职工之家申报系统"
PADDING = 3  # points, inside each cell
LINE = 0.6  # points, the table rules
COVER_ROW_HEIGHT = 14 * mm
FIGURE_BOX = (80 * mm, 70 * mm)
FULL_PAGE_BOX = (170 * mm, 215 * mm)
FRAME_PADDING = 6  # points: reportlab's frame keeps this inside the margins, top and bottom
PAGE_ROOM = (PAGE_HEIGHT_MM - 2 * MARGIN_MM) * mm - 2 * FRAME_PADDING
# A long text taller than a page starts on the next page rather than with its title and fewer
# than three lines.
MIN_PIECE = 25 * mm


class JpegReader(ImageReader):
    """A JPEG that reportlab embeds as it is (DCTDecode): its bytes name it, nothing decodes it.

    reportlab names every image by a digest of its decoded pixels; for a 21-photo packet that
    decoding alone cost seconds and 45 MB.
    """

    def __init__(self, data):
        """Wrap JPEG bytes."""
        super().__init__(io.BytesIO(data))
        self._jpeg = data
        self._dataA = None  # no alpha channel: set here since no pixel data is ever read

    def getRGBData(self):
        """The bytes reportlab digests to name the image: the JPEG itself."""
        return self._jpeg


class Photo(Flowable):
    """A print-size JPEG drawn at a given size."""

    def __init__(self, data, width, height):
        """Remember the JPEG and its printed size (points)."""
        super().__init__()
        self.data, self.width, self.height = data, width, height

    def wrap(self, available_width, available_height):
        """The printed size."""
        return self.width, self.height

    def draw(self):
        """Embed the JPEG without decoding it."""
        self.canv.drawImage(JpegReader(self.data), 0, 0, self.width, self.height)


def _cell(table, placement):
    """The flowables of one cell; tall cells are padded to their minimum height."""
    cell = placement.cell
    width = span_width(table, placement) * mm - 2 * PADDING
    if not table.ruled:
        alignment = TA_RIGHT if cell.kind == CellKind.LABEL else TA_LEFT
        return st.paragraph(cell.text, st.plain_style(f"cover-{alignment}", st.COVER_SIZE, alignment))
    body = st.paragraph(cell.text, st.cell_style(cell.kind))
    if not cell.min_height and not cell.footer:
        return body
    parts = [body]
    footer = st.paragraph(cell.footer, st.cell_style(cell.kind, right=True)) if cell.footer else None
    used = sum(p.wrap(width, 10_000)[1] for p in filter(None, (body, footer)))
    pad = cell.min_height * mm - 2 * PADDING - used
    if pad > 0:
        parts.append(RlSpacer(1, pad))
    return parts + ([footer] if footer else [])


class _FormTable(RlTable):
    """A ruled form table. Rows merged under one 项目 stay on one page while they fit on one;
    taller than a page (two 否 items of a 项目, each with a 200-character 说明, in the narrow
    完成情况 column), they are split between their rows on a page of their own, the 项目 cell
    ending at the page's foot. reportlab never splits inside a merged cell, and raised."""

    _across_spans = False
    # {(row, col): (text, kind)} for the rows a merged cell covers below its first: what the cell
    # says when a page starts on that row, since reportlab leaves a split merged cell's later
    # piece blank and the reader of that page would not know which 项目 the items belong to.
    continued = {}

    def _getFirstPossibleSplitRowPosition(self, availHeight, ignoreSpans=0):
        """reportlab's last row a split may follow; inside merged cells too while allowed."""
        return super()._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans or self._across_spans)

    def split(self, available_width, available_height):
        """Pieces split between rows outside merged cells; on a fresh page, between any rows."""
        parts = super().split(available_width, available_height)
        if parts or available_height < PAGE_ROOM - FRAME_PADDING:
            return self._label_continuation(parts)
        self._across_spans = True
        try:
            return self._label_continuation(super().split(available_width, available_height))
        finally:
            self._across_spans = False

    def _label_continuation(self, parts):
        """The later piece's merged cells that begin inside a merged cell of the earlier piece
        say what they continue (“组织机构（续）”); the piece keeps the rest for its own splits."""
        if len(parts) != 2 or not self.continued:
            return parts
        first, rest = parts
        cut = len(first._cellvalues)
        repeated = len(rest._cellvalues) - (len(self._cellvalues) - cut)  # heading rows put on top
        rest.continued = {(row - cut + repeated, col): label for (row, col), label in self.continued.items()
                          if row >= cut}
        top = list(rest._cellvalues[repeated])  # rows are shared with this table: change a copy
        for (row, col), (text, kind) in rest.continued.items():
            if row == repeated:
                top[col] = st.paragraph(f"{text}（续）", st.cell_style(kind))
        rest._cellvalues[repeated] = top
        return parts


class _LongText(RlTable):
    """A row ending in a long text (主要事迹, an opinion block, 其他配套设施): moved whole to the
    next page like any row while it fits on a page; taller than a page (800 characters in short
    lines or with blank lines between them, two 1000-character opinions in one block), split
    inside, going on over the next pages. Without this reportlab raises and the packet is never
    made."""

    def split(self, available_width, available_height):
        """Nothing while the text fits on a page of its own or too little of the page is left;
        else the pieces of the row."""
        self._calc(available_width, available_height)
        if self._height <= PAGE_ROOM or available_height < MIN_PIECE:
            return []
        # A label centred in a row taller than a page would land on the row's second piece.
        for style in self._cellStyles[-1]:
            style.valign = "TOP"
        return super().split(available_width, available_height)


def _own_table(table, row):
    """A row ending in a long text and sharing no merged cell with other rows, as a table of its
    own whose columns are the row's cells, or None. reportlab splits a row only at the widths of
    single columns, so inside the grid a spanned cell would rewrap at one column's width."""
    if not table.ruled or row[-1].kind != CellKind.LONG or any(cell.rows > 1 for cell in row):
        return None
    if sum(cell.span for cell in row) != len(table.widths):  # a merged cell from above reaches in
        return None
    widths, col = [], 0
    for cell in row:
        widths.append(sum(table.widths[col:col + cell.span]))
        col += cell.span
    return Table(tuple(widths), (tuple(replace(cell, span=1) for cell in row),))


def _is_title(row, grid):
    """A section title across the whole grid (主要事迹)."""
    return len(row) == 1 and row[0].kind == CellKind.SECTION and row[0].span == grid


def _pieces(table):
    """The layout table as consecutive (table, split inside rows) pieces: each row ending in a long
    text a table of its own (see _own_table), with the section title right above it, so the
    title never stays alone at the foot of a page."""
    pieces, rows = [], []
    for row in table.rows:
        own = _own_table(table, row)
        if own is None:
            rows.append(row)
            continue
        if len(own.widths) == 1 and rows and _is_title(rows[-1], len(table.widths)):
            title = replace(rows.pop()[0], span=1)
            own = replace(own, rows=((title,),) + own.rows)
        if rows:
            pieces.append((replace(table, rows=tuple(rows)), False))
            rows = []
        pieces.append((own, True))
    if rows or not pieces:
        pieces.append((replace(table, rows=tuple(rows)), False))
    # A heading row to repeat belongs to the first piece, the one that holds it.
    return [pieces[0]] + [(replace(piece, repeat_row=None), in_row) for piece, in_row in pieces[1:]]


def _table(table, in_row=False):
    """A reportlab table with the layout's spans, rules and heading row; `in_row` for a row of its
    own that splits inside when taller than a page."""
    grid = [["" for _ in table.widths] for _ in table.rows]
    commands = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
                ("TOPPADDING", (0, 0), (-1, -1), PADDING), ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING)]
    if table.ruled:
        commands.append(("GRID", (0, 0), (-1, -1), LINE, colors.black))
    for placement in placements(table):
        cell, col, row = placement.cell, placement.col, placement.row
        grid[row][col] = _cell(table, placement)
        end = (col + cell.span - 1, row + cell.rows - 1)
        if cell.span > 1 or cell.rows > 1:
            commands.append(("SPAN", (col, row), end))
        if cell.kind == CellKind.LONG:
            commands.append(("VALIGN", (col, row), end, "TOP"))
        if not table.ruled and cell.kind != CellKind.LABEL:
            commands.append(("LINEBELOW", (col, row), end, LINE, colors.black))
    # Cover rows are at least their printed height and grow with a name of several lines, which
    # a fixed height would print over the next row.
    heights = None if table.ruled else [COVER_ROW_HEIGHT] * len(table.rows)
    repeat = (table.repeat_row,) if table.repeat_row is not None else 0
    flowable = (_LongText if in_row else _FormTable if table.ruled else RlTable)(
        grid, colWidths=[w * mm for w in table.widths], minRowHeights=heights, style=commands,
        repeatRows=repeat, splitInRow=1 if in_row else 0,
        # A long text taller than a page starts under its title, not after it on the next page.
        splitByRow=0 if in_row else 1)
    if isinstance(flowable, _FormTable):
        flowable.continued = {(p.row + below, p.col): (p.cell.text, p.cell.kind) for p in placements(table)
                              if p.cell.text for below in range(1, p.cell.rows)}
    return flowable


def _figure_row(row):
    """Figures side by side, each scaled into its box, captions below."""
    box_w, box_h = FULL_PAGE_BOX if row.full_page else FIGURE_BOX
    cells = []
    for figure in row.figures:
        scale = min(box_w / figure.image.width, box_h / figure.image.height)
        image = Photo(figure.image.data, figure.image.width * scale, figure.image.height * scale)
        cells.append([image, st.paragraph(figure.caption, st.plain_style("caption", st.CAPTION_SIZE))])
    widths = [box_w + 2 * PADDING] * len(cells)
    return RlTable([cells], colWidths=widths, style=[("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                                      ("BOTTOMPADDING", (0, 0), (-1, -1), 8)])


def _flowables(block):
    """The reportlab flowables of one layout block."""
    if isinstance(block, Text):
        return [st.paragraph(block.text, st.text_style(block.style))]
    if isinstance(block, Table):
        return [_table(piece, in_row) for piece, in_row in _pieces(block)]
    if isinstance(block, FigureRow):
        return [_figure_row(block)]
    if isinstance(block, Spacer):
        return [RlSpacer(1, block.height * mm)]
    if isinstance(block, PageBreak):
        return [RlPageBreak()]
    raise TypeError(f"no PDF rendering for {type(block).__name__}")


def _segment(document, blocks, first_page):
    """Render consecutive layout blocks; return (bytes, pages)."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN_MM * mm, rightMargin=MARGIN_MM * mm,
                            topMargin=MARGIN_MM * mm, bottomMargin=MARGIN_MM * mm, invariant=1,
                            title=document.title, subject=document.subject, author=AUTHOR,
                            creator=AUTHOR)

    def footer(canvas, template):
        """The unit, the application and the page number, small, at the foot of each page."""
        line = st.paragraph(f"{document.footer}　第{first_page + template.page - 1}页",
                            st.plain_style("footer", st.FOOTER_SIZE))
        line.wrapOn(canvas, A4[0] - 2 * MARGIN_MM * mm, MARGIN_MM * mm)
        line.drawOn(canvas, MARGIN_MM * mm, MARGIN_MM * mm / 2)

    doc.build([f for block in blocks for f in _flowables(block)], onFirstPage=footer, onLaterPages=footer)
    return out.getvalue(), doc.page


def _segments(document):
    """Split the blocks at appended PDFs: [("blocks", [...]) | ("pdf", PdfPages), …]."""
    parts, current = [], []
    for block in document.blocks:
        if isinstance(block, PdfPages):
            parts.append(("blocks", current))
            parts.append(("pdf", block))
            current = []
        else:
            current.append(block)
    parts.append(("blocks", current))
    # Page breaks at the seams are implied by the seam itself.
    return [(kind, _trim(part) if kind == "blocks" else part) for kind, part in parts
            if kind == "pdf" or _trim(part)]


def _trim(blocks):
    """Blocks without leading or trailing page breaks."""
    start, end = 0, len(blocks)
    while start < end and isinstance(blocks[start], PageBreak):
        start += 1
    while end > start and isinstance(blocks[end - 1], PageBreak):
        end -= 1
    return blocks[start:end]


def _readable(data):
    """A PdfReader for an uploaded PDF, or None when it cannot be read (damaged, encrypted)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        return reader if not reader.is_encrypted and len(reader.pages) else None
    except (PdfReadError, ValueError, KeyError):
        return None


def _merge(document, pieces):
    """One PDF of the pieces (reportlab output and uploaded PDFs) in order."""
    writer = PdfWriter()
    for piece in pieces:
        writer.append(piece if isinstance(piece, PdfReader) else PdfReader(io.BytesIO(piece)))
    writer.add_metadata({"/Title": document.title, "/Subject": document.subject, "/Author": AUTHOR})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def render_pdf(document, files):
    """The PDF bytes of a layout `document`; `files` gives the uploaded PDFs by sha256."""
    pieces, page = [], 1
    for kind, part in _segments(document):
        if kind == "pdf":
            reader = _readable(files[part.sha256].load())
            if reader is not None:
                pieces.append(reader)
                page += len(reader.pages)
                continue
            part = [Text(part.label, TextStyle.TITLE), Text(part.note, TextStyle.BODY)]
        data, pages = _segment(document, part, page)
        pieces.append(data)
        page += pages
    if len(pieces) == 1 and isinstance(pieces[0], bytes):
        return pieces[0]
    return _merge(document, pieces)
