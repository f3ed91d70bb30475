"""The packet as DOCX (python-docx): editable, A4, the same layout as the PDF.

Deterministic: fixed core-property dates, and the package zipped with fixed timestamps.
"""
import datetime as dt
import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.opc.pkgwriter import PackageWriter
from docx.package import ImageParts
from docx.shared import Mm

from miniapp_backend.packets import docx_style as ds
from miniapp_backend.packets.bundle import FixedZipWriter
from miniapp_backend.packets.layout import (
    MARGIN_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, CellKind, FigureRow, PageBreak, PdfPages, Spacer,
    Table, Text, TextStyle, placements, printable)

AUTHOR = "房山区总工会职工之家申报系统"
FIXED_DATE = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
COVER_ROW_MM = 14
FIGURE_BOX_MM = (80, 70)
FULL_PAGE_BOX_MM = (170, 215)


class _ImagesByDigest(ImageParts):
    """python-docx's image collection, finding an image again by a dict of digests.

    Its own lookup hashes every image already added, for each picture added: quadratic, 40 ms
    for 21 photos.
    """

    def __init__(self):
        """An empty collection."""
        super().__init__()
        self._by_sha1 = {}

    def _get_by_sha1(self, sha1):
        """The image part with this digest, or None."""
        return self._by_sha1.get(sha1)

    def _add_image_part(self, image):
        """Add an image part and remember its digest."""
        part = super()._add_image_part(image)
        self._by_sha1[image.sha1] = part
        return part


def _setup(document):
    """A4 portrait, the form margins, 宋体 as the default font, fixed properties, the footer."""
    docx = new_document()
    # python-docx caches its image collection among the package's attributes; the blank template
    # has no images, so an empty collection replaces an empty one, before the first picture.
    vars(docx.part.package)["image_parts"] = _ImagesByDigest()
    section = docx.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    normal = docx.styles["Normal"]
    normal.font.name = ds.SONG
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), ds.SONG)
    props = docx.core_properties
    props.title, props.subject, props.author = printable(document.title), printable(document.subject), AUTHOR
    props.last_modified_by, props.revision = AUTHOR, 1
    props.created = props.modified = props.last_printed = FIXED_DATE
    footer = ds.tight(section.footer.paragraphs[0])
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    ds.write(footer, f"{document.footer}　第", ds.SONG, ds.FOOTER_SIZE)
    ds.page_field(footer, ds.SONG, ds.FOOTER_SIZE)
    ds.write(footer, "页", ds.SONG, ds.FOOTER_SIZE)
    return docx


def _fill(table, cell, placement):
    """Write a layout cell into a Word cell: text, then the stamp lines bottom right."""
    spec = placement.cell
    if not table.ruled:
        paragraph = ds.tight(cell.paragraphs[0])
        paragraph.alignment = (WD_ALIGN_PARAGRAPH.RIGHT if spec.kind == CellKind.LABEL
                               else WD_ALIGN_PARAGRAPH.LEFT)
        ds.write(paragraph, spec.text, ds.FANGSONG, ds.COVER_SIZE)
        if spec.kind != CellKind.LABEL:
            ds.bottom_border(cell)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.BOTTOM
        return
    font, bold, alignment = ds.CELL_SPECS[spec.kind]
    paragraph = ds.tight(cell.paragraphs[0])
    paragraph.alignment = alignment
    ds.write(paragraph, spec.text, font, ds.BODY_SIZE, bold)
    if spec.footer:
        stamp = ds.tight(cell.add_paragraph())
        stamp.paragraph_format.space_before = Mm(max(spec.min_height / 3, 4))
        stamp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ds.write(stamp, spec.footer, font, ds.BODY_SIZE)
    cell.vertical_alignment = (WD_CELL_VERTICAL_ALIGNMENT.TOP if spec.kind == CellKind.LONG
                               else WD_CELL_VERTICAL_ALIGNMENT.CENTER)


def _table(docx, table):
    """A Word table on the layout's grid: widths, fills, minimum heights, then the merges."""
    word = docx.add_table(rows=len(table.rows), cols=len(table.widths))
    if table.ruled:
        word.style = docx.styles["Table Grid"]
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    word.autofit = False
    rows = list(word.rows)
    grid = [row.cells for row in rows]
    for column, width in zip(word.columns, table.widths):
        column.width = Mm(width)
    for cells in grid:
        for cell, width in zip(cells, table.widths):
            cell.width = Mm(width)
    for placement in placements(table):
        _fill(table, grid[placement.row][placement.col], placement)
        height = placement.cell.min_height if table.ruled else COVER_ROW_MM
        if height:
            rows[placement.row].height = Mm(height)
            rows[placement.row].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    for placement in placements(table):
        cell = placement.cell
        if cell.span > 1 or cell.rows > 1:
            # What python-docx's merge does once it has searched the grid for the span (a third of
            # the DOCX's time): the placement knows it. An internal of the pinned version.
            grid[placement.row][placement.col]._tc._grow_to(cell.span, cell.rows)
    if table.repeat_row is not None:
        # Word repeats only an unbroken run of rows from the table's top, so the rows above the
        # heading (the union's name, chair, counts) repeat with it; the PDF repeats the heading alone.
        for row in rows[:table.repeat_row + 1]:
            row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    ds.tight(docx.add_paragraph())  # Word joins tables that touch; keep them apart


def _figure_row(docx, row):
    """Figures side by side in a borderless table, captions under them."""
    box_w, box_h = FULL_PAGE_BOX_MM if row.full_page else FIGURE_BOX_MM
    word = docx.add_table(rows=1, cols=len(row.figures))
    word.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, figure in zip(word.rows[0].cells, row.figures):
        scale = min(box_w / figure.image.width, box_h / figure.image.height)
        picture = ds.tight(cell.paragraphs[0])
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(figure.image.data), width=Mm(figure.image.width * scale))
        caption = ds.tight(cell.add_paragraph(), after=6)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ds.write(caption, figure.caption, ds.SONG, ds.CAPTION_SIZE)


def _text(docx, block):
    """A paragraph outside tables."""
    font, size, bold, alignment = ds.TEXT_SPECS[block.style]
    paragraph = ds.tight(docx.add_paragraph(), after=4)
    paragraph.alignment = alignment
    paragraph.paragraph_format.keep_with_next = block.style == TextStyle.HEADING or None
    ds.write(paragraph, block.text, font, size, bold)


def _block(docx, block):
    """Add one layout block."""
    if isinstance(block, Text):
        _text(docx, block)
    elif isinstance(block, Table):
        _table(docx, block)
    elif isinstance(block, FigureRow):
        _figure_row(docx, block)
    elif isinstance(block, PdfPages):
        _text(docx, Text(block.label, TextStyle.TITLE))
        _text(docx, Text(block.note, TextStyle.BODY))
    elif isinstance(block, Spacer):
        ds.tight(docx.add_paragraph()).paragraph_format.space_before = Mm(block.height)
    elif isinstance(block, PageBreak):
        # A paragraph that starts a page, rather than a break character: a break landing at the
        # very end of a full page would leave a blank page behind it.
        ds.tight(docx.add_paragraph()).paragraph_format.page_break_before = True
    else:
        raise TypeError(f"no DOCX rendering for {type(block).__name__}")


def _save(docx):
    """The package's bytes, written the way OpcPackage.save writes them but through our zip.

    These PackageWriter steps are python-docx internals; the version is pinned.
    """
    package = docx.part.package
    parts = package.parts
    for part in parts:
        part.before_marshal()
    out = io.BytesIO()
    writer = FixedZipWriter(out)
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    writer.close()
    return out.getvalue()


def render_docx(document):
    """The DOCX bytes of a layout `document`."""
    docx = _setup(document)
    for block in document.blocks:
        _block(docx, block)
    return _save(docx)
