"""QR codes of station page URLs: PNG for screens and signs, SVG for print shops."""
import io

import qrcode
from qrcode.image.svg import SvgImage

# Level M survives a scuffed or partly covered printed sign and keeps the code coarse enough
# for phone cameras at arm's length.
ERROR_CORRECTION = qrcode.constants.ERROR_CORRECT_M
BOX_SIZE = 10  # pixels per module in the PNG
BORDER = 4  # modules of quiet zone, as the standard asks


def _code(text):
    """The QR matrix for `text`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECTION, box_size=BOX_SIZE, border=BORDER)
    code.add_data(text)
    code.make(fit=True)
    return code


def qr_png(text):
    """A black-on-white PNG of the QR code."""
    out = io.BytesIO()
    _code(text).make_image().get_image().save(out, "PNG")
    return out.getvalue()


def qr_svg(text):
    """An SVG of the QR code (one square per dark module), scalable for print."""
    out = io.BytesIO()
    _code(text).make_image(image_factory=SvgImage).save(out)
    return out.getvalue()


def station_url(public_base_url, code):
    """The public page of a station: {PUBLIC_BASE_URL}/s/<code>."""
    return f"{public_base_url.rstrip('/')}/s/{code}"
