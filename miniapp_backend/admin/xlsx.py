"""Excel downloads: a header row and data rows per sheet, written in openpyxl's streaming mode."""
import io
from urllib.parse import quote

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)


def workbook_bytes(sheets):
    """An .xlsx of [(sheet title, header list, row iterable)]."""
    book = Workbook(write_only=True)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=text)
            cell.font = BOLD
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data, filename, mime=XLSX_MIME):
    """A download response with a UTF-8 file name (RFC 5987, so Chinese names survive)."""
    response = Response(data, mimetype=mime)
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
