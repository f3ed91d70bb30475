"""Excel downloads: a header row and data rows per sheet, written in openpyxl's streaming mode."""
import datetime as dt
import io

from flask import Response
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from miniapp_backend.downloads import named

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOLD = Font(bold=True)
# Dates stay dates (they sort and filter) but read as people write them: 2018年6月30日.
DAY_FORMAT = 'yyyy"年"m"月"d"日"'
MOMENT_FORMAT = 'yyyy"年"m"月"d"日" hh:mm'
PERCENT_FORMAT = "0%"


class Percent(float):
    """A share (0.33) written as a number shown as a percentage (33%)."""


def _formatted(sheet, value):
    """`value` as a cell, with the display format of dates, times and shares."""
    if isinstance(value, dt.datetime):
        number_format = MOMENT_FORMAT
    elif isinstance(value, dt.date):
        number_format = DAY_FORMAT
    elif isinstance(value, Percent):
        number_format = PERCENT_FORMAT
    else:
        return value
    cell = WriteOnlyCell(sheet, value=float(value) if isinstance(value, Percent) else value)
    cell.number_format = number_format
    return cell


def workbook_bytes(sheets):
    """An .xlsx of [(sheet title, header list, row iterable)]; datetimes are local (naive)."""
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
            sheet.append([_formatted(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def download(data, filename, ascii_name, mime=XLSX_MIME):
    """A download response named `filename` (fallback `ascii_name`: downloads.named)."""
    return named(Response(data, mimetype=mime), filename, ascii_name)
