"""The photo appendix, the report, the zip, and byte-identical rebuilds (also in a new process)."""
import dataclasses
import io
import subprocess
import sys
import zipfile

import docx
from PIL import Image
from pypdf import PdfReader

from miniapp_backend.config import PROJECT_ROOT
from miniapp_backend.models import ApplicationKind
from miniapp_backend.packets.build import file_names, render_packet
from miniapp_backend.packets.bundle import NAME_MAX_BYTES, Typed, fitted_name
from miniapp_backend.packets.inputs import state_key
from miniapp_backend.packets.photos import build_appendix
from miniapp_backend.packets.print_copies import PRINT_LONG_EDGE, print_image
from tests.packets.builders import ROTATE_90_CW, photo
from tests.packets.pure_source import SAMPLE_OPINION, digests, sample_source
from tests.packets.readers import pdf_pages


def test_photos_are_turned_upright_and_shrunk_for_print():
    upright = print_image(photo(1, size=(4000, 3000), orientation=ROTATE_90_CW))
    assert (upright.width, upright.height) == (750, PRINT_LONG_EDGE)
    image = Image.open(io.BytesIO(upright.data))
    assert image.format == "JPEG" and not image.getexif()
    # The red marker was top-left before turning; clockwise it ends top-right.
    assert image.getpixel((upright.width - 20, 20))[0] > 200 > image.getpixel((20, 20))[0]


def test_a_photo_used_by_several_items_is_printed_once_and_referenced():
    appendix = build_appendix(sample_source())
    numbers = appendix.numbers
    shared = numbers["district_home_checklist:item.4"][1]
    assert numbers["district_home_checklist:item.6"][1] == shared
    assert len(appendix.first_use) == 14 + 1
    captions = [f.caption for row in appendix.blocks if hasattr(row, "figures") for f in row.figures]
    assert len(captions) == 15 and f"图{shared}　第4项、第6项" in captions
    notes = [b.text for b in appendix.blocks if getattr(b, "text", "").startswith("本项照片另见")]
    assert notes == [f"本项照片另见图{shared}（已在前文印出，不重复打印）。"]


def test_pdf_has_report_pages_and_appendix_in_the_seed_order():
    from miniapp_backend.packets.build import render_packet
    files = render_packet(sample_source())
    pages = pdf_pages(files.pdf)
    report = next(i for i, text in enumerate(pages) if "Memberevaluationreport2018" in text)
    appendix = next(i for i, text in enumerate(pages) if text.endswith("影像资料") or "影像资料第1项" in text)
    checklist = next(i for i, text in enumerate(pages) if "区级先进年职工之家验收单" in text)
    assert 0 < checklist < report < appendix
    assert "第1页" in pages[0] and f"第{len(pages)}页" in pages[-1]
    reader = PdfReader(io.BytesIO(files.pdf))
    assert reader.metadata.title == "2018年区级先进职工之家申报材料"
    fonts = {str(font) for page in reader.pages[:3] for font in _font_names(page)}
    assert any("UMing" in f for f in fonts) and any("ZenHei" in f for f in fonts)


def _font_names(page):
    """Base font names used on a page (embedded subsets carry a prefix)."""
    return [font["/BaseFont"] for font in page["/Resources"]["/Font"].values()]


def test_docx_is_a4_with_chinese_font_names_and_the_pictures():
    from miniapp_backend.packets.build import render_packet
    document = docx.Document(io.BytesIO(render_packet(sample_source()).docx))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    xml = document.element.xml
    assert 'w:eastAsia="宋体"' in xml and 'w:eastAsia="仿宋"' in xml
    assert len(document.inline_shapes) == 15


def test_zip_holds_pdf_docx_report_and_original_photos():
    from miniapp_backend.packets.build import render_packet
    files = render_packet(sample_source())
    archive = zipfile.ZipFile(io.BytesIO(files.zip))
    names = archive.namelist()
    assert names[:2] == ["北京良乡示例科技有限公司工会委员会_2018年区级先进职工之家申报材料_第1版.pdf",
                         "北京良乡示例科技有限公司工会委员会_2018年区级先进职工之家申报材料_第1版.docx"]
    assert "会员评家报告.pdf" in names and "影像资料原图/图15.jpg" in names
    assert archive.read(names[0]) == files.pdf
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_same_inputs_same_bytes_in_this_and_another_process():
    here = digests()
    assert digests() == here
    script = "from tests.packets.pure_source import digests; print(' '.join(digests()))"
    other = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True,
                           text=True, check=True, timeout=120).stdout.split()
    assert other == here


def test_new_review_state_new_key_and_new_bytes():
    assert state_key(()) == state_key(())
    assert state_key((SAMPLE_OPINION,)) != state_key(())
    assert digests((SAMPLE_OPINION,))[0] != digests()[0]


def test_every_kind_renders(packet_of):
    for kind in ApplicationKind:
        _, files, _ = packet_of(kind, with_report=kind != ApplicationKind.MODEL_HOME)
        assert files.pdf.startswith(b"%PDF") and zipfile.is_zipfile(io.BytesIO(files.docx))


def test_a_station_name_with_a_slash_names_files_not_folders():
    """“良乡镇政府/便民中心驿站” in a 驿站 application's title: the zip's PDF and DOCX stay at its top
    level under names Windows can extract, the slash printed full-width."""
    source = dataclasses.replace(sample_source(), title="2018年职工暖心驿站·良乡镇政府/便民中心驿站")
    names = zipfile.ZipFile(io.BytesIO(render_packet(source).zip)).namelist()
    stem = "北京良乡示例科技有限公司工会委员会_2018年职工暖心驿站·良乡镇政府／便民中心驿站申报材料_第1版"
    assert names[:2] == [f"{stem}.pdf", f"{stem}.docx"]


def test_the_word_file_names_each_report_file_the_zip_holds():
    """Two report PDFs (the report and its signed attendance sheet): the DOCX points to each by
    the name it has in the zip."""
    from miniapp_backend.packets.inputs import Blob
    from tests.packets.builders import report_pdf, sha
    source = sample_source()
    second = report_pdf().replace(b"Member evaluation report 2018", b"Attendance sheet 2018 signed")
    source.files[sha(second)] = Blob(sha(second), "application/pdf", lambda: second)
    source.evidence["report"].append(sha(second))
    files = render_packet(source)
    names = zipfile.ZipFile(io.BytesIO(files.zip)).namelist()
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(files.docx)).paragraphs)
    reports = [name for name in names if name.startswith("会员评家报告")]
    assert reports == ["会员评家报告_1.pdf", "会员评家报告_2.pdf"]
    for name in reports:
        assert f"“{name}”" in text, text


LONG_UNIT = "北京市房山区良乡镇拱辰" + "示例科技发展有限责任公司第二分公司" * 5 + "工会委员"  # 100 字, 300 bytes


def test_file_names_of_a_unit_with_a_100_character_name_unpack_on_linux_and_macos(tmp_path):
    source = sample_source()
    source = dataclasses.replace(source, snapshot={**source.snapshot, "org": {"full_name": LONG_UNIT}})
    assert len(LONG_UNIT) == 100
    names = file_names(source)
    assert len(set(names)) == 2
    for name, ext in zip(names, ("pdf", "docx")):
        assert 240 < len(name.encode()) <= NAME_MAX_BYTES
        assert name.startswith(LONG_UNIT[:40]) and f"…_2018年区级先进职工之家申报材料_第1版.{ext}" in name
        (tmp_path / name).write_bytes(b"x")  # what unzipping does: refused as too long before


def test_a_fitted_name_cuts_whole_characters_only_and_keeps_what_tells_names_apart():
    for filler in ("a", "汉", "😀", "é"):
        for count in range(80, 140):
            typed = "良" + filler * count
            name = fitted_name("DS0001_", Typed(typed), "_第12版.pdf")
            assert len(name.encode()) <= NAME_MAX_BYTES and name.endswith("_第12版.pdf"), (filler, count)
            assert name.startswith("DS0001_良")
            kept = name.removeprefix("DS0001_").removesuffix("_第12版.pdf")
            assert kept == typed or (kept.endswith("…") and typed.startswith(kept[:-1]))
            # As long as fits: one more character of the text would not.
            assert kept == typed or len(name.encode()) + len(filler.encode()) > NAME_MAX_BYTES
    assert fitted_name(Typed(" 良乡/驿站 "), ".pdf") == "良乡／驿站.pdf"
