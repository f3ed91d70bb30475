"""What reminders, digests and status notices say: one text for chat, parts for templates.

`text` is the customer-service message; `title`/`detail`/`status`/`time` fill the template and
subscribe keywords (notice_templates.yaml; the notification service cuts them to WeChat's
limits); `page` opens the mini-program where the reader can act.
"""
from miniapp_backend.clock import format_local
from miniapp_backend.services.campaigns import kind_title
from miniapp_backend.services.reminders.concerns import RECTIFY

# The chat keyword that lists a unit's kinds and resumes its draft (the bot's 申报 command).
CHAT_KEYWORD = "申报"
HOME_PAGE = "pages/index/index"
APPLICATION_PAGE = "pages/application/detail?id={id}"
CONTINUE_HINT = f"继续填报：在公众号发送“{CHAT_KEYWORD}”，或打开小程序的“我的申报”页面。"
REVIEW_HINT = "请登录管理后台“待审核”页处理。"
DIGEST_LINES = 10
MISSING_WORDS = (("item", "{n}项未填"), ("field", "{n}个栏目未填"), ("photo", "{n}张照片"),
                 ("invalid", "{n}处需更正"))


def missing_summary(state):
    """“还差3项未填、2张照片” from a Progress, or "" when nothing is missing."""
    parts = [word.format(n=len(state.missing_of(kind))) for kind, word in MISSING_WORDS
             if state.missing_of(kind)]
    parts += [m.label for m in state.missing_of("material")]
    return "还差" + "、".join(parts) if parts else ""


def _left(deadline, today):
    """“还有3天” or “今天截止”."""
    days = (deadline - today).days
    return f"还有{days}天" if days else "今天截止"


def _state_line(concern, state):
    """Where the subject stands: not started, what is missing, or ready to submit."""
    if concern.application_id is None:
        return "尚未开始填报"
    summary = missing_summary(state)
    if summary:
        return summary
    return "内容已齐全，请工会主席确认后提交"


def reminder_parts(concern, subject_name, state, today):
    """The parts of one deadline reminder (state is the draft's Progress, None when not started)."""
    when = f"{concern.deadline:%Y年%m月%d日}"
    if concern.label.startswith(RECTIFY):
        head = f"退回整改的申报须于{when}前修改后重新提交（{_left(concern.deadline, today)}）。"
    else:
        head = f"申报将于{when}截止（{_left(concern.deadline, today)}）。"
    line = _state_line(concern, state)
    page = (APPLICATION_PAGE.format(id=concern.application_id) if concern.application_id
            else HOME_PAGE)
    return {"text": f"【{concern.title}】{head}\n{subject_name}：{line}。\n{CONTINUE_HINT}",
            "title": concern.title, "detail": line, "time": f"{concern.deadline.isoformat()} 23:59",
            "page": page}


def digest_parts(waiting, now, acceptance_left=None):
    """A reviewer's daily digest: `waiting` is [(org name, title, waiting since)] oldest first."""
    lines = [f"【待审核汇总】有{len(waiting)}份申报等待您审核："]
    for number, (org_name, title, since) in enumerate(waiting[:DIGEST_LINES], start=1):
        lines.append(f"{number}. {org_name} {title}（{format_local(since, '%m月%d日')}提交）")
    if len(waiting) > DIGEST_LINES:
        lines.append(f"……另有{len(waiting) - DIGEST_LINES}份")
    if acceptance_left is not None:
        lines.append(f"验收期还有{acceptance_left}天结束。")
    lines.append(REVIEW_HINT)
    return {"text": "\n".join(lines), "title": f"待审核申报{len(waiting)}份",
            "detail": f"最早于{format_local(waiting[0][2], '%m月%d日')}提交",
            "time": format_local(now), "page": HOME_PAGE}


def honour_parts(label, year, awarded, now, reason=""):
    """A title awarded to, or revoked from, the reader's org."""
    if awarded:
        text = f"【{label}】祝贺！本单位获得{year}年度“{label}”称号。"
    else:
        text = f"【{label}】本单位{year}年度“{label}”称号已被撤销。原因：{reason}"
    return {"text": text, "title": kind_title(year, label), "status": "已授予" if awarded else "已撤销",
            "time": format_local(now), "page": HOME_PAGE}


def broadcast_parts(text, title, now):
    """An administrator's one-off notice."""
    return {"text": f"【{title}】{text}", "title": title, "detail": text, "time": format_local(now),
            "page": HOME_PAGE}
