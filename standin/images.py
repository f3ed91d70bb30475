"""Small PNG images: QR codes standing in for WeChat's parametric codes and mini-program codes."""
import io

import qrcode
from qrcode.image.pil import PilImage


def qr_png(text, box_size=6):
    """A PNG of a QR code encoding `text`, readable by any QR decoder."""
    image = qrcode.make(text, image_factory=PilImage, box_size=box_size, border=4)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
