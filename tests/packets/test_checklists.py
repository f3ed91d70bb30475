"""Every 验收单 of every kind: header, each item's ☑/☐ and 说明, extra row, opinion, note."""
import io
import re
import zipfile
from itertools import groupby

import pytest

from miniapp_backend.models import ApplicationKind, AppStatus, Decision
from miniapp_backend.packets.build import render_packet
from miniapp_backend.packets.inputs import Opinion
from miniapp_backend.services import review
from miniapp_backend.services.drafts import templates
from tests.factories import IN_WINDOW
from tests.packets.builders import DEEDS, NOT_DONE_NOTE
from tests.packets.pure_source import sample_source
from tests.packets.readers import docx_grids, docx_header_rows, docx_text, find_row, pdf_pages, right_of, squeeze
from workers.packet_sources import packet_source

CHECKLIST_KINDS = [ApplicationKind.MODEL_HOME, ApplicationKind.NEW_UNION_HOME,
                   ApplicationKind.WARM_STATION, ApplicationKind.DISTRICT_HOME]


def checklist_of(application):
    """The application's checklist template."""
    return next(t for t in templates(application) if t.items)


@pytest.mark.parametrize("kind", CHECKLIST_KINDS)
def test_docx_checklist_has_every_answer_in_its_cell(packet_of, kind):
    application, files, photos = packet_of(kind)
    template = checklist_of(application)
    grid = next(g for g in docx_grids(files.docx) if any(row[0] == "序号" for row in g))
    assert right_of(grid, "工会名称（全称）") == "UNION_FULL_NAME值"
    assert right_of(grid, "工会主席") == "王建国"
    assert right_of(grid, "职工数") == "150人"
    assert right_of(grid, "联系电话") == "010-69312345"
    assert right_of(grid, "会员数") == "140人"
    for item in template.items:
        row = find_row(grid, str(item.no))
        assert row[1] == item.category and row[2] == item.text
        result = row[-1]
        if item.no == 5:
            assert result.startswith("☐是\u3000☑否\n说明：" + NOT_DONE_NOTE)
        elif item.boxes:
            assert result.startswith("☑是\u3000☐否")
        else:
            assert result.startswith("是√")
        if item.no in photos:
            assert "见图" in result
    extra = template.extra[0]
    assert find_row(grid, str(extra.no))[1:3] == [extra.label, DEEDS]
    opinion_row = next(row for row in grid if row[0] == template.approvals[0].label)
    assert "加盖公章" in opinion_row[-1] and "年" in opinion_row[-1]


@pytest.mark.parametrize("kind", CHECKLIST_KINDS)
def test_pdf_checklist_reads_in_form_order(packet_of, kind):
    application, files, _ = packet_of(kind)
    template = checklist_of(application)
    text = "".join(pdf_pages(files.pdf))
    start = text.index(squeeze(template.title))
    assert text.index("工会名称（全称）", start) < text.index("UNION_FULL_NAME值", start)
    position = text.index("序号项目具体要求完成情况", start)
    for item in template.items:
        position = text.index(squeeze(item.text), position)
        following = text[position:position + len(squeeze(item.text)) + 40]
        expected = "☐是☑否说明：" + NOT_DONE_NOTE if item.no == 5 else ("☑是☐否" if item.boxes else "是√")
        assert expected in following, (item.no, following)
    assert text.index(squeeze(template.note), position) > position


def test_boxes_count_matches_the_answers(packet_of):
    application, files, _ = packet_of(ApplicationKind.MODEL_HOME)
    text = "".join(pdf_pages(files.pdf))
    assert text.count("☑是") == 20 and text.count("☑否") == 1


def test_a_warm_station_packet_names_its_station_on_the_form_and_in_its_file_names(packet_of):
    application, files, _ = packet_of(ApplicationKind.WARM_STATION)
    line = "驿站名称：良乡示例暖心驿站\u3000\u3000驿站地址：房山区良乡镇拱辰大街1号"
    text = "".join(pdf_pages(files.pdf))
    title = text.index(squeeze(checklist_of(application).title))
    assert title < text.index(squeeze(line)) < text.index("工会名称（全称）")
    assert line in docx_text(files.docx).splitlines()
    names = zipfile.ZipFile(io.BytesIO(files.zip)).namelist()
    assert names[0] == f"{application.org.full_name}_2018年职工暖心驿站·良乡示例暖心驿站申报材料_第1版.pdf"


def test_other_checklists_name_no_station(packet_of):
    _, files, _ = packet_of(ApplicationKind.MODEL_HOME)
    assert "驿站名称" not in "".join(pdf_pages(files.pdf)) and "驿站名称" not in docx_text(files.docx)


def test_an_approved_checklist_keeps_its_stamp_and_date_lines_under_the_opinions(packet_of, world, store):
    """The chain done, the box still asks for the paper stamp: the packet is printed and stamped."""
    application, _, _ = packet_of(ApplicationKind.MODEL_HOME)
    review.decide(application, world.system_admin, Decision.APPROVE, "同意上报。", today=IN_WINDOW)
    application = review.decide(application, world.district_admin, Decision.APPROVE, "验收合格。",
                                today=IN_WINDOW)
    assert application.status == AppStatus.APPROVED
    files = render_packet(packet_source(application, application.version, store))
    grid = next(g for g in docx_grids(files.docx) if any(row[0] == "序号" for row in g))
    box = next(row for row in grid if row[0] == checklist_of(application).approvals[0].label)[-1]
    assert box.startswith("同意上报。") and "验收合格。" in box
    assert box.split("\n")[-2:] == ["加盖公章：\u3000\u3000", "年\u3000\u3000月\u3000\u3000日"]
    text = "".join(pdf_pages(files.pdf))
    assert text.index("验收合格。") < text.index("加盖公章：年月日") < text.index("备注：")


@pytest.mark.parametrize("kind", CHECKLIST_KINDS)
def test_docx_checklist_repeats_its_heading_row_on_every_page(packet_of, kind):
    """Word repeats only rows at a table's top, so the 序号/项目 heading repeats with the union's
    header rows above it; no item row is marked."""
    application, files, photos = packet_of(kind)
    grids, marks = docx_grids(files.docx), docx_header_rows(files.docx)
    index = next(i for i, g in enumerate(grids) if any(row[0] == "序号" for row in g))
    heading = next(r for r, row in enumerate(grids[index]) if row[0] == "序号")
    assert marks[index] == [True] * (heading + 1) + [False] * (len(grids[index]) - heading - 1)
    assert not any(any(rows) for i, rows in enumerate(marks) if i != index)


@pytest.mark.parametrize("code", ["model_home_checklist", "new_union_home_checklist", "warm_station_checklist",
                                  "district_home_checklist"])
def test_long_notes_on_two_items_of_one_category_print_over_two_pages(code):
    """Two 否 answers of one 项目 with 说明 of the allowed 200 characters are taller than a page in
    the narrow 完成情况 column: the merged 项目 goes on over the next page, every 说明 whole."""
    source = sample_source(forms=(code,))
    template = source.templates[0]
    largest = max((list(group) for _, group in groupby(template.items, key=lambda item: item.category)), key=len)
    notes = {}
    for item in largest[:2]:
        notes[item.no] = (f"第{item.no}项：" + "母婴关爱室正在装修，预计十月底完成；职工书屋图书正在采购。" * 10)[:200]
        source.answers[f"{code}:{item.key}"] = {"done": False, "note": notes[item.no]}
    pages = pdf_pages(render_packet(source).pdf)
    for no, note in notes.items():
        assert any(f"否说明：{squeeze(note)}" in page or f"否√说明：{squeeze(note)}" in page for page in pages), no
    # The page the 项目 goes on over names it again: a blank cell there leaves its items unnamed.
    second = next(page for page in pages if squeeze(notes[largest[1].no])[:40] in page)
    first = next(page for page in pages if squeeze(notes[largest[0].no])[:40] in page)
    assert first != second
    assert f"{squeeze(largest[0].category)}（续）" in second
    assert "（续）" not in first


def test_two_long_opinions_in_one_block_go_on_over_the_next_page_under_their_label():
    """The 驿站 checklist's one opinion block takes the 系统工会's and the 区总工会's opinions; two
    opinions of the 1000 characters the admin form allows are taller than a page."""
    text = ("经审核，该单位驿站建设基本符合要求，但部分台账资料不全，请补充完善后再报。" * 30)[:1000]
    opinions = (Opinion(2, "system", "digital", "系统工会", "approved", "钱进", "房山区良乡镇总工会", text, "2018-05-12"),
                Opinion(3, "district", "digital", "区总工会", "approved", "李明", "房山区总工会", "同意。" + text,
                        "2018-05-20"))
    source = sample_source(opinions, forms=("warm_station_checklist",))
    label = source.templates[0].approvals[0].label
    pages = pdf_pages(render_packet(source).pdf)
    whole = "".join(re.sub(r"^.+?第\d+版第\d+页", "", page) for page in pages)  # without the footers
    assert squeeze(text) + "房山区良乡镇总工会，钱进2018年5月12日（电子审批）" in whole
    assert "同意。" + squeeze(text)[:300] in whole and "房山区总工会，李明2018年5月20日（电子审批）加盖公章：年月日" in whole
    first = next(page for page in pages if squeeze(text)[:40] in page)
    assert label in first  # the label heads the block where it starts, not its continuation
