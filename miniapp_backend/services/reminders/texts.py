"""What reminders, digests and status notices say: one text for chat, parts for templates.

`text` is the customer-service message; `title`/`detail`/`status`/`time` fill the template and
subscribe keywords (notice_templates.yaml; the notification service cuts them to WeChat's
limits); `page` opens the mini-program where the reader can act.
"""
from dataclasses import dataclass

from miniapp_backend.clock import format_day, format_local, local_today
from miniapp_backend.services import countdown
from miniapp_backend.services.campaigns import kind_title
from miniapp_backend.services.reminders.concerns import RECTIFY

# The chat keyword that lists a unit's kinds and resumes its draft (the bot's 申报 command).
CHAT_KEYWORD = "申报"
HOME_PAGE = "pages/index/index"
APPLICATION_PAGE = "pages/application/detail?id={id}"
WHERE_TO_FILL = f"在公众号发送“{CHAT_KEYWORD}”，或打开小程序的“我的申报”页面。"
START_HINT = f"开始填报：{WHERE_TO_FILL}"
CONTINUE_HINT = f"继续填报：{WHERE_TO_FILL}"
PAPER_HINT = "上传盖章页：打开小程序的“我的申报”页面，进入这份申报。"
# Where a reviewer decides: the admin web's 申报审核 page with its 待我审核 filter.
REVIEW_PATH = "/admin/applications?mine=1"
REVIEW_HINT = "请登录管理后台，在“申报审核”页勾选“待我审核”处理"
DIGEST_LINES = 10
MISSING_WORDS = (("item", "{n}项未填"), ("field", "{n}个栏目未填"), ("photo", "{n}张照片"),
                 ("invalid", "{n}处需更正"))


@dataclass(frozen=True)
class DraftFacts:
    """What a reminder tells about an application: its Progress, its forms [(code, title)] in
    order and, once returned, the union that returned it and what it asked for (lines); once
    submitted, the label of the paper step it waits for (the unit's stamped pages)."""

    state: object
    forms: list
    returned_by: str = ""
    review: tuple = ()
    paper_step: str = ""


def _counts(missing):
    """“3项未填、2张照片” of some Missing entries ("" when none)."""
    return "、".join(word.format(n=n) for kind, word in MISSING_WORDS
                    if (n := sum(1 for m in missing if m.kind == kind)))


def missing_summary(state):
    """“还差3项未填、2张照片” from a Progress, or "" when nothing is missing (short: template keywords)."""
    parts = [part for part in (_counts(state.missing), *(m.label for m in state.missing_of("material"))) if part]
    return "还差" + "、".join(parts) if parts else ""


def missing_by_form(facts):
    """“《…验收单》还差3项未填、2张照片；还差会员评家报告（PDF）”: which paper lacks what ("" when none)."""
    parts = [f"《{title}》还差{counts}" for code, title in facts.forms
             if (counts := _counts([m for m in facts.state.missing if m.form == code]))]
    materials = [m.label for m in facts.state.missing_of("material")]
    if materials:
        parts.append("还差" + "、".join(materials))
    return "；".join(parts)


def _state_lines(facts):
    """Where the subject stands: (short, for template keywords; full, for the text)."""
    if facts is None:
        return "尚未开始填报", "尚未开始填报"
    if facts.paper_step:
        return "已提交，盖章页尚未上传", (f"已提交，还差“{facts.paper_step}”：请打印申报材料（小程序“申报详情”中的PDF），"
                                   "签署意见并盖章后上传扫描件，审核才会开始")
    summary, by_form = missing_summary(facts.state), missing_by_form(facts)
    if facts.returned_by:
        return summary or "请按审核意见修改", "；".join(filter(None, [by_form, "请按审核意见修改后重新提交"]))
    if summary:
        return summary, by_form
    return "内容已齐全，请工会主席确认后提交", "内容已齐全，请工会主席确认后回复“提交”"


def contact_line(contact):
    """“申报事宜请联系区总工会组宣部（邮箱 …）。” from a campaign's contact ("" without one)."""
    if not contact:
        return ""
    email = f"（邮箱 {contact['email']}）" if contact.get("email") else ""
    return f"申报事宜请联系{contact.get('department', '区总工会组宣部')}{email}。"


def reminder_parts(concern, subject_name, facts, today, contact=None):
    """The parts of one deadline reminder: `facts` are the application's (None when not started),
    `contact` the campaign's (a returned application's questions go to the union that returned it).
    The days left (“还有3天”) are counted from `today` and again on the day it goes out (countdown)."""
    when = format_day(concern.deadline)
    if concern.label.startswith(RECTIFY):
        head = f"退回整改的申报须于{when}前修改后重新提交（{countdown.SLOT}）。"
    else:
        head = f"申报将于{when}截止（{countdown.SLOT}）。"
    lines = [f"【{concern.title}】{head}"]
    returned_by = facts.returned_by if facts is not None else ""
    if returned_by:
        lines += [f"退回单位：{returned_by}", *facts.review]
    detail, state_line = _state_lines(facts)
    hint = START_HINT if facts is None else PAPER_HINT if facts.paper_step else CONTINUE_HINT
    lines += [f"{subject_name}：{state_line}。", hint,
              f"如有疑问请联系{returned_by}。" if returned_by else contact_line(contact)]
    page = (APPLICATION_PAGE.format(id=concern.application_id) if concern.application_id
            else HOME_PAGE)
    parts = {"text": "\n".join(filter(None, lines)), "title": concern.title, "detail": detail,
             "time": f"{concern.deadline.isoformat()} 23:59", "page": page}
    return countdown.fill(parts, "deadline", concern.deadline, today)


def combined_reminder_parts(title, sections, today, contact=None):
    """One reminder for a person's several subjects of one kind with one date (a unit's 驿站
    drafts): `title` is the kind's, `sections` [(concern, subject name, facts)] in order; each
    subject gets a numbered line of what it lacks (and, once returned, what the reviewer asked)."""
    deadline = sections[0][0].deadline
    when = format_day(deadline)
    if all(concern.label.startswith(RECTIFY) for concern, _, _ in sections):
        head = f"{len(sections)}份退回整改的申报须于{when}前修改后重新提交（{countdown.SLOT}）。"
    else:
        head = f"{len(sections)}份申报将于{when}截止（{countdown.SLOT}）。"
    lines, hints, asks, shorts = [f"【{title}】{head}"], [], [], []
    for number, (concern, name, facts) in enumerate(sections, start=1):
        short, state_line = _state_lines(facts)
        returned_by = facts.returned_by if facts is not None else ""
        mark = f"（{returned_by}退回整改）" if returned_by else ""
        lines.append(f"{number}. {name}{mark}：{state_line}。")
        lines += [f"   {line}" for line in (facts.review if returned_by else ())]
        hints.append(START_HINT if facts is None else PAPER_HINT if facts.paper_step else CONTINUE_HINT)
        asks.append(f"如有疑问请联系{returned_by}。" if returned_by else contact_line(contact))
        shorts.append(short)
    lines += list(dict.fromkeys(hints)) + list(dict.fromkeys(filter(None, asks)))
    detail = shorts[0] if len(set(shorts)) == 1 else f"{len(sections)}份申报各有待办，详见全文"
    parts = {"text": "\n".join(lines), "title": f"{title}（{len(sections)}份）", "detail": detail,
             "time": f"{deadline.isoformat()} 23:59", "page": HOME_PAGE}
    return countdown.fill(parts, "deadline", deadline, today)


def digest_parts(waiting, now, acceptance_to=None, base_url=""):
    """A reviewer's daily digest: `waiting` is [(org name, title, waiting since)] oldest first;
    `acceptance_to` the last day of the acceptance period under way (its days left are counted
    again on the day the digest goes out); `base_url` (PUBLIC_BASE_URL) makes the hint a link."""
    lines = [f"【待审核汇总】有{len(waiting)}份申报等待您审核："]
    for number, (org_name, title, since) in enumerate(waiting[:DIGEST_LINES], start=1):
        lines.append(f"{number}. {org_name} {title}（{format_local(since, '%-m月%-d日')}提交）")
    if len(waiting) > DIGEST_LINES:
        lines.append(f"……另有{len(waiting) - DIGEST_LINES}份")
    if acceptance_to is not None:
        lines.append(countdown.SLOT)
    lines.append(f"{REVIEW_HINT}：{base_url}{REVIEW_PATH}" if base_url else f"{REVIEW_HINT}。")
    parts = {"text": "\n".join(lines), "title": f"待审核申报{len(waiting)}份",
             "detail": f"最早于{format_local(waiting[0][2], '%-m月%-d日')}提交",
             "time": format_local(now), "page": HOME_PAGE}
    return parts if acceptance_to is None else countdown.fill(parts, "acceptance", acceptance_to, local_today(now))


def honour_parts(label, year, awarded, now, reason=""):
    """A title awarded to, or revoked from, the reader's org."""
    if awarded:
        text = f"【{label}】祝贺！本单位获得{year}年度“{label}”称号。"
    else:
        text = f"【{label}】本单位{year}年度“{label}”称号已被撤销。原因：{reason}"
    return {"text": text, "title": kind_title(year, label), "status": "已授予" if awarded else "已撤销",
            "time": format_local(now), "page": HOME_PAGE}


# Where the district decides a proposal to revoke: the admin web's 荣誉档案 with its 待决定 filter.
PROPOSALS_PATH = "/admin/honours?proposal=pending"
PROPOSALS_HINT = "请登录管理后台，在“荣誉档案”页处理待区总工会决定的撤销建议"


def proposal_parts(label, year, org_name, findings, now, base_url=""):
    """A 系统工会 proposes revoking a title: the district admins are asked to decide; `base_url`
    (PUBLIC_BASE_URL) makes the hint a link."""
    lines = [f"【{label}】复验后建议撤销{org_name}{year}年度“{label}”称号，待区总工会决定。",
             f"复验情况：{findings}",
             f"{PROPOSALS_HINT}：{base_url}{PROPOSALS_PATH}" if base_url else f"{PROPOSALS_HINT}。"]
    return {"text": "\n".join(lines), "title": kind_title(year, label), "status": "建议撤销",
            "time": format_local(now), "page": HOME_PAGE}


# Where a 系统工会 (or, for a 直属 unit, the 区总工会) confirms a declared 合格: the 荣誉档案 filtered.
DECLARED_PATH = "/admin/honours?status=declared"
DECLARED_HINT = "请登录管理后台，在“荣誉档案”页筛选“待确认”，核实会员代表大会决定后确认"


def declared_parts(label, org_name, congress_date, now, base_url=""):
    """A unit's chair declared a 合格 title: the admins who confirm it are asked to; `base_url`
    (PUBLIC_BASE_URL) makes the hint a link."""
    lines = [f"【{label}】{org_name}申报“{label}”（会员代表大会{format_day(congress_date)}决定），待您确认。",
             f"{DECLARED_HINT}：{base_url}{DECLARED_PATH}" if base_url else f"{DECLARED_HINT}。"]
    return {"text": "\n".join(lines), "title": kind_title(congress_date.year, label), "status": "待确认",
            "time": format_local(now), "page": HOME_PAGE}


def refused_parts(label, congress_date, confirmer, reason, now):
    """The union that confirms a declared 合格 refused it: the unit's chair hears why, and that it
    may declare again."""
    text = (f"【{label}】本单位申报的“{label}”（会员代表大会{format_day(congress_date)}决定）未予确认。"
            f"理由：{reason}\n整改后可经会员代表大会决定重新申报，由{confirmer}确认。")
    return {"text": text, "title": kind_title(congress_date.year, label), "status": "未予确认",
            "time": format_local(now), "page": HOME_PAGE}


def proposal_outcome_parts(label, year, org_name, revoked, reason, now):
    """The district answered a proposal to revoke: the 系统工会 admins hear the outcome and why."""
    if revoked:
        text = f"【{label}】区总工会已采纳撤销建议，撤销{org_name}{year}年度“{label}”称号。原因：{reason}"
    else:
        text = f"【{label}】区总工会决定不撤销{org_name}{year}年度“{label}”称号，称号保持。理由：{reason}"
    return {"text": text, "title": kind_title(year, label), "status": "已撤销" if revoked else "不予撤销",
            "time": format_local(now), "page": HOME_PAGE}


def broadcast_parts(text, title, now):
    """An administrator's one-off notice."""
    return {"text": f"【{title}】{text}", "title": title, "detail": text, "time": format_local(now),
            "page": HOME_PAGE}
