"""A roster's rows (a 登记表's 主席情况 table): read from API mappings or from chat lines, each
cell parsed as its column's own field by the caller's `parse_cell` (validation.parse_field, which
in turn parses a whole roster through this module)."""
import re
import unicodedata
from collections.abc import Callable

from miniapp_backend.forms.template import Field, FieldError

CellParser = Callable[[Field, object], object]

# A roster row's cells: separated by commas and the like, or by spaces when no commas are used
# (so "John Smith，男，…" keeps its name whole).
_ROW_SPLIT_RE = re.compile(r"[，,、/／；;]+")
_ROW_SPLIT_SPACES_RE = re.compile(r"[，,、/／；;\s]+")
# A pasted list numbers its rows (1. 2、（3）) and may keep the table's labels (姓名：张三).
_ROW_NUMBER_RE = re.compile(r"^(?:\d{1,2}[.．、)）]|[（(]\d{1,2}[)）])\s*")
LABEL_MARKS = "：:"


def _column_example(column: Field) -> str:
    """A plausible cell value for a roster column, for the chat hint."""
    if column.choices:
        return column.choices[0]
    if column.type == "int":
        low, high = column.min or 0, column.max if column.max is not None else 45
        return str(min(max(45, low), high))
    samples = {"name": "张三", "date": "2018-04-12", "phone": "13800138000"}
    return samples.get(column.type, column.label)


def _column_labels(field: Field) -> str:
    """A roster's column labels in order, for messages."""
    return "、".join(c.label for c in field.columns)


def roster_row_hint(field: Field) -> str:
    """How to type one roster row in chat, with the columns in order and an example."""
    example = "，".join(_column_example(c) for c in field.columns)
    return f"按顺序填写{_column_labels(field)}，用逗号隔开，如：{example}"


def without_label(column: Field, cell: str) -> str:
    """The value without its field's label before it (姓名：张三 is 张三, 会员人数：30 is 30)."""
    rest = cell[len(column.label):] if cell.startswith(column.label) else ""
    return rest[1:].strip() if rest[:1] and rest[0] in LABEL_MARKS else cell


def _typed_cells(field: Field, line: str) -> list[str]:
    """A typed row's cells, by commas and the like, else by spaces (the count may be wrong)."""
    text = line.strip()
    if field.columns[0].type == "name":  # a leading number can only be the list's
        text = _ROW_NUMBER_RE.sub("", text)
    cells = [c.strip() for c in _ROW_SPLIT_RE.split(text) if c.strip()]
    if len(cells) != len(field.columns):
        cells = [c for c in _ROW_SPLIT_SPACES_RE.split(text) if c]
    return cells


_NOTE_EDGES = "()（）[]【】 　:：-—"


def left_out_notes(field: Field, line: str, row: dict) -> list[tuple[Field, str]]:
    """The 说明 a typed row's choice cells carried after their option ("兼职（兼任党支部书记）"), which
    the row, one option per cell, does not keep: (column, note) for each."""
    notes = []
    for column, cell in zip(field.columns, _typed_cells(field, line)):
        option = row.get(column.key)
        cell = unicodedata.normalize("NFKC", without_label(column, cell))
        folded_option = unicodedata.normalize("NFKC", option) if isinstance(option, str) else ""
        if not column.choices or not folded_option or not cell.startswith(folded_option):
            continue
        rest = cell[len(folded_option):]
        note = rest.strip(_NOTE_EDGES)
        if note and rest[:1] in _NOTE_EDGES:  # 机关单位 is the option 机关, no note
            notes.append((column, note))
    return notes


def parse_row(field: Field, raw, parse_cell: CellParser, prefix: str = "") -> dict:
    """One roster row, from a mapping (API) or a separated line of text (chat); `prefix` names the
    row in messages (第2行：) when several come at once."""
    typed = isinstance(raw, str)
    if typed:
        cells = _typed_cells(field, raw)
        if len(cells) != len(field.columns):
            raise FieldError(f"{prefix}{field.label}每行应有{len(field.columns)}项，收到{len(cells)}项。"
                             f"{roster_row_hint(field)}", field.key)
        raw = {c.key: without_label(c, cell) for c, cell in zip(field.columns, cells)}
    if not isinstance(raw, dict):
        raise FieldError(f"{prefix}{field.label}的每一行应包含{_column_labels(field)}", field.key)
    unknown = sorted(set(raw) - {c.key for c in field.columns})
    if unknown:
        raise FieldError(f"{prefix}{field.label}含有未知的栏目：{'、'.join(map(str, unknown))}", field.key)
    row = {}
    for column in field.columns:
        try:
            row[column.key] = parse_cell(column, raw.get(column.key))
        except FieldError as exc:
            message = _not_an_option(field, column, raw.get(column.key)) if typed and column.choices else exc.message
            raise FieldError(f"{prefix}{message}", field.key) from None
    return row


def _not_an_option(field: Field, column: Field, cell) -> str:
    """A typed row's cell that is none of its column's options: the options and the columns' order
    (a row typed in another form's order puts a cell under the wrong column; a number replied
    alone, as a choice elsewhere is answered, would be no row)."""
    return f"{column.label}填的是“{cell}”，不是其中的选项：{'、'.join(column.choices)}。请{roster_row_hint(field)}"


def parse_rows(field: Field, raw, parse_cell: CellParser) -> list:
    """A list of rows (each a mapping of the columns or a chat line) within min/max rows."""
    if not isinstance(raw, list):
        raise FieldError(f"{field.label}应为列表，每行一项（包含{_column_labels(field)}）", field.key)
    if field.max_rows is not None and len(raw) > field.max_rows:
        raise FieldError(f"{field.label}最多填{field.max_rows}行，收到{len(raw)}行", field.key)
    if len(raw) < (field.min_rows or 0):
        raise FieldError(f"{field.label}至少填{field.min_rows}行，收到{len(raw)}行", field.key)
    return [parse_row(field, row, parse_cell, f"第{i}行：") for i, row in enumerate(raw, 1)]
