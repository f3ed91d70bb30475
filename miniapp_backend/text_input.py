"""Text people send that the database cannot keep: PostgreSQL refuses NUL (U+0000) inside text,
and no field of ours has a use for one, so every edge refuses it with a message instead of
failing when the row is written."""

NUL = "\x00"
NUL_REFUSAL = "提交的内容里有无法保存的空字符（U+0000），请删除后重新提交"


def contains_nul(value):
    """True if `value` holds a NUL anywhere: a str, a JSON-like tree of dicts and lists (keys
    included), or a form's MultiDict (every value of a repeated key)."""
    pending = [value]
    while pending:  # a loop, not recursion: JSON may nest as deep as the parser allowed
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
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
