"""Text cut to a size in UTF-8 bytes, as WeChat measures its texts: pages that end at line
breaks, else at sentence ends. The chat pages its replies with it (bots/conversation/render),
and a 客服 notice too long to send keeps its first page (services/notifications)."""
import re

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")


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


def pages(text, limit):
    """Pages of at most `limit` bytes; only a sentence longer than a page is cut inside."""
    done, current = [], ""
    for atom in _atoms(text):
        if size(current + atom) <= limit:
            current += atom
            continue
        if size(atom) <= limit:
            done.append(current)
            current = atom.lstrip("\n")
            continue
        while size(current + atom) > limit:
            head = _head(atom, limit - size(current))
            done.append(current + head)
            current, atom = "", atom[len(head):]
        current = atom
    return [page.strip("\n") for page in done + [current] if page.strip("\n")]
