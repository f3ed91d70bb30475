"""Text people send that the database cannot keep: PostgreSQL refuses NUL (U+0000) inside text,
and no field of ours has a use for one, so every edge refuses it with a message instead of
failing when the row is written. JSON may also carry a lone surrogate ("\\ud83d": half of an
emoji, cut by a client's length limit that counts UTF-16 units), which is no character at all
and cannot be encoded for any database; JSON edges refuse it too (forms decode bytes, which
never yields one)."""
import re

NUL = "\x00"
NUL_REFUSAL = "提交的内容里有无法保存的空字符（U+0000），请删除后重新提交"
BROKEN_REFUSAL = "提交的内容里有不完整的字符（可能是被截断的表情符号），请删除它后重新提交"
_SURROGATE = re.compile("[\ud800-\udfff]")


def contains_nul(value):
    """True if `value` holds a NUL anywhere: a str, a JSON-like tree of dicts and lists (keys
    included), or a form's MultiDict (every value of a repeated key)."""
    return _contains(value, lambda text: NUL in text)


def contains_broken_character(value):
    """True if `value` (as for contains_nul) holds a lone surrogate anywhere."""
    return _contains(value, lambda text: _SURROGATE.search(text) is not None)


def _contains(value, bad):
    """True if any string within `value` is `bad`."""
    pending = [value]
    while pending:  # a loop, not recursion: JSON may nest as deep as the parser allowed
        item = pending.pop()
        if isinstance(item, str):
            if bad(item):
                return True
        elif hasattr(item, "lists"):  # werkzeug MultiDict: .values() would give first values only
            for key, values in item.lists():
                pending.append(key)
                pending.extend(values)
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False
