"""The import workbook's layout (组织, 主席, 荣誉, 驿站) and reading it: cells, rows, sheets.

Reading checks every cell against its column and reports each problem with its sheet and row;
writing what was read is services/importer's job.
"""
import datetime as dt
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils.exceptions import InvalidFileException

from miniapp_backend.forms.phones import PHONE_HELP
from miniapp_backend.forms.template import Field
from miniapp_backend.forms.validation import FieldError, parse_field
from miniapp_backend.forms.yes_no import parse_yes_no
from miniapp_backend.models import HONOUR_LABELS, BuildingMode, HonourKind, HonourStatus, OrgKind, StationStatus
from miniapp_backend.services import stations
from miniapp_backend.services.errors import ValidationFailed

ORGS, CHAIRS, HONOURS, STATIONS = "组织", "主席", "荣誉", "驿站"
ORG_KINDS = {
    "区总工会": OrgKind.DISTRICT, "系统工会": OrgKind.SYSTEM, "基层工会": OrgKind.GRASSROOTS,
    "直属基层工会": OrgKind.GRASSROOTS, "联合工会": OrgKind.JOINT, "工会分会": OrgKind.BRANCH,
    "工会分会/车间": OrgKind.BRANCH, "工会小组": OrgKind.GROUP, "工会小组/班组": OrgKind.GROUP,
}
BUILDING_MODES = {**{m.value: m for m in BuildingMode}, **{f"{m.value}建家": m for m in BuildingMode}}
# The seed says 区级先进; HONOUR_LABELS say 房山区先进: both spellings are accepted.
HONOUR_KINDS = {**{label: kind for kind, label in HONOUR_LABELS.items()},
                "区级先进职工之家": HonourKind.DISTRICT_HOME, "区级先进职工小家": HonourKind.DISTRICT_SMALL_HOME}
HONOUR_STATES = {"有效": HonourStatus.ACTIVE, "撤销": HonourStatus.REVOKED, "已撤销": HonourStatus.REVOKED}
# 已迁址 is left out: a move needs the new station, which a sheet row cannot name.
STATION_STATES = {"建设中": StationStatus.PLANNED, "开放": StationStatus.ACTIVE,
                  "关闭": StationStatus.CLOSED, "已关闭": StationStatus.CLOSED}
ORG_FACTS = ("category", "credit_code", "nature", "founded_on", "employee_count", "member_count",
             "chair_name", "phone", "home_phone", "email", "building_mode")
STATION_FIELDS = ("name", "address", "lat", "lng", "place_type", "public", "services", "hours", "status")
HOURS_HELP = ("开放时间应写成“周一至周五 08:00-18:00”或“24小时”，多段用“；”分开，"
              "如“周一至周五 08:00-18:00；周六 09:00-24:00；周日 全天”")
IMPORT_NOTE = "导入的历史记录：已撤销"


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, the key it fills, and how its cells are read."""

    header: str
    key: str
    type: str = "text"
    required: bool = False
    hint: str = ""
    choices: dict | None = None
    max_len: int | None = None
    min: float | None = None
    max: float | None = None


SHEETS = {
    ORGS: (
        Column("全称", "full_name", required=True, max_len=100, hint="工会组织的完整名称，必填，不能重复"),
        Column("上级全称", "parent", max_len=100,
               hint="上级工会的全称，区总工会留空；上级可以写在本表后面的行里，也可以是系统里已有的组织"),
        Column("类型", "kind", required=True, choices=ORG_KINDS,
               hint="类型请填：区总工会、系统工会、基层工会、联合工会、工会分会、工会小组"),
        Column("类别", "category", max_len=32,
               hint="系统工会：燕山总工会/乡镇街道总工会/开发区工会/委局公司工会；联合工会：楼宇/园区/商业街/社区/村"),
        Column("统一社会信用代码", "credit_code", type="credit_code", hint="18位，选填；填写时会核对校验位"),
        Column("单位性质", "nature", max_len=32, hint="如：企业、事业单位、机关、社会组织"),
        Column("建会日期", "founded_on", type="date", hint="如：2017-06-01"),
        Column("职工数", "employee_count", type="int"),
        Column("会员数", "member_count", type="int"),
        Column("工会主席", "chair_name", type="name"),
        Column("联系电话", "phone", type="phone", hint=PHONE_HELP),
        Column("职工之家电话", "home_phone", type="phone", hint=PHONE_HELP),
        Column("电子邮箱", "email", type="email"),
        Column("建家模式", "building_mode", choices=BUILDING_MODES, hint="建家模式请填：单独、联合或网上"),
    ),
    CHAIRS: (
        Column("单位全称", "org", required=True, max_len=100, hint="须是组织表或系统里已有的组织"),
        Column("姓名", "name", type="name", required=True),
        Column("联系电话", "phone", type="phone", hint=PHONE_HELP),
    ),
    HONOURS: (
        Column("单位全称", "org", required=True, max_len=100),
        Column("荣誉称号", "kind", required=True, choices=HONOUR_KINDS,
               hint="荣誉称号请填：" + "、".join(HONOUR_LABELS.values())),
        Column("年度", "year", type="int", required=True, min=1949, max=2100, hint="如：2017"),
        Column("授予日期", "awarded_on", type="date", hint="如：2017-12-20"),
        Column("状态", "status", choices=HONOUR_STATES, hint="状态请填：有效或撤销（留空为有效）"),
    ),
    STATIONS: (
        Column("单位全称", "org", required=True, max_len=100, hint="建站单位的全称"),
        Column("驿站名称", "name", required=True, max_len=100),
        Column("地址", "address", required=True, max_len=200, hint="写到门牌号"),
        Column("纬度", "lat", type="float", required=True, hint="GCJ-02坐标（腾讯/高德地图），房山区内，如：39.7355"),
        Column("经度", "lng", type="float", required=True, hint="GCJ-02坐标（腾讯/高德地图），房山区内，如：116.1397"),
        Column("场所类型", "place_type", choices={p: p for p in stations.PLACE_TYPES},
               hint="场所类型请填：" + "、".join(stations.PLACE_TYPES)),
        Column("对外开放", "public", type="yes_no", hint="是或否（否：仅供本单位职工使用）"),
        Column("服务项目", "services", type="services", hint="用“、”分隔，如：饮水、热饭、小憩、如厕"),
        Column("开放时间", "hours", type="hours", hint=HOURS_HELP),
        Column("状态", "status", choices=STATION_STATES, hint="状态请填：建设中、开放或已关闭"),
    ),
}


@dataclass(frozen=True)
class RowError:
    """One problem: the sheet, the row (1 is the header; 0 means the whole file) and a Chinese message."""

    sheet: str
    row: int
    message: str

    def __str__(self):
        """“组织 第7行：…” as shown to admins."""
        return f"{self.sheet} 第{self.row}行：{self.message}" if self.sheet else self.message


@dataclass
class Row:
    """One data row of a sheet: where it came from, its values by key, and whether they all read."""

    sheet: str
    number: int
    values: dict
    ok: bool = True


# ---- reading cells -----------------------------------------------------------------------------

def _cell_value(raw):
    """A cell as the parsers expect it: dates as ISO text, whole floats as ints, text stripped."""
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str):
        return raw.strip() or None
    return raw


def _pick(column, raw):
    """The value a choice column's text stands for."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(raw)))
    if text not in column.choices:
        raise FieldError(f"{column.header}“{text}”不认识。{column.hint}")
    return column.choices[text]


def _float(column, raw):
    """A number (coordinates: whether the place is in 房山区 is the station's own check, on writing)."""
    try:
        return float(unicodedata.normalize("NFKC", str(raw)))
    except ValueError:
        raise FieldError(f"{column.header}应为数字，{column.hint}") from None


def _yes_no(column, raw):
    """是 → True, 否 → False."""
    answer = parse_yes_no(str(raw))
    if answer is None:
        raise FieldError(f"{column.header}请填“是”或“否”")
    return answer


def _services(column, raw):
    """Service keys from “饮水、热饭”; labels (e.g. 手机充电) are accepted too."""
    known = {**{label: key for key, label in stations.vocabulary().items()},
             **{key: key for key in stations.vocabulary()}}
    names = [n for n in re.split(r"[、，,；;/\s]+", unicodedata.normalize("NFKC", str(raw))) if n]
    unknown = [n for n in names if n not in known]
    if unknown:
        raise FieldError(f"{column.header}中“{'、'.join(unknown)}”不在服务清单中，"
                         f"可填：{'、'.join(stations.vocabulary().values())}")
    return list(dict.fromkeys(known[n] for n in names))


_ALWAYS = ("24小时", "24小时开放", "全天", "全天开放", "全天24小时")
_DAY_INDEX = {ch: i for i, ch in enumerate("一二三四五六日")} | {"天": 6}
_DAY_RE = re.compile(r"周([一二三四五六日天])(?:[至到\-~—]周?([一二三四五六日天]))?")
_SPAN_RE = re.compile(r"(\d{1,2}):(\d{2})[-~—至到](\d{1,2}):(\d{2})")
_SPANS_RE = re.compile(rf"(?:{_SPAN_RE.pattern}[、,]?)+")
_WHOLE_DAY_RE = re.compile(r"(.*?)(?:全天|24小时)(?:开放)?")  # “周六 全天”, as hours_text prints it


def _days(spec):
    """Weekday keys from “周一至周五”, “周六、周日”, “每天”, “工作日”, “周末”."""
    spec = spec.strip(":,")
    named = {"": stations.WEEKDAYS, "每天": stations.WEEKDAYS, "每日": stations.WEEKDAYS,
             "工作日": stations.WEEKDAYS[:5], "周末": stations.WEEKDAYS[5:]}
    if spec in named:
        return named[spec]
    days = []
    for part in re.split(r"[、,]", spec):
        match = _DAY_RE.fullmatch(part)
        if match is None:
            raise FieldError(HOURS_HELP)
        first, last = _DAY_INDEX[match.group(1)], _DAY_INDEX[match.group(2) or match.group(1)]
        if last < first:
            raise FieldError(HOURS_HELP)
        days.extend(stations.WEEKDAYS[first:last + 1])
    return days


def parse_hours_text(text):
    """Hours as stations store them, from “周一至周五 08:00-18:00；周六 09:00-12:00” or “24小时”."""
    text = re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).replace("星期", "周")
    if text in _ALWAYS:
        return {"always": True}
    hours = {}
    for segment in filter(None, re.split(r"[;；]", text)):
        whole_day = _WHOLE_DAY_RE.fullmatch(segment)
        if whole_day:
            days, spans = whole_day.group(1), [list(stations.WHOLE_DAY)]
        else:
            first = _SPAN_RE.search(segment)
            if first is None or not _SPANS_RE.fullmatch(segment[first.start():]):
                raise FieldError(HOURS_HELP)
            days = segment[:first.start()]
            spans = [[f"{int(h1):02d}:{m1}", f"{int(h2):02d}:{m2}"]
                     for h1, m1, h2, m2 in _SPAN_RE.findall(segment[first.start():])]
        for day in _days(days):
            hours.setdefault(day, []).extend(spans)
    try:
        return stations.clean_hours(hours)
    except ValidationFailed as exc:
        raise FieldError(exc.message) from None


_READERS = {"float": _float, "yes_no": _yes_no, "services": _services,
            "hours": lambda column, raw: parse_hours_text(raw)}


def _read_cell(column, raw):
    """The value of one cell for `column` (None when blank); FieldError says what is wrong."""
    raw = _cell_value(raw)
    if raw is None:
        if column.required:
            raise FieldError(f"{column.header}不能为空")
        return None
    if column.choices is not None:
        return _pick(column, raw)
    if column.type in _READERS:
        return _READERS[column.type](column, raw)
    value = parse_field(Field(key=column.key, label=column.header, type=column.type, required=False,
                              max_len=column.max_len, min=column.min, max=column.max), raw)
    return dt.date.fromisoformat(value) if column.type == "date" else value


# ---- reading sheets ----------------------------------------------------------------------------

def _match_headers(sheet, header, columns, errors):
    """{column key: cell index} from the header row; unknown, repeated or missing headers are errors."""
    by_header = {c.header: c for c in columns}
    positions = {}
    for index, text in enumerate(header):
        name = re.sub(r"[\s*＊]", "", str(text or ""))
        if not name:
            continue
        if name not in by_header:
            errors.append(RowError(sheet, 1, f"不认识的列“{name}”，请使用模板中的列名"))
        elif by_header[name].key in positions:
            errors.append(RowError(sheet, 1, f"“{name}”列出现了两次"))
        else:
            positions[by_header[name].key] = index
    missing = [c.header for c in columns if c.required and c.key not in positions]
    if missing:
        errors.append(RowError(sheet, 1, f"缺少“{'”“'.join(missing)}”列"))
        return None
    return positions


def _parse_row(sheet, number, cells, columns, positions, errors):
    """One row's values; every cell error is recorded, and the row is marked not ok."""
    row = Row(sheet, number, {})
    for column in columns:
        index = positions.get(column.key)
        if index is None:
            continue
        try:
            row.values[column.key] = _read_cell(column, cells[index] if index < len(cells) else None)
        except FieldError as exc:
            errors.append(RowError(sheet, number, exc.message))
            row.ok = False
    return row


def _read_sheet(worksheet, sheet, errors):
    """Every non-empty data row of one sheet (rows with errors included, marked not ok)."""
    columns = SHEETS[sheet]
    lines = worksheet.iter_rows(values_only=True)
    positions = _match_headers(sheet, next(lines, None) or (), columns, errors)
    if positions is None:
        return []
    rows = []
    for number, cells in enumerate(lines, start=2):
        if all(_cell_value(cell) is None for cell in cells):
            continue
        rows.append(_parse_row(sheet, number, cells, columns, positions, errors))
    return rows


def _check_orgs(rows, errors):
    """Sheet-wide org checks: no repeated 全称, no more members than employees."""
    seen = {}
    for row in rows:
        name, values = row.values.get("full_name"), row.values
        if name in seen:
            errors.append(RowError(ORGS, row.number, f"全称“{name}”与第{seen[name]}行重复"))
            row.ok = False
        elif name:
            seen[name] = row.number
        employees, members = values.get("employee_count"), values.get("member_count")
        if employees is not None and members is not None and members > employees:
            errors.append(RowError(ORGS, row.number, f"会员数（{members}）不应多于职工数（{employees}）"))
            row.ok = False


def read_workbook(path, errors):
    """{sheet name: rows} of the known sheets in the file, or None when it cannot be read."""
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError):
        errors.append(RowError("", 0, "无法读取这个文件，请上传 .xlsx 格式的 Excel 工作簿"))
        return None
    try:
        known = [sheet for sheet in SHEETS if sheet in book.sheetnames]
        if not known:
            errors.append(RowError("", 0, "工作簿里没有“组织”“主席”“荣誉”“驿站”中的任何一张表，请使用导入模板"))
            return None
        sheets = {sheet: _read_sheet(book[sheet], sheet, errors) for sheet in known}
    finally:
        book.close()
    _check_orgs(sheets.get(ORGS, []), errors)
    return sheets


def write_template(path):
    """Write an empty workbook with every sheet's headers (hints as cell comments) for admins to fill."""
    book = Workbook()
    book.remove(book.active)
    for sheet, columns in SHEETS.items():
        worksheet = book.create_sheet(sheet)
        worksheet.append([column.header for column in columns])
        for cell, column in zip(worksheet[1], columns):
            cell.font = Font(bold=True)
            if column.hint or column.required:
                note = "必填。" if column.required else ""
                cell.comment = Comment(note + column.hint, "房山区总工会")
            worksheet.column_dimensions[cell.column_letter].width = max(12, 3 * len(column.header))
        worksheet.freeze_panes = "A2"
    book.save(path)
