"""The 会员评家报告 as PDF bytes: text, the 审议情况 table and a bar chart per 评家标准.

Drawn with reportlab and the packets' CJK TrueType faces (黑体 = WenQuanYi Zen Hei for headings
and the chart, 宋体 for text), embedded so the report prints anywhere. Invariant mode: the same
report gives the same bytes, so storing it twice keeps one file.
"""
import io

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table

from miniapp_backend.packets.fonts import HEI, SONG, register_fonts
from miniapp_backend.packets.pdf_styles import markup

AUTHOR = "房山区总工会职工之家申报系统"
CHART_WIDTH, BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 160 * mm, 16, 10, 70
BAR_COLOUR = colors.HexColor("#C0392B")
GRID_COLOUR = colors.HexColor("#BBBBBB")
SCORE_HEADERS = ("非常满意", "满意", "一般", "不满意", "很不满意")


def _styles():
    """Title, heading, body and note styles with CJK line breaking."""
    faces = register_fonts()

    def style(name, face, size, alignment=TA_LEFT, after=4):
        """One paragraph style."""
        return ParagraphStyle(name, fontName=faces[face], fontSize=size, leading=size * 1.5,
                              alignment=alignment, spaceAfter=after, wordWrap="CJK")
    return {"title": style("title", HEI, 18, TA_CENTER, 6), "subtitle": style("subtitle", SONG, 12, TA_CENTER, 10),
            "heading": style("heading", HEI, 13, after=6), "body": style("body", SONG, 10.5),
            "note": style("note", SONG, 9), "cell": style("cell", SONG, 10.5, TA_CENTER, 0)}


def _para(text, style):
    """A paragraph of typed text (members' comments from their phones, names): each character
    from an embedded face that has it (👍, rarer CJK), as in the packet, never an empty box."""
    return Paragraph(markup(str(text), style.fontName), style)


def _text(value):
    """A number or percent for the tables; 无 when there is none."""
    return "—" if value is None else str(value)


def _grid(rows, widths, styles):
    """A ruled table of short texts."""
    cells = [[_para(c, styles["cell"]) for c in row] for row in rows]
    table = Table(cells, colWidths=[w * mm for w in widths])
    table.setStyle([("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    return table


def _deliberation_table(report, styles):
    """应到 / 实到 / 同意 / 群众满意率, as on the 登记表."""
    t = report.tally
    satisfaction = f"{t.satisfaction}%" if t.satisfaction is not None else "—"
    rows = [(report.expected_label, "实到人数", "同意人数", "群众满意率"),
            (t.expected, t.present, t.agreed, satisfaction)]
    return _grid(rows, (42, 42, 42, 42), styles)


def _chart(standards):
    """Horizontal bars: the 满意率 (0–100 %) of each standard, value written at the bar's end."""
    face = register_fonts()[HEI]
    bar_span = CHART_WIDTH - LABEL_WIDTH - 60
    height = len(standards) * (BAR_HEIGHT + BAR_GAP) + 24
    drawing = Drawing(CHART_WIDTH, height)
    for tick in (0, 50, 100):
        x = LABEL_WIDTH + bar_span * tick / 100
        drawing.add(Line(x, 14, x, height, strokeColor=GRID_COLOUR, strokeWidth=0.5))
        drawing.add(String(x, 2, f"{tick}%", fontName=face, fontSize=8, textAnchor="middle"))
    for index, result in enumerate(standards):
        y = height - (index + 1) * (BAR_HEIGHT + BAR_GAP)
        rate = float(result.satisfaction or 0)
        drawing.add(String(LABEL_WIDTH - 6, y + 4, result.name, fontName=face, fontSize=10, textAnchor="end"))
        drawing.add(Rect(LABEL_WIDTH, y, bar_span * rate / 100, BAR_HEIGHT, fillColor=BAR_COLOUR, strokeColor=None))
        label = f"{_text(result.satisfaction)}%（均分{_text(result.average)}）" if result.satisfaction is not None else "无评分"
        drawing.add(String(LABEL_WIDTH + bar_span * rate / 100 + 4, y + 4, label, fontName=face, fontSize=9))
    return drawing


def _standards_table(standards, styles):
    """Mean, 满意率 and how many gave each score, per standard."""
    rows = [("评家标准", "平均分", "满意率", *SCORE_HEADERS)]
    for r in standards:
        rate = f"{r.satisfaction}%" if r.satisfaction is not None else "—"
        rows.append((r.name, _text(r.average), rate, *(r.distribution[s] for s in range(5, 0, -1))))
    return _grid(rows, (30, 16, 20, 20, 20, 20, 20, 20), styles)


def _comments(report, styles):
    """The comments, or why they are not printed."""
    t = report.tally
    if t.comments_withheld:
        return [_para(report.withheld_note, styles["body"])]
    if not t.comments:
        return [Paragraph("本次评议没有收到文字意见。", styles["body"])]
    return [_para(f"{n}. {c}", styles["body"]) for n, c in enumerate(t.comments, 1)]


def render(report):
    """The PDF bytes of one report (an evaluation_report.ReportData)."""
    styles = _styles()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=f"{report.org_name}会员评家报告",
                            author=AUTHOR, subject=report.title, invariant=1)
    story = [_para(report.org_name, styles["subtitle"]),
             Paragraph("会员评家报告", styles["title"]),
             _para(report.title, styles["subtitle"])]
    story += [_para(p, styles["body"]) for p in report.intro]
    story += [Paragraph("一、审议情况", styles["heading"]), _deliberation_table(report, styles), Spacer(1, 4 * mm)]
    story += [_para(p, styles["body"]) for p in report.findings]
    story += [Paragraph("二、各项评家标准满意度", styles["heading"]), _chart(report.tally.standards),
              Spacer(1, 3 * mm), _standards_table(report.tally.standards, styles)]
    story += [Paragraph("三、会员意见和建议", styles["heading"]), *_comments(report, styles)]
    story += [Paragraph("四、说明", styles["heading"])]
    story += [_para(p, styles["note"]) for p in report.notes]
    doc.build(story)
    return out.getvalue()
