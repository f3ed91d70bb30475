"""Both 登记表: cover, every field in its cell, the roster, 主要事迹, 审议情况, approval blocks."""
import io
import re

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from miniapp_backend.models import ApplicationKind, Decision
from miniapp_backend.packets.build import render_packet
from miniapp_backend.packets.compose import build_document
from miniapp_backend.packets.layout import MARGIN_MM
from miniapp_backend.services import review
from miniapp_backend.services.drafts import templates
from tests.factories import IN_WINDOW
from tests.packets.builders import DEEDS
from tests.packets.pure_source import FORMS, sample_source
from tests.packets.readers import below, docx_grids, docx_text, pdf_pages, right_of, squeeze
from workers.packet_sources import packet_source

REGISTRATION_KINDS = [ApplicationKind.DISTRICT_HOME, ApplicationKind.SMALL_HOME]
PAIRS = {  # label → printed value, for the fields laid out as label | value
    ApplicationKind.DISTRICT_HOME: {"单位全称": "UNIT_FULL_NAME值", "单位性质": "企业", "职工人数": "150人",
                                    "联系电话": "010-69312345", "工会委员会人数": "12人", "涵盖工会数": "12个",
                                    "合格职工之家数": "12个",
                                    "本单位工会委员会何时被授予合格职工之家称号": "2017年12月20日",
                                    "工会主席是否按同级党政副职配备": "是"},
    ApplicationKind.SMALL_HOME: {"联系电话": "010-69312345", "分会（小组）何时获得何种荣誉称号": "HONORS值",
                                 "何时被授予合格职工小家": "2017年12月20日"},
}
REVIEW = {ApplicationKind.DISTRICT_HOME: {"应到人数": "60人", "实到人数": "55人", "同意人数": "50人",
                                          "群众满意率": "96.5%"},
          ApplicationKind.SMALL_HOME: {"实到人数": "55人", "同意人数": "50人", "群众满意率": "96.5%"}}


def registration_grids(files):
    """The ruled tables of the registration form (the cover table has no 主要事迹)."""
    return [g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g)
            or any(any("审议情况" in text for text in row) for row in g)]


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_every_field_of_the_registration_is_in_place(packet_of, kind):
    application, files, _ = packet_of(kind)
    first, second = registration_grids(files)
    for label, value in PAIRS[kind].items():
        assert right_of(first, label) == value, label
    for label, value in REVIEW[kind].items():
        assert below(second, label) == value, label
    assert below(first, "主要事迹") == DEEDS
    assert below(first, "姓名") == "王建国"
    roster = [row for row in first if row[0] in ("王建国", "李芳")]
    assert [row[0] for row in roster] == ["王建国", "李芳"] and roster[0][4] == "45岁"


@pytest.mark.parametrize("kind", REGISTRATION_KINDS)
def test_cover_page_and_pdf_text(packet_of, kind):
    application, files, _ = packet_of(kind)
    template = next(t for t in templates(application) if t.kind == "registration")
    assert "APPLICANT_FULL_NAME值" in [row[1] for row in docx_grids(files.docx)[0]]
    assert "2017年12月20日" in [row[1] for row in docx_grids(files.docx)[0]]  # 填表日期
    assert " ".join(template.title.removesuffix("登记表")) in docx_text(files.docx)
    pages = pdf_pages(files.pdf)
    cover = pages[0]
    assert cover.index(squeeze(template.attachment)) < cover.index(squeeze(template.title))
    assert cover.index("乡镇、街道、委局") < cover.index("SYSTEM_UNION_NAME值") < cover.index("填表日期")
    text = "".join(pages)
    assert squeeze(DEEDS) in text and "96.5%" in text
    assert text.index("主要事迹") < text.index(squeeze(DEEDS)) < text.index("群众满意率")


def test_paper_blocks_stay_blank_and_digital_ones_take_the_opinions(packet_of, world, store):
    application, files, _ = packet_of(ApplicationKind.SMALL_HOME)
    second = registration_grids(files)[1]
    assert right_of(second, "基层工会委员会意见").split("\n")[-2:] == ["盖\u3000章\u3000\u3000", "年\u3000\u3000月\u3000\u3000日"]
    review.decide(application, world.chair, Decision.APPROVE, "同意推荐。", today=IN_WINDOW)
    files = render_packet(packet_source(application, application.version, store))
    second = registration_grids(files)[1]
    filled = right_of(second, "基层工会委员会意见")
    assert filled.startswith("同意推荐。\n北京良乡示例科技有限公司工会委员会，王建国")
    assert "（电子审批）" in filled
    assert filled.split("\n")[-2:] == ["盖\u3000章\u3000\u3000", "年\u3000\u3000月\u3000\u3000日"]
    paper = right_of(second, "同级党政意见")
    assert paper.replace("\n", "").startswith("盖\u3000章")
    assert "同意推荐。" in "".join(pdf_pages(files.pdf))


@pytest.mark.parametrize("forms", [FORMS, ("small_home_registration",)])
def test_a_full_800_character_deeds_in_short_paragraphs_prints_whole_over_the_pages(forms):
    """主要事迹 of 800 characters as chairs write it (numbered points, a blank line between them)
    is taller than a page: it goes on over the next page instead of failing the packet job."""
    points = [f"{n}、组织开展职工技能竞赛和岗位练兵活动，参与职工{n}00人次。" for n in range(1, 25)]
    deeds = "\n\n".join(points)
    assert len(deeds) <= 800
    source = sample_source(forms=forms)
    source.answers[f"{forms[0]}:main_deeds"] = deeds
    files = render_packet(source)
    reader = PdfReader(io.BytesIO(files.pdf))
    footer = squeeze(build_document(source)[0].footer)
    body = "".join(re.sub(rf"^{footer}第\d+页", "", text) for text in pdf_pages(files.pdf))
    assert squeeze(deeds) in body
    first = next(n for n, text in enumerate(pdf_pages(files.pdf)) if "1、组织开展" in text)
    for page in reader.pages[first:first + 2]:  # every line of the form above the bottom margin
        lows = []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: lows.append(cm[1] * tm[4] + cm[3] * tm[5] + cm[5])
                          if text.strip() and "申报材料" not in text else None)
        assert min(lows) >= MARGIN_MM * mm
    grid = next(g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g))
    assert below(grid, "主要事迹") == deeds


def _cover_lines(pdf):
    """(x, baseline, text) of every line the PDF's first page (the cover) prints above its footer."""
    lines = []
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    page.extract_text(visitor_text=lambda text, cm, tm, *_: lines.append(
        (round(cm[0] * tm[4] + cm[2] * tm[5] + cm[4], 1), cm[1] * tm[4] + cm[3] * tm[5] + cm[5], text.strip()))
        if text.strip() else None)
    return [line for line in lines if line[1] > MARGIN_MM * mm]


@pytest.mark.parametrize("forms", [FORMS, ("small_home_registration",)])
def test_cover_labels_print_on_one_line_and_long_names_push_the_rows_apart(forms):
    """The 小家 label 乡镇、街道、委局、公司 is not broken before its last character; a unit name of
    three lines does not print over the line below it."""
    name = "北京市房山区长阳镇中关村科技园区房山园高端制造业基地北京某某新能源汽车零部件制造有限公司联合工会委员会"
    source = sample_source(forms=forms)
    template = source.templates[0]
    for f in template.cover:
        if f.type == "text":
            source.answers[f"{template.code}:{f.key}"] = name
    lines = _cover_lines(render_packet(source).pdf)
    texts = [text for _, _, text in lines]
    for f in template.cover:
        assert f.label in texts, (f.label, texts)
    values = sorted((y for x, y, text in lines if text and text[0] in name[:3] + name[18:21] + name[36:39]),
                    reverse=True)
    assert len(values) == 3 * sum(f.type == "text" for f in template.cover)
    gaps = [upper - lower for upper, lower in zip(values, values[1:])]
    assert min(gaps) >= 15, gaps  # the cover's 15-point lines never overprint


def test_the_deeds_title_is_printed_on_the_page_of_its_box():
    """Three chairs and a 主要事迹 of thirteen short paragraphs: the box does not fit under the
    rows above it; the title 主要事迹 goes to the next page with it, not left alone at the foot."""
    source = sample_source()
    chair = {"name": "王建国", "gender": "男", "age": 45, "political_status": "中共党员", "position": "工会主席",
             "employment_type": "专职"}
    source.answers["district_home_registration:chairs"] = [chair] * 3
    paragraph = ("本单位工会坚持以职工为中心，建成职工书屋和母婴关爱室，开展技能竞赛和困难帮扶活动。" * 2)[:60]
    source.answers["district_home_registration:main_deeds"] = "\n".join([paragraph] * 13)
    pages = pdf_pages(render_packet(source).pdf)
    title = next(page for page in pages if "主要事迹" in page)
    assert "主要事迹本单位工会坚持" in title
