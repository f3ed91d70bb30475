"""Voter rosters for 会员评家: read from an XLSX or CSV file, or entered; checked row by row."""
import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from miniapp_backend.services.errors import ValidationFailed

NAME_HEADER = "姓名"
# Any one of these columns tells namesakes apart; the first present is used.
CONTACT_HEADERS = ("联系方式", "手机", "手机号", "联系电话", "电话", "部门", "工号")
NAME_MAX, CONTACT_MAX = 40, 60
MAX_VOTERS = 50_000
MAX_ERRORS_SHOWN = 20
# Excel in Chinese Windows saves "CSV" as GBK; everything else sends UTF-8 (with or without BOM).
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass(frozen=True)
class RosterEntry:
    """One person to put on a roster."""

    name: str
    contact: str = ""


def _cell(value):
    """A cell as trimmed text (numbers such as phone numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_rows(data):
    """Rows of the first sheet of an XLSX file."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError):
        raise ValidationFailed("无法读取这个 Excel 文件，请另存为 .xlsx 后重试", key="roster") from None
    try:
        return [[_cell(v) for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_rows(data):
    """Rows of a CSV file in UTF-8 or GBK."""
    for encoding in CSV_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    raise ValidationFailed("无法识别 CSV 文件的编码，请用 UTF-8 或 GBK 保存", key="roster")


def read_roster(filename, data):
    """Roster entries from an .xlsx or .csv file whose first row names the columns (姓名 required)."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        rows = _xlsx_rows(data)
    elif suffix == ".csv":
        rows = _csv_rows(data)
    else:
        raise ValidationFailed("名单请用 .xlsx 或 .csv 文件", key="roster")
    if not rows or NAME_HEADER not in rows[0]:
        raise ValidationFailed(f"名单第一行应为表头，至少有“{NAME_HEADER}”一列", key="roster")
    header = rows[0]
    name_at = header.index(NAME_HEADER)
    contact_at = next((header.index(h) for h in CONTACT_HEADERS if h in header), None)
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        cells = row + [""] * (len(header) - len(row))
        contact = cells[contact_at] if contact_at is not None else ""
        entries.append((number, cells[name_at], contact))
    return check_entries(entries)


def _problems(number, name, contact):
    """What is wrong with one row, as Chinese phrases."""
    problems = []
    if not name:
        problems.append("缺少姓名")
    elif len(name) > NAME_MAX:
        problems.append(f"姓名超过{NAME_MAX}字")
    if len(contact) > CONTACT_MAX:
        problems.append(f"联系方式超过{CONTACT_MAX}字")
    return [f"第{number}行{p}" for p in problems]


def check_entries(rows):
    """RosterEntry list from (row number, name, contact) rows; blank rows skipped, errors listed."""
    errors, seen, entries = [], {}, []
    for number, name, contact in rows:
        name, contact = _cell(name), _cell(contact)
        if not name and not contact:
            continue
        problems = _problems(number, name, contact)
        if not problems and (name, contact) in seen:
            problems = [f"第{number}行与第{seen[(name, contact)]}行重复（姓名和联系方式相同）；"
                        "同名的人请填写不同的联系方式或部门以便区分"]
        errors += problems
        seen.setdefault((name, contact), number)
        entries.append(RosterEntry(name, contact))
    if not entries and not errors:
        errors.append("名单是空的，请至少填写一位投票人")
    if len(entries) > MAX_VOTERS:
        errors.append(f"名单超过{MAX_VOTERS}人，请分单位组织评议")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f"（另有{len(errors) - len(shown)}处）" if len(errors) > len(shown) else ""
        raise ValidationFailed("名单有误：" + "；".join(shown) + more, key="roster", errors=errors)
    return entries


def entered(pairs):
    """RosterEntry list from (name, contact) pairs typed by the chair, numbered from 1."""
    return check_entries((number, name, contact) for number, (name, contact) in enumerate(pairs, 1))
