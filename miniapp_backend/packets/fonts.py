"""The fonts embedded in every PDF: a 宋体-style TrueType for text, a 黑体 for headings, symbols.

All come from Debian packages that scripts/system-deps.sh installs: fonts-arphic-uming (AR PL
UMing, a Ming/Song face: the look of printed official forms), fonts-wqy-zenhei (a Hei face) and
fonts-dejavu-core (☑ and ☐, which neither CJK font has). A character its paragraph's face lacks
prints from another of them that has it (pdf_styles.font_runs): rarer CJK characters from Zen
Hei, many emoji from DejaVu Sans. reportlab embeds only TrueType outlines, so the OpenType/CFF
Noto CJK fonts would not do.
"""
from functools import lru_cache
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SONG, HEI, SYMBOL = "ZgSong", "ZgHei", "ZgSymbol"
CANDIDATES = {
    SONG: ("/usr/share/fonts/truetype/arphic/uming.ttc",),
    HEI: ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",),
    SYMBOL: ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",),
}


class FontMissing(RuntimeError):
    """No CJK TrueType font is installed."""


def _path(name):
    """The first installed file for a face, or None."""
    return next((p for p in CANDIDATES[name] if Path(p).is_file()), None)


@lru_cache(maxsize=1)
def register_fonts():
    """Register the three faces with reportlab once per process; return {face: font name}.

    Every PDF we draw calls this first, so it also sets how reportlab writes streams: binary,
    not ASCII85 (its encoder is pure Python, seconds per photo page, and files grow a quarter).
    Set in one place, the bytes of a PDF never depend on which module was imported first.
    """
    rl_config.useA85 = 0
    paths = {name: _path(name) for name in CANDIDATES}
    if not paths[SONG] and not paths[HEI]:
        raise FontMissing("没有可嵌入的中文TrueType字体：请运行 scripts/system-deps.sh")
    for name, path in paths.items():
        if path:
            # subfontIndex 0: the main face of a .ttc collection (UMing CN, WenQuanYi Zen Hei).
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    # A missing face borrows an installed CJK one, so a packet still prints.
    spare = SONG if paths[SONG] else HEI
    faces = {name: name if paths[name] else spare for name in CANDIDATES}
    for face in set(faces.values()):
        covers(face)  # read once here, where the worker preloads the fonts for its jobs
    return faces


@lru_cache(maxsize=None)
def covers(font_name):
    """The code points a registered font has glyphs for."""
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)
