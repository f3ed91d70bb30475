"""WeChat's XML read into plain data in one pass of expat, refusing DTDs and entities.

The data has the shape xmltodict (and so wechatpy) gives: an element's text trimmed (None when
empty), or a dict of its children, a repeated child's values in a list. Trimmed of XML's own
whitespace only, not of every Unicode space as xmltodict does: a message typed with a 全角
indent ("　　") keeps it, as the 主要事迹 it starts does. WeChat's XML has
neither attributes nor mixed content, and both are ignored. Like defusedxml (whose parser is
the pure-Python ElementTree one) it refuses any DOCTYPE and any entity declaration or external
reference, so no entity expansion can happen; expat itself refuses undefined entities.
"""
from xml.parsers import expat

XML_WHITESPACE = " \t\r\n"


class UnreadableXml(ValueError):
    """Malformed XML, or XML with a DTD or entity declarations."""


def _refuse(what):
    """An expat handler that refuses the construct it is called for."""
    def refuse(*_args):
        raise UnreadableXml(f"{what} not allowed")
    return refuse


# expat's handler for each construct refused (made once, set on every parser).
REFUSED = {
    "StartDoctypeDeclHandler": _refuse("DTD"),
    "EntityDeclHandler": _refuse("entity declaration"),
    "UnparsedEntityDeclHandler": _refuse("entity declaration"),
    "ExternalEntityRefHandler": _refuse("external entity"),
}


class _Builder:
    """expat callbacks building the data; `root` is (tag, value) once the document ends."""

    def __init__(self):
        self.open = []  # per open element: [tag, children dict or None, text parts]
        self.root = None

    def start(self, tag, _attributes):
        self.open.append([tag, None, []])

    def text(self, data):
        self.open[-1][2].append(data)

    def end(self, _tag):
        tag, children, parts = self.open.pop()
        value = children if children is not None else ("".join(parts).strip(XML_WHITESPACE) or None)
        if not self.open:
            self.root = (tag, value)
            return
        parent = self.open[-1]
        if parent[1] is None:
            parent[1] = {}
        siblings = parent[1]
        if tag not in siblings:
            siblings[tag] = value
        elif isinstance(siblings[tag], list):
            siblings[tag].append(value)
        else:
            siblings[tag] = [siblings[tag], value]


def read_xml(data):
    """(root tag, its value) of an XML document; UnreadableXml when malformed or unsafe."""
    builder, parser = _Builder(), expat.ParserCreate()
    parser.buffer_text = True  # one text callback per run of text, CDATA included
    parser.StartElementHandler, parser.EndElementHandler = builder.start, builder.end
    parser.CharacterDataHandler = builder.text
    for handler, refuse in REFUSED.items():
        setattr(parser, handler, refuse)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise UnreadableXml(f"malformed XML: {exc}") from None
    return builder.root
