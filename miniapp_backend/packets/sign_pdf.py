"""The printable A4 sign a station displays: title, name, QR codes, 12351, services, contact."""
import io
from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from miniapp_backend.packets.fonts import HEI, SONG, register_fonts
from miniapp_backend.packets.pdf_lines import Paragraph
from miniapp_backend.packets.pdf_styles import markup

UNION_RED = colors.HexColor("#C8161D")
WIDTH, HEIGHT = A4
MARGIN = 18 * mm
BANNER = 40 * mm
QR_SIDE = 68 * mm
APP_QR_SIDE = 34 * mm
HOTLINE = "12351"
HOTLINE_TEXT = ("北京市总工会职工服务热线，可咨询劳动法律问题、申请法律援助，"
                "反映困难寻求帮扶，也提供心理咨询等服务。")
APP_PLACEHOLDER = "此处张贴“北京工会12351”APP二维码<br/>（在手机应用商店搜索“北京工会12351”下载）"
APP_CAPTION = "北京工会12351 APP"
PAGE_CAPTION = "微信扫一扫<br/>查看开放时间、服务和附近驿站"
AUTHOR = "房山区总工会"
# Names the sign's layout in its file name (workers.stations.sign_key): change it whenever a sign
# would come out differently, so signs already made are drawn again (2: fitted to the page,
# station phone, 职工之家编号; 3: no 提供服务 or 开放时间 line when none are registered).
SIGN_LAYOUT = 3
FOOTER_LINE = 10 * mm  # the baseline of 房山区总工会　驿站编号 …
BODY_FOOT = 15 * mm  # everything above it ends here, clear of that line


@dataclass(frozen=True)
class SignContent:
    """What one sign shows; images are PNG/JPEG bytes."""

    title: str  # 北京工会职工暖心驿站 or 北京工会职工之家
    name: str
    address: str
    hours: str  # "" when none are registered: the line is left out (so is an empty `services`)
    services: tuple[str, ...]
    code: str
    page_qr: bytes
    wechat_code: bytes | None = None
    wechat_caption: str = ""
    app_qr: bytes | None = None
    chair: str = ""  # "工会主席：… 电话：… 邮箱：…" for internal stations
    phone: str = ""  # the station's own number, as its public page lists it
    code_label: str = "驿站编号"  # what the code at the foot is called: 职工之家编号 for a public home


def _style(size, face=SONG, color=colors.black):
    """A centred CJK paragraph style."""
    return ParagraphStyle(f"sign-{face}-{size}", fontName=register_fonts()[face], fontSize=size,
                          leading=size * 1.35, alignment=TA_CENTER, wordWrap="CJK", textColor=color)


def _text(page, text, size, top, face=SONG, color=colors.black, width=WIDTH - 2 * MARGIN, left=MARGIN):
    """Draw centred, wrapped text whose top edge is at `top`; return its bottom edge."""
    paragraph = Paragraph(text, _style(size, face, color))
    _, height = paragraph.wrap(width, HEIGHT)
    paragraph.drawOn(page, left, top - height)
    return top - height


def _image(page, data, left, top, side):
    """Draw an image scaled into a square whose top-left corner is (left, top)."""
    page.drawImage(ImageReader(io.BytesIO(data)), left, top - side, side, side,
                   preserveAspectRatio=True, anchor="c")


def _codes(page, sign, top):
    """Our page QR code and the WeChat code beside it (or ours alone, centred)."""
    pairs = [(sign.page_qr, PAGE_CAPTION)]
    if sign.wechat_code:
        pairs.append((sign.wechat_code, sign.wechat_caption))
    gap = (WIDTH - len(pairs) * QR_SIDE) / (len(pairs) + 1)
    bottom = top
    for index, (image, caption) in enumerate(pairs):
        left = gap + index * (QR_SIDE + gap)
        _image(page, image, left, top, QR_SIDE)
        bottom = min(bottom, _text(page, caption, 12, top - QR_SIDE - 2 * mm, width=QR_SIDE + 20 * mm,
                                   left=left - 10 * mm))
    return bottom


def _hotline_and_app(page, sign, top):
    """The 12351 hotline on the left, the APP's QR image (or where to get it) on the right."""
    text_width = WIDTH - 2 * MARGIN - APP_QR_SIDE - 10 * mm
    bottom = _text(page, f"职工服务热线　{HOTLINE}", 24, top, HEI, UNION_RED, text_width)
    bottom = _text(page, markup(HOTLINE_TEXT), 11, bottom - 2 * mm, width=text_width)
    left = WIDTH - MARGIN - APP_QR_SIDE
    if sign.app_qr:
        _image(page, sign.app_qr, left, top, APP_QR_SIDE)
        caption = APP_CAPTION
    else:
        page.setDash(3, 2)
        page.rect(left, top - APP_QR_SIDE, APP_QR_SIDE, APP_QR_SIDE)
        page.setDash()
        _text(page, APP_PLACEHOLDER, 7.5, top - 6 * mm, width=APP_QR_SIDE - 4 * mm, left=left + 2 * mm)
        caption = APP_CAPTION
    app_bottom = _text(page, caption, 9, top - APP_QR_SIDE - 1 * mm, width=APP_QR_SIDE, left=left)
    return min(bottom, app_bottom)


def _body(page, sign, top):
    """Name, address, codes, services, hours, contact and the hotline below `top`; return the
    bottom edge."""
    bottom = _text(page, markup(sign.name, register_fonts()[HEI]), 24, top, HEI)
    bottom = _text(page, markup(sign.address), 12, bottom - 2 * mm)
    bottom = _codes(page, sign, bottom - 8 * mm)
    # A line whose facts are not registered (services, hours, phone) is left out, not printed
    # as missing: the sign hangs on a wall for years, its page (the code) says the latest.
    details = ((f"提供服务：{'　'.join(sign.services)}" if sign.services else "", 14),
               (f"开放时间：{sign.hours}" if sign.hours else "", 12),
               (f"驿站电话：{sign.phone}" if sign.phone else "", 12), (sign.chair, 12))
    gap = 6 * mm
    for text, size in details:
        if text:
            bottom = _text(page, markup(text), size, bottom - gap)
            gap = 2 * mm
    page.setStrokeColor(UNION_RED)
    page.line(MARGIN, bottom - 5 * mm, WIDTH - MARGIN, bottom - 5 * mm)
    page.setStrokeColor(colors.black)
    return _hotline_and_app(page, sign, bottom - 10 * mm)


def render_sign(sign):
    """The A4 sign as PDF bytes (deterministic: invariant mode)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=1)
    page.setTitle(f"{sign.title}　{sign.name}")
    page.setAuthor(AUTHOR)
    page.setFillColor(UNION_RED)
    page.rect(0, HEIGHT - BANNER, WIDTH, BANNER, stroke=0, fill=1)
    _text(page, sign.title, 34, HEIGHT - 11 * mm, HEI, colors.white)
    top = HEIGHT - BANNER - 8 * mm
    # A long name and address, several opening spans a day and many services would push the
    # hotline and the APP code off the foot of the page: measured on a scratch page first, the
    # body is then drawn smaller, about its top centre, to end above the station number.
    height = top - _body(canvas.Canvas(io.BytesIO(), pagesize=A4), sign, top)
    page.saveState()
    if height > top - BODY_FOOT:
        scale = (top - BODY_FOOT) / height
        page.translate(WIDTH / 2, top)
        page.scale(scale, scale)
        page.translate(-WIDTH / 2, -top)
    _body(page, sign, top)
    page.restoreState()
    page.setFont(register_fonts()[SONG], 9)
    page.drawCentredString(WIDTH / 2, FOOTER_LINE, f"{AUTHOR}　{sign.code_label} {sign.code}")
    page.showPage()
    page.save()
    return out.getvalue()
