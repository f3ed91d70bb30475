"""Days left until a date, in a notice's text, counted on the day the notice goes out.

A notice is written on one day and may go out on a later one (held over night, WeChat busy, a
daily quota used up, the worker down): its “还有3天” must then be counted again. The text keeps the
words where they stand; the payload's `countdown` says which words (style), where (at), until
which date and from which day (on) they count, so the notification service recounts them before
the send, and the ledger, the inbox and the notice's page read what was sent.
"""
import datetime as dt

KEY = "countdown"
# Where the words go while a text is composed: NUL is refused at every edge (text_input), so no
# text people wrote can hold it.
SLOT = "\x00"
# (days ahead, the last day, after it) of each style.
STYLES = {
    "deadline": ("还有{n}天", "今天截止", "已过截止日期"),
    "acceptance": ("验收期还有{n}天结束。", "验收期今天结束。", "验收期已结束。"),
}


def words(style, until, day):
    """“还有3天”, “今天截止” or “已过截止日期” (in `style`) from `day` to `until`."""
    ahead, last, after = STYLES[style]
    days = (until - day).days
    return ahead.format(n=days) if days > 0 else last if days == 0 else after


def fill(parts, style, until, day):
    """`parts` with the SLOT in its text replaced by the words counted from `day`, and the
    countdown that lets them be counted again on the day of the send."""
    text = parts["text"]
    at = text.index(SLOT)
    return {**parts, "text": text.replace(SLOT, words(style, until, day), 1),
            KEY: {"style": style, "until": until.isoformat(), "on": day.isoformat(), "at": at}}


def recount(parts, day):
    """`parts` with its countdown counted from `day`; None when there is none or it says the same."""
    mark = (parts or {}).get(KEY)
    if not mark or mark["on"] == day.isoformat():
        return None
    until, style, at = dt.date.fromisoformat(mark["until"]), mark["style"], mark["at"]
    old, new = words(style, until, dt.date.fromisoformat(mark["on"])), words(style, until, day)
    text = parts["text"]
    if text[at:at + len(old)] != old:
        return None  # not the text the countdown was made for: leave it as written
    return {**parts, "text": text[:at] + new + text[at + len(old):], KEY: {**mark, "on": day.isoformat()}}
