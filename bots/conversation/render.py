"""Fitting replies into WeChat's passive-reply size: condensed number ranges and pages.

WeChat drops passive text replies much above 2,048 bytes (community-measured); a reply is cut
into pages at line breaks, else at sentence ends, and the rest waits for 更多.
"""
import re

REPLY_LIMIT = 2048  # bytes of UTF-8 content
FOOTER_ROOM = 80  # bytes kept free on each page for the page footer
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


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


def size(text):
    """Length in UTF-8 bytes."""
    return len(text.encode("utf-8"))


def _head(text, limit):
    """The longest start of `text` within `limit` bytes (never half a character)."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")


def _atoms(text):
    """Sentences and line breaks: the places a page may end without cutting a sentence."""
    for number, line in enumerate(text.split("\n")):
        if number:
            yield "\n"
        yield from filter(None, _SENTENCE_END.split(line))


def _pack(text, limit):
    """Pages of at most `limit` bytes; only a sentence longer than a page is cut inside."""
    pages, current = [], ""
    for atom in _atoms(text):
        if size(current + atom) <= limit:
            current += atom
            continue
        if size(atom) <= limit:
            pages.append(current)
            current = atom.lstrip("\n")
            continue
        while size(current + atom) > limit:
            head = _head(atom, limit - size(current))
            pages.append(current + head)
            current, atom = "", atom[len(head):]
        current = atom
    return [page.strip("\n") for page in pages + [current] if page.strip("\n")]


def paginate(text, footer, limit=REPLY_LIMIT):
    """The text as pages of at most `limit` bytes; every page but the last ends with footer(n, total)."""
    if size(text) <= limit:
        return [text]
    pages = _pack(text, limit - FOOTER_ROOM)
    total = len(pages)
    return [page + ("\n" + footer(n, total) if n < total else "") for n, page in enumerate(pages, 1)]
