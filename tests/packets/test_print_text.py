"""Text as printed in the PDF: Chinese line breaking inside the cells, ideographic spaces,
headings kept with their photos, characters no embedded font has."""
import io

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate

from miniapp_backend.forms import FormCatalog
from miniapp_backend.forms.validation import parse_field
from miniapp_backend.packets import pdf_styles as st
from miniapp_backend.packets.build import render_packet
from miniapp_backend.packets.checklist_layout import checklist_blocks
from miniapp_backend.packets.fonts import register_fonts
from miniapp_backend.packets.inputs import Blob
from miniapp_backend.packets.layout import (
    CellKind, FigureRow, Table, Text, TextStyle, placements, span_width)
from miniapp_backend.packets.pdf_render import PADDING, _cell
from miniapp_backend.packets.photos import build_appendix
from tests.packets.builders import photo, sha
from tests.packets.pure_source import sample_source
from tests.packets.readers import below, docx_grids, pdf_pages, squeeze

CHECKLISTS = ("model_home_checklist", "new_union_home_checklist", "warm_station_checklist",
              "district_home_checklist")
CLOSING = set("。，、；：？！）」』】》”")  # may not start a line
OPENING = set("（「『【《“")  # may not end one
RARE = "\U00020000"  # 𠀀, CJK Extension B: in none of the embedded fonts
DEEDS = f"本单位工会坚持以职工为中心😀，建成职工书屋{RARE}和母婴关爱室，开展技能竞赛和困难帮扶。"


def wrapped_lines(paragraph, width):
    """(text, width in points) of each line a paragraph wraps into at `width`."""
    paragraph.wrap(width, 10_000)
    lines = paragraph.blPara.lines
    if paragraph.blPara.kind == 0:  # reportlab's own single-font lines: (extra space, [text])
        style = paragraph.style
        return [(text, stringWidth(text, style.fontName, style.fontSize))
                for text in ("".join(words) for _, words in lines)]
    return [("".join(w.text for w in line.words),
             sum(stringWidth(w.text, w.fontName, w.fontSize) for w in line.words)) for line in lines]


def cell_paragraphs(table):
    """(paragraph, width) of every cell of a layout table as the PDF draws it."""
    for placement in placements(table):
        flowables = _cell(table, placement)
        for flowable in flowables if isinstance(flowables, list) else [flowables]:
            if isinstance(flowable, Paragraph):
                yield flowable, span_width(table, placement) * mm - 2 * PADDING


@pytest.mark.parametrize("code", CHECKLISTS)
def test_checklist_text_stays_in_its_cell_and_lines_follow_the_chinese_rules(code):
    template = FormCatalog().get(2018, code)
    table = next(b for b in checklist_blocks(template, {}, (), {}) if isinstance(b, Table))
    wrapped = 0
    for paragraph, width in cell_paragraphs(table):
        lines = wrapped_lines(paragraph, width)
        wrapped += len(lines) > 1
        for index, (text, used) in enumerate(lines):
            assert used <= width + 0.01, (text, used, width)  # nothing hangs over the border
            assert not (index and text[:1] in CLOSING), lines
            assert not (index < len(lines) - 1 and text[-1:] in OPENING), lines
    assert wrapped > 10


def test_numbers_and_latin_words_are_not_split_across_lines():
    style = st.cell_style(CellKind.VALUE)
    text = "在职工之家显著位置张贴北京12351职工服务热线电话及北京工会12351APP二维码，电话010-69312345。"
    lines = [line for line, _ in wrapped_lines(st.paragraph(text, style), 40 * mm)]
    assert "".join(lines) == text and len(lines) > 2
    for word in ("12351APP", "010-69312345"):
        assert any(word in line for line in lines), (word, lines)


@pytest.mark.parametrize("joint", ["", "\n", "☑"])  # one font; line breaks; two fonts
def test_a_paragraph_longer_than_a_page_goes_on_over_the_next_pages_whole(joint):
    text = joint.join(f"第{n}段：本单位工会坚持以职工为中心，建成职工书屋和母婴关爱室。" for n in range(300))
    out = io.BytesIO()
    SimpleDocTemplate(out).build([st.paragraph(text, st.text_style(TextStyle.BODY))])
    pages = pdf_pages(out.getvalue())
    assert len(pages) > 3 and "".join(pages) == squeeze(text)


def test_ideographic_spaces_print_as_on_the_paper_form():
    """The stamp and date lines keep their spacing (年　　月　　日), the boxes theirs (☑是　☐否)."""
    pages = PdfReader(io.BytesIO(render_packet(sample_source()).pdf)).pages
    text = "\n".join(page.extract_text() for page in pages)
    assert "年\u3000\u3000月\u3000\u3000日" in text and "☑是\u3000☐否" in text


@pytest.mark.parametrize("forms", [("model_home_checklist",), ("district_home_checklist",)])
def test_each_photo_heading_is_printed_on_the_page_of_its_first_photo(forms):
    source = sample_source(forms=forms)
    pages = pdf_pages(render_packet(source).pdf)
    blocks = build_appendix(source).blocks
    following = [(block.text, after) for block, after in zip(blocks, blocks[1:])
                 if isinstance(block, Text) and block.style == TextStyle.HEADING]
    assert len(following) == len(FormCatalog().get(2018, forms[0]).items)
    assert all(isinstance(after, FigureRow) for _, after in following)  # the photos, then any note
    start = next(i for i, page in enumerate(pages) if "影像资料第1项" in page)
    for heading, row in following:
        page = next(i for i in range(start, len(pages)) if squeeze(heading) in pages[i])
        assert squeeze(row.figures[0].caption) in pages[page], (heading, page)


def test_each_photographed_report_page_is_printed_under_its_title():
    source = sample_source(forms=("district_home_checklist",))
    source.evidence["report"] = []
    for seed in (1, 2, 3):  # portrait photos of the report's pages fill the printed page
        data = photo(500 + seed, size=(480, 640))
        source.files[sha(data)] = Blob(sha(data), "image/jpeg", lambda data=data: data)
        source.evidence["report"].append(sha(data))
    pages = pdf_pages(render_packet(source).pdf)
    for number in (1, 2, 3):
        page = next(text for text in pages if f"会员评家报告（第{number}页）" in text)
        assert page.count("会员评家报告") == 2, page  # the title and the caption


def test_characters_the_text_font_lacks_print_from_another_face_or_as_a_placeholder():
    """😀 prints from DejaVu Sans, 㐂 (CJK Extension A) from the 黑体 face, 𠀀 (none has it) as 〓,
    in the text as in the footer; the DOCX, where Word picks fonts itself, keeps the text."""
    deeds = DEEDS.replace("母婴", "母婴㐂")
    source = sample_source()
    source.answers["district_home_registration:main_deeds"] = deeds
    source.snapshot["org"]["full_name"] = f"北京{RARE}示例科技有限公司工会委员会"  # in each page's footer
    files = render_packet(source)
    page = next(p for p in PdfReader(io.BytesIO(files.pdf)).pages if "主要事迹" in squeeze(p.extract_text()))
    text = squeeze(page.extract_text())
    assert "职工书屋〓和母婴㐂关爱室" in text and RARE not in text and "\x00" not in text
    assert text.startswith("北京〓示例科技有限公司工会委员会")
    assert any("DejaVuSans" in str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values())
    first = next(g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g))
    assert below(first, "主要事迹") == deeds


def test_an_emoji_sequence_no_font_has_is_one_placeholder():
    song = register_fonts()["ZgSong"]
    for text in ("家\U0001F468\u200d\U0001F469\u200d\U0001F467好", "赞\U0001F44D\U0001F3FB好",
                 "旗\U0001F1E8\U0001F1F3好"):
        assert st.font_runs(text, song) == [(f"{text[0]}{st.PLACEHOLDER}好", song)], text


def test_the_first_paragraph_prints_with_its_indent_as_typed():
    """A 主要事迹 typed with "　　" before each paragraph is stored and printed so: the first one
    lost its indent when the text was stripped as a whole."""
    typed = "\n　　职工书屋建成。\n　　母婴室建成。\n"
    field = FormCatalog().get(2018, "district_home_registration").field("main_deeds")
    source = sample_source()
    source.answers["district_home_registration:main_deeds"] = parse_field(field, typed)
    files = render_packet(source)
    grid = next(g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g))
    assert below(grid, "主要事迹") == "　　职工书屋建成。\n　　母婴室建成。"
    page = next(p.extract_text() for p in PdfReader(io.BytesIO(files.pdf)).pages if "职工书屋" in p.extract_text())
    assert "\n　　职工书屋建成。\n　　母婴室建成。" in page


def test_control_characters_pasted_from_word_do_not_break_the_packet():
    """Word's manual line break (U+000B) and form feed come along when a chair pastes from Word;
    XML has no place for them (nor for U+FFFF), and python-docx refused the whole DOCX. They print
    as line breaks; other control characters are left out."""
    source = sample_source()
    source.answers["district_home_registration:main_deeds"] = "第一段，职工书屋建成。\x0b第二段，母婴室\x08建成。\x0c第三段\uffff。"
    source.snapshot["org"]["full_name"] = "北京良乡示例\x1f科技有限公司工会委员会"
    files = render_packet(source)
    grid = next(g for g in docx_grids(files.docx) if any("主要事迹" in row for row in g))
    assert below(grid, "主要事迹") == "第一段，职工书屋建成。\n第二段，母婴室建成。\n第三段。"
    pdf_text = "".join(pdf_pages(files.pdf))
    assert "第一段，职工书屋建成。第二段，母婴室建成。第三段。" in pdf_text
    assert pdf_text.startswith("北京良乡示例科技有限公司工会委员会")
