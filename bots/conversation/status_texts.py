"""What the chat says about where an application stands: progress and what is missing, the
review a submission waits for, its status, and what a reviewer who returned it asked for."""
from bots.conversation.render import ranges
from bots.conversation.replies import warnings
from miniapp_backend.clock import format_day

DRAFT_NOTE = "【{status} {counts}】"

CANNOT_SUBMIT = "还不能提交，缺少：\n{missing}"
REVIEW_READY = "《{title}》已全部填完。回复“提交”提交申报，或回复“第N项”修改。"
RETURNED_READY = "《{title}》退回整改中：回复“进度”查看审核意见，回复“第N项”修改，改好后回复“提交”重新提交。"
RETURNED_OVERDUE = "《{title}》整改截止已过，不能再修改或重新提交；回复“进度”查看审核意见和还能做什么。"

STATUS_TEXT = "《{title}》当前状态：{status}。\n{next}"
# What may be done next, by status (a decided application has nothing left to change in chat).
STATUS_NEXT = {"submitted": "如需修改请回复“撤回”（审核人处理前、申报期内可撤回）。",
               "approved": "已通过，无需再修改。新的申报请回复“申报”。",
               "rejected": "未予通过，不能再修改；如有疑问请联系审核的工会。"}


def status_text(title, status_label, status):
    """A submitted or decided application: where it stands and what may be done next."""
    return STATUS_TEXT.format(title=title, status=status_label, next=STATUS_NEXT.get(status, ""))


# A returned application: what the reviewer asked for, on opening it and at each remarked step.
RETURNED_BY = "{org}退回整改。"
RETURN_OPINION = "审核意见：{opinion}"
RETURN_REMARKS = "逐项意见：\n{lines}"
REMARK_LINE = "· {where}：{text}"
RETURN_DEADLINE = "请于{deadline}前修改，改好后回复“提交”重新提交。"
RETURN_OVERDUE = "{advice}如有疑问请联系{org}。"
REVIEW_REMARK = "审核意见：{text}"


def return_feedback(org, opinion, remarks, deadline, overdue_advice=""):
    """The reviewer's opinion, per-step remarks and 整改截止 (once it has passed, `overdue_advice`:
    what the unit may still do), one paragraph."""
    lines = [RETURNED_BY.format(org=org)]
    if opinion:
        lines.append(RETURN_OPINION.format(opinion=opinion))
    if remarks:
        lines.append(RETURN_REMARKS.format(lines="\n".join(remarks)))
    if overdue_advice:
        lines.append(RETURN_OVERDUE.format(advice=overdue_advice, org=org))
    elif deadline:
        lines.append(RETURN_DEADLINE.format(deadline=format_day(deadline)))
    return "\n".join(lines)


def missing_report(missing, form_names, many_forms, field_place):
    """Exactly what is missing, items condensed to ranges; fields as `field_place(key)` names them
    (with the number that opens them)."""
    lines = []
    for form, name in form_names.items():
        prefix = name if many_forms else ""
        mine = [m for m in missing if m.form == form]
        for kind, word in (("item", "未答"), ("photo", "缺照片")):
            numbers = [m.item_no for m in mine if m.kind == kind]
            if numbers:
                lines.append(f"{prefix}{word}：第{ranges(numbers)}项")
        fields = [field_place(m.key) for m in mine if m.kind == "field"]
        if fields:
            lines.append(f"{prefix}未填：" + "、".join(fields))
    lines += [f"需修正：{m.label}" for m in missing if m.kind == "invalid"]
    lines += [f"缺材料：{m.label}——请在小程序中上传" for m in missing if m.kind == "material"]
    return "\n".join(lines)


def photos_saving(numbers):
    """Photos received but still being saved by the download job."""
    return f"照片正在保存：第{ranges(numbers)}项（几秒钟后即可提交）" if numbers else ""


def progress_counts(state, with_photos=False):
    """“已答21/21项，信息6/6项(，照片21张)”: items only where the forms have any."""
    counts = [f"已答{state.items_answered}/{state.items_total}项"] * bool(state.items_total)
    counts += [f"信息{state.fields_answered}/{state.fields_total}项"] + [f"照片{state.photos}张"] * with_photos
    return "，".join(counts)


def progress_report(title, status_label, state, tail):
    """进度: counts (items only where the forms have any), then `tail` (what is missing, or
    what may be done in this status) and warnings."""
    head = f"《{title}》（{status_label}）\n{progress_counts(state, with_photos=True)}。"
    return "\n".join([head] + [tail] * bool(tail) + [warnings(state.warnings)] * bool(state.warnings))


WINDOW_CLOSED = ("填报期限已过（截止{deadline}），这份草稿不能再修改和提交。"
                 "现在可以申报的类型请回复“申报”查看。")
PROGRESS_COMPLETE = "全部填完，可以回复“提交”。"
PROGRESS_IN_REVIEW = "正在审核，审核期间不能修改；审核结果会通过公众号消息通知您。"
OWN_STAMP = "本单位盖章页"
PAPER_STEP = ("现在等本单位盖章，还差“{label}”：请打印申报材料（小程序“申报详情”中的PDF），"
              "签署意见并盖章后，在小程序上传盖章页扫描件，审核才会继续。")


def fill_hint(form_names):
    """How to open a missing step: by number, naming the form when there are several."""
    if len(form_names) > 1:
        return "回复“" + "”或“".join(f"{name}第N项" for name in form_names) + "”补填。"
    return "回复“第N项”补填。"


def submitted(title, version, chain):
    """提交 accepted."""
    return (f"《{title}》第{version}版已提交，审核顺序：{' → '.join(chain)}。\n"
            "审核结果会通过公众号消息通知您；审核人处理前可回复“撤回”。")


def review_waiting(title, numbers):
    """All answered; some photos still being saved."""
    return f"《{title}》已全部填完。{photos_saving(numbers)}，之后回复“提交”。"
