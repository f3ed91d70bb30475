"""A 验收单 laid out like the paper form: header, items with ☑/☐, other facilities, opinion."""
from itertools import groupby

from miniapp_backend.packets.approvals import block_content
from miniapp_backend.packets.layout import Cell, CellKind, Table, Text, TextStyle
from miniapp_backend.packets.values import completion, display, figure_refs

# Seven grid columns, so the header's six cells and the four item columns share one table:
# 序号 | 项目 | 具体要求 (three columns) | 完成情况 (two columns).
WIDTHS = (12.0, 22.0, 40.0, 20.0, 36.0, 16.0, 24.0)
REQUIREMENT_SPAN, RESULT_SPAN = 3, 2
OPINION_HEIGHT = 42.0
EXTRA_HEIGHT = 16.0
PHOTO_NOTE = "本表各项的图片资料见“影像资料”附录，按项目序号排列。"


def _header_rows(template, answers):
    """The two header rows: 全称 (two rows high), then 主席/职工数 and 电话/会员数."""
    def value(f):
        """The printed answer of a header field."""
        return display(f, answers.get(f"{template.code}:{f.key}"))
    first, *rest = template.header
    rows = [[Cell(first.label, CellKind.LABEL, span=2, rows=2), Cell(value(first), rows=2)], []]
    # The seed pairs them row by row: 主席, 职工数 / 电话, 会员数.
    for index, f in enumerate(rest[:4]):
        rows[index // 2].extend([Cell(f.label, CellKind.LABEL), Cell(value(f))])
    return [tuple(row) for row in rows]


def _item_rows(template, answers, figures):
    """One row per item; consecutive items of one 项目 share its cell, as printed."""
    rows = []
    for category, group in groupby(template.items, key=lambda item: item.category):
        group = list(group)
        for index, item in enumerate(group):
            result = completion(item, answers.get(f"{template.code}:{item.key}"))
            refs = figure_refs(figures.get(f"{template.code}:{item.key}", ()))
            row = [Cell(str(item.no), CellKind.LABEL)]
            if index == 0:
                row.append(Cell(category, CellKind.LABEL, rows=len(group)))
            row += [Cell(item.text, span=REQUIREMENT_SPAN),
                    Cell(f"{result}\n{refs}" if refs else result, CellKind.LABEL, span=RESULT_SPAN)]
            rows.append(tuple(row))
    return rows


def _closing_rows(template, answers, opinions):
    """其他配套设施设备或服务, then each opinion block with its stamp lines."""
    rows = []
    for f in template.extra:
        text = display(f, answers.get(f"{template.code}:{f.key}"))
        rows.append((Cell(str(f.no or ""), CellKind.LABEL), Cell(f.label, CellKind.LABEL),
                     Cell(text, CellKind.LONG, span=5, min_height=EXTRA_HEIGHT)))
    for block in template.approvals:
        text, footer = block_content(block, opinions)
        rows.append((Cell(block.label, CellKind.LABEL, span=2),
                     Cell(text, CellKind.LONG, span=5, min_height=OPINION_HEIGHT, footer=footer)))
    return rows


def station_line(station):
    """The labelled line naming a 驿站 application's station (the seed's header has no cell for it)."""
    address = station.get("address")
    return f"驿站名称：{station['name']}" + (f"\u3000\u3000驿站地址：{address}" if address else "")


def checklist_blocks(template, answers, opinions, figures, station=None):
    """The blocks of one checklist; `figures` maps item slots to their figure numbers; a 驿站's
    `station` ({"name", "address"}) is named on a line of its own above the form's table."""
    heading = (Cell("序号", CellKind.HEAD), Cell("项目", CellKind.HEAD),
               Cell("具体要求", CellKind.HEAD, span=REQUIREMENT_SPAN),
               Cell("完成情况", CellKind.HEAD, span=RESULT_SPAN))
    rows = (_header_rows(template, answers) + [heading]
            + _item_rows(template, answers, figures) + _closing_rows(template, answers, opinions))
    blocks = [Text(template.attachment, TextStyle.ATTACHMENT), Text(template.title, TextStyle.TITLE)]
    if station:
        blocks.append(Text(station_line(station), TextStyle.BODY))
    blocks.append(Table(WIDTHS, tuple(rows), repeat_row=2))
    if template.note:
        blocks.append(Text(template.note, TextStyle.NOTE))
    if figures:
        blocks.append(Text(PHOTO_NOTE, TextStyle.NOTE))
    return blocks
