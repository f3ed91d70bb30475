"""A 登记表 laid out like the paper form: cover page, then the table with every field in place."""
from dataclasses import replace

from miniapp_backend.packets.approvals import block_content
from miniapp_backend.packets.layout import (
    TEXT_WIDTH_MM, Cell, CellKind, PageBreak, Spacer, Table, Text, TextStyle)
from miniapp_backend.packets.values import GAP, display

# Twelve grid columns: label/value pairs take three each, roster columns two, review columns three.
GRID = 12
WIDTHS = (TEXT_WIDTH_MM / GRID,) * GRID
PAIR, HALF = 3, 6
LONG_LABEL = 8  # labels longer than this get half the row
SHORT_LABEL = 6  # numeric sections with labels this short print as label row over value row
WIDE_TEXT = 50  # text fields allowing this many characters get the whole row
DEEDS_HEIGHT = 110.0
OPINION_HEIGHT = 45.0
ROW_HEIGHT = 8.0  # room to read (and, on a blank form, to write) like the printed rows
APPROVAL_LABEL_SPAN = 2
# The label column holds the longest cover label, 乡镇、街道、委局、公司 (11 characters of 三号/15 pt
# and the cell's padding), on one line; the two columns fill the text width.
COVER_WIDTHS = (70.0, 100.0)
COVER_TITLE_SUFFIX = "登记表"


def _spaced(text):
    """Letter-spaced like the seed's cover title: “房 山 区 …”."""
    return " ".join(text)


def cover_blocks(template, answers):
    """The cover page: attachment number, spaced title, the cover lines, 填表日期."""
    head = template.title.removesuffix(COVER_TITLE_SUFFIX)
    lines = []
    for f in template.cover:
        value = display(f, answers.get(f"{template.code}:{f.key}"))
        if f.type == "date" and not value:
            value = f"{GAP * 3}年{GAP * 2}月{GAP * 2}日"
        lines.append((Cell(f.label, CellKind.LABEL), Cell(value)))
    return [Text(template.attachment, TextStyle.ATTACHMENT), Spacer(45),
            Text(_spaced(head), TextStyle.COVER_TITLE), Spacer(8),
            Text(_spaced(COVER_TITLE_SUFFIX), TextStyle.COVER_TITLE), Spacer(60),
            Table(COVER_WIDTHS, tuple(lines), ruled=False), PageBreak()]


def _is_wide(field):
    """Fields that need a row of their own: long labels or long free text."""
    return len(field.label) > LONG_LABEL or (field.type == "text" and (field.max_len or 0) >= WIDE_TEXT)


def _roster_rows(field, value):
    """The column labels, then the printed number of rows (filled from the top)."""
    span = GRID // len(field.columns)
    rows = [tuple(Cell(c.label, CellKind.HEAD, span=span) for c in field.columns)]
    entries = list(value or [])
    for index in range(max(field.max_rows or 0, len(entries))):
        entry = entries[index] if index < len(entries) else {}
        rows.append(tuple(Cell(display(c, entry.get(c.key)), CellKind.LABEL, span=span)
                          for c in field.columns))
    return rows


def _columns_rows(fields, value_of):
    """Short numeric fields as the seed prints 审议情况: a row of labels over a row of values."""
    span = GRID // len(fields)
    return [tuple(Cell(f.label, CellKind.HEAD, span=span) for f in fields),
            tuple(Cell(value_of(f), CellKind.LABEL, span=span) for f in fields)]


def _field_rows(fields, value_of):
    """Label/value pairs two to a row; wide fields take a row, label over half or a quarter."""
    rows, pending = [], []
    for f in fields:
        if _is_wide(f):
            label_span = HALF if len(f.label) > LONG_LABEL else PAIR
            rows.append((Cell(f.label, CellKind.LABEL, span=label_span),
                         Cell(value_of(f), span=GRID - label_span)))
            continue
        pending += [Cell(f.label, CellKind.LABEL, span=PAIR), Cell(value_of(f), span=PAIR)]
        if len(pending) == 4:
            rows.append(tuple(pending))
            pending = []
    if pending:
        pending[-1] = Cell(pending[-1].text, span=GRID - PAIR)
        rows.append(tuple(pending))
    return rows


def _section_rows(section, value_of, answers_of):
    """A section: its title row, then its fields in the shape that suits them."""
    rows = [(Cell(section.title, CellKind.SECTION, span=GRID),)] if section.title else []
    numeric = all(f.type in ("int", "percent") for f in section.fields)
    if numeric and len(section.fields) > 2 and all(len(f.label) <= SHORT_LABEL for f in section.fields):
        return rows + _columns_rows(section.fields, value_of)
    plain = []
    for f in section.fields:
        if f.type in ("roster", "longtext"):
            rows += _field_rows(plain, value_of)
            plain = []
            rows += (_roster_rows(f, answers_of(f)) if f.type == "roster"
                     else _long_rows(f, value_of(f), section.title))
        else:
            plain.append(f)
    return rows + _field_rows(plain, value_of)


def _long_rows(field, text, section_title):
    """A long text in one tall cell; its label is the section title when they are the same."""
    hint = "" if text else field.hint
    rows = [] if field.label == section_title else [(Cell(field.label, CellKind.SECTION, span=GRID),)]
    return rows + [(Cell(text or hint, CellKind.LONG, span=GRID, min_height=DEEDS_HEIGHT),)]


def _approval_rows(template, opinions):
    """Each opinion block: a narrow label, a tall cell with the opinion and the stamp lines."""
    rows = []
    for block in template.approvals:
        text, footer = block_content(block, opinions)
        rows.append((Cell(block.label, CellKind.LABEL, span=APPROVAL_LABEL_SPAN),
                     Cell(text, CellKind.LONG, span=GRID - APPROVAL_LABEL_SPAN,
                          min_height=OPINION_HEIGHT, footer=footer)))
    return rows


def registration_blocks(template, answers, opinions):
    """The blocks of one registration form: cover page, then the table on two pages.

    As printed, the table's first page ends with the 主要事迹 box; the review and the opinion
    blocks start the second page.
    """
    def answers_of(f):
        """The stored answer of a field."""
        return answers.get(f"{template.code}:{f.key}")

    def value_of(f):
        """The printed answer of a field."""
        return display(f, answers_of(f))
    pages = [[]]
    for section in template.sections:
        pages[-1] += _section_rows(section, value_of, answers_of)
        if any(f.type == "longtext" for f in section.fields):
            pages.append([])
    pages[-1] += _approval_rows(template, opinions)
    blocks = cover_blocks(template, answers)
    for index, rows in enumerate(page for page in pages if page):
        blocks += ([PageBreak()] if index else []) + [Table(WIDTHS, _at_least(rows, ROW_HEIGHT))]
    return blocks


def _at_least(rows, height):
    """Rows whose cells are at least `height` mm high."""
    return tuple(tuple(replace(cell, min_height=max(cell.min_height, height)) for cell in row)
                 for row in rows)
