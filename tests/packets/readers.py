"""Reading rendered packets back: DOCX tables as text grids, PDF text with whitespace removed."""
import io
import re

import docx
from pypdf import PdfReader

WHITESPACE = re.compile(r"\s+")


def squeeze(text):
    """Text without any whitespace (PDF extraction breaks lines wherever a cell wraps)."""
    return WHITESPACE.sub("", text)


def docx_grids(data):
    """Every table of a DOCX as rows of cell texts (a merged cell repeats over its span)."""
    document = docx.Document(io.BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_header_rows(data):
    """For every table of a DOCX, whether each row is marked to repeat atop each page (w:tblHeader)."""
    from docx.oxml.ns import qn
    document = docx.Document(io.BytesIO(data))
    return [[row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
            for table in document.tables]


def docx_text(data):
    """All paragraph text outside tables."""
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def pdf_pages(data):
    """The text of each PDF page, whitespace removed."""
    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def right_of(grid, label):
    """The text of the first cell right of the cell reading `label` (past its own span)."""
    for row in grid:
        for index, text in enumerate(row):
            if text == label:
                rest = [t for t in row[index:] if t != label]
                return rest[0] if rest else None
    raise AssertionError(f"no cell {label!r}")


def below(grid, label):
    """The text of the cell under the cell reading `label`."""
    for r, row in enumerate(grid[:-1]):
        if label in row:
            return grid[r + 1][row.index(label)]
    raise AssertionError(f"no cell {label!r}")


def find_row(grid, first):
    """The row whose first cell reads `first`."""
    return next(row for row in grid if row and row[0] == first)
