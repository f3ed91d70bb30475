"""Fitting replies into WeChat's passive-reply size: condensed number ranges and pages.

WeChat drops passive text replies much above 2,048 bytes (community-measured); a reply is cut
into pages at line breaks, else at sentence ends (miniapp_backend/text_fit), and the rest waits
for 更多.
"""
from miniapp_backend.text_fit import pages, size

REPLY_LIMIT = 2048  # bytes of UTF-8 content
FOOTER_ROOM = 80  # bytes kept free on each page for the page footer


def ranges(numbers):
    """“1-3、5、7-9” from [1, 2, 3, 5, 7, 8, 9]."""
    parts, run = [], []
    for number in sorted(set(numbers)):
        if run and number != run[-1] + 1:
            parts.append(run)
            run = []
        run.append(number)
    if run:
        parts.append(run)
    return "、".join(f"{r[0]}-{r[-1]}" if len(r) > 2 else "、".join(map(str, r)) for r in parts)


def paginate(text, footer, limit=REPLY_LIMIT):
    """The text as pages of at most `limit` bytes; every page but the last ends with footer(n, total)."""
    if size(text) <= limit:
        return [text]
    cut = pages(text, limit - FOOTER_ROOM)
    total = len(cut)
    return [page + ("\n" + footer(n, total) if n < total else "") for n, page in enumerate(cut, 1)]
