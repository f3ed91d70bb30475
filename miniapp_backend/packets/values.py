"""Answers as printed: dates in Chinese, units after numbers, ☑/☐ marks for checklist items."""
import datetime as dt

from miniapp_backend.clock import format_day

CHECKED, UNCHECKED = "☑", "☐"
# The seed prints some rows without boxes (district checklist item 11): the answer gets a tick.
TICK = "√"
GAP = "\u3000"  # an ideographic space, the width of one character


def cn_date(iso):
    """"2018-05-10" → "2018年5月10日"; anything else is returned as text."""
    try:
        return format_day(dt.date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def display(field, value):
    """The printed text of one field's value ("" when unanswered)."""
    if value in (None, "", [], {}):
        return ""
    if field.type == "date":
        return cn_date(value)
    if field.type in ("int", "percent"):
        return f"{value}{field.unit}"
    return str(value)


def completion(item, answer):
    """The 完成情况 cell of an item: the boxes as answered, and the 说明 of a 否."""
    if not answer:
        blank = f"{UNCHECKED}是{GAP}{UNCHECKED}否" if item.boxes else f"是{GAP}{GAP}否"
        return blank
    done = bool(answer.get("done"))
    if item.boxes:
        marks = f"{CHECKED if done else UNCHECKED}是{GAP}{UNCHECKED if done else CHECKED}否"
    else:
        marks = f"是{TICK if done else ''}{GAP}{GAP}否{'' if done else TICK}"
    note = (answer.get("note") or "").strip()
    return f"{marks}\n说明：{note}" if note and not done else marks


def figure_refs(numbers):
    """"见图3、图5" for the figures of an item, or ""."""
    return "见" + "、".join(f"图{n}" for n in numbers) if numbers else ""
