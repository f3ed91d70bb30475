"""Download names: an ASCII fallback before the UTF-8 name (RFC 6266)."""
import re

from werkzeug.http import parse_options_header

from miniapp_backend.downloads import disposition

PLAIN = re.compile(r'filename="([^"]*)"')


def plain_filename(value):
    """The name a client reading only `filename=` (no RFC 8187) sees."""
    return PLAIN.search(value).group(1)


def test_a_chinese_name_carries_an_ascii_fallback_that_old_clients_read():
    value = disposition("北京良乡工会_申报材料 第1版.pdf", "packet-7-v1.pdf")
    assert value.startswith("attachment; ") and plain_filename(value) == "packet-7-v1.pdf"
    assert parse_options_header(value) == ("attachment", {"filename": "北京良乡工会_申报材料 第1版.pdf"})


def test_the_fallback_never_breaks_the_header():
    assert plain_filename(disposition("x", 'a"b\\ c.pdf')) == "a_b_c.pdf"
    assert plain_filename(disposition("说明", "说明")) == "download"
    assert disposition("p.jpg", "p.jpg", inline=True).startswith('inline; filename="p.jpg"')
