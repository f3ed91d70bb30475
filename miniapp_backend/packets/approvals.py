"""The opinion blocks: blank for paper stamps, filled with the reviewers' digital opinions.

Every block keeps the seed's stamp and date lines: the packet is printed and stamped on paper
whether or not a digital opinion fills the box.
"""
from miniapp_backend.packets.values import GAP, cn_date

DECISION_PREFIX = {"approved": "", "returned": "退回整改：", "rejected": "不予通过："}
DEFAULT_OPINION = "同意。"
DIGITAL_MARK = "（电子审批）"


def stamp_lines(block):
    """The seed's stamp and date lines, left for the paper stamp: “盖　章 / 年　月　日”."""
    stamp = block.stamp or "盖章"
    spaced = stamp if len(stamp) > 2 else GAP.join(stamp)
    # Trailing gaps centre the stamp word over the date line, as on the printed form.
    return f"{spaced}{'：' if stamp.startswith('加盖') else ''}{GAP * 2}\n年{GAP * 2}月{GAP * 2}日"


def opinion_line(opinion):
    """One decided opinion: the text, then who (reviewer, unit) and when."""
    text = opinion.text.strip() or (DEFAULT_OPINION if opinion.status == "approved" else "")
    who = "，".join(part for part in (opinion.org, opinion.reviewer) if part)
    return f"{DECISION_PREFIX.get(opinion.status, '')}{text}\n{who}{GAP}{cn_date(opinion.decided_on)}{DIGITAL_MARK}"


def block_content(block, opinions):
    """(text, footer) of one approval block for the given opinions of the version: the footer
    is always the stamp and date lines."""
    if block.mode == "paper":
        return "", stamp_lines(block)
    decided = [o for o in opinions if o.level in block.levels and o.decided]
    return "\n\n".join(opinion_line(o) for o in decided), stamp_lines(block)
