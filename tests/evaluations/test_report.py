"""The 会员评家报告 PDF: its text (read back with pypdf), its chart, and its place in the application."""
import datetime as dt
import io

from pypdf import PdfReader

from miniapp_backend.models import EvidenceLink, StoredFile
from miniapp_backend.services import evaluation_report, evaluations
from miniapp_backend.services.evaluation_pdf import render
from miniapp_backend.storage import FileStore
from tests.evaluations.helpers import district_home_draft, open_round, vote
from tests.evaluations.test_tally import BALLOTS
from tests.factories import IN_WINDOW


def pdf_text(data):
    """All text of a PDF, whitespace removed (CJK extraction may space characters)."""
    reader = PdfReader(io.BytesIO(data))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def closed_round(world, ballots=BALLOTS, count=9):
    """A closed round of world.unit with the given ballots cast."""
    round_, issued = open_round(world.unit, world.chair, count=count)
    for (agree, scores, comment), code in zip(ballots, issued):
        vote(code, agree=agree, scores=scores, comment=comment)
    return evaluations.close_round(world.chair, round_)


def test_the_report_says_what_the_count_says(world):
    round_ = closed_round(world)
    data = render(evaluation_report.build_report(round_))
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    for expected in ("会员评家报告", world.unit.full_name, "2018年度会员评议职工之家"[4:], "应到人数", "实到人数",
                     "同意人数", "群众满意率", "50.00%", "应到9人，实到6人", "同意4人", "不同意2人",
                     "实到人数达到应到人数的三分之二", "活动丰富", "维权要加强", "平均分", "满意率"):
        assert expected in text, expected
    for standard in evaluations.DEFAULT_STANDARDS:
        assert standard in text
    assert "66.67%（均分3.67）" in text  # the chart's bar label for 组织健全
    assert "100%" in text and "0%" in text  # the chart's axis
    closed = round_.closed_at + dt.timedelta(hours=8)  # Beijing time, as the report prints it
    assert f"投票结束于{closed.year}年{closed.month}月{closed.day}日{closed:%H:%M}" in text


def test_small_rounds_print_no_comments(world):
    round_ = closed_round(world, BALLOTS[:3], count=3)
    text = pdf_text(render(evaluation_report.build_report(round_)))
    assert "意见原文不在报告中列出" in text
    assert "活动丰富" not in text and "食堂可以更好" not in text


def test_the_report_joins_the_applications_report_slot_once(world, tmp_path):
    draft = district_home_draft(world)
    round_ = closed_round(world)
    store = FileStore(tmp_path)
    first = evaluation_report.attach_report(draft, round_, world.chair, store, today=IN_WINDOW)
    again = evaluation_report.attach_report(draft, round_, world.chair, store, today=IN_WINDOW)
    assert first.id == again.id  # same report, same bytes: stored and linked once
    link = EvidenceLink.get(EvidenceLink.application == draft)
    assert link.slot == "report" and StoredFile.get_by_id(link.file_id).kind == "pdf"
    assert "会员评家报告" in pdf_text(store.get(first.sha256))


def test_comments_with_emoji_and_rare_characters_print_no_missing_glyphs(world):
    """Members type comments on their phones: 😀 and a rare 㐂 print from embedded faces that have
    them (as in the packet), not as the empty boxes of the 宋体 face, which has neither; 👍, which
    no embedded face has, prints as the placeholder 〓."""
    ballots = [(agree, scores, comment + ("😀母婴室㐂很好👍" if comment else "")) for agree, scores, comment in BALLOTS]
    data = render(evaluation_report.build_report(closed_round(world, ballots)))
    page = next(p for p in PdfReader(io.BytesIO(data)).pages if "活动丰富" in p.extract_text())
    fonts = {str(font["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert any("DejaVuSans" in name for name in fonts), fonts  # 😀
    assert "活动丰富母婴室㐂很好〓" in pdf_text(data).replace("😀", "")  # pypdf may not read 😀 back
