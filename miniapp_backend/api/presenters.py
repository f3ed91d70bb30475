"""Applications, review steps, status events and progress as the mini-program sees them."""
from miniapp_backend.api import context
from miniapp_backend.api.schemas import (
    Schema, array, boolean, integer, mapping, nullable, string)
from miniapp_backend.api.shapes import OrgRef, date, day, moment, org_view, timestamp
from miniapp_backend.models import (
    APP_STATUS_LABELS, AppStatus, ApplicationKind, StatusEvent, StepMode, StepStatus)
from miniapp_backend.services import campaigns, drafts, eligibility, permissions, review, submissions, windows

STATUS = string("状态", enum=[s.value for s in AppStatus])
Round = Schema("Round", {
    "name": string("批次"), "opens_on": date("开始日期"), "closes_on": date("截止日期"),
}, required=["name", "opens_on", "closes_on"], closed=False)
StationRef = Schema("StationRef", {"id": integer("驿站编号"), "name": string("驿站名称")},
                    required=["id", "name"], closed=False)
Step = Schema("ReviewStep", {
    "version": integer("第几版"), "seq": integer("顺序"), "level": string("层级"),
    "label": string("审核栏"), "mode": string("方式", enum=[m.value for m in StepMode]),
    "status": string("状态", enum=[s.value for s in StepStatus]),
    "org": nullable(OrgRef.ref), "reviewer": string("审核人"), "opinion": string("意见"),
    "remarks": mapping("逐项意见", string("意见"), description="键为答案键，如 model_home_checklist:item.3"),
    "rectify_deadline": date("整改截止"), "decided_at": timestamp("审核时间"),
}, required=["version", "seq", "level", "label", "mode", "status", "opinion", "remarks"], closed=False)
ApplicationView = Schema("Application", {
    "id": integer("申报编号"), "kind": string("申报类别", enum=[k.value for k in ApplicationKind]),
    "kind_label": string("类别名称"), "campaign": integer("年度"), "round": Round.ref,
    "org": OrgRef.ref, "station": nullable(StationRef.ref), "status": STATUS,
    "status_label": string("状态名称", description="整改截止已过的退回整改为“退回整改（已逾期）”"),
    "rectify_overdue": boolean("整改已逾期", description="退回整改且整改截止已过：不能再修改或重新提交"),
    "overdue_advice": string("逾期后还能做什么", description="整改已逾期时说明（如可在哪个批次重新申报），否则为空"),
    "version": integer("已提交版本数"),
    "forms": array("组成表单", string("表单代码"), description="用 GET /forms/{campaign}/{code} 取模板"),
    "editable_until": date("可修改至", description="退回整改时为整改截止，否则为批次截止"),
    "rectify_deadline": date("整改截止"), "created_at": timestamp("创建时间"),
    "updated_at": timestamp("更新时间"), "submitted_at": timestamp("提交时间"),
    "decided_at": timestamp("审结时间"), "current_step": nullable(Step.ref),
    "can_edit": boolean("我现在能填写", description="角色、状态与期限都允许时为 true"),
    "can_submit": boolean("我现在能提交", description="能填写且是本单位工会主席时为 true；内容是否齐全见草稿的 progress"),
    "can_withdraw": boolean("我现在能撤回", description="审核中、审核人尚未处理、申报期未过且是本单位工会主席时为 true"),
}, required=["id", "kind", "status", "org", "round", "version", "forms", "can_edit", "can_submit",
             "can_withdraw"],
   closed=False)
Missing = Schema("Missing", {
    "key": string("键"), "kind": string("类别", enum=["field", "item", "photo", "invalid", "material"]),
    "label": string("说明"), "form": string("表单代码"), "item_no": nullable(integer("条目序号")),
}, required=["key", "kind", "label"], closed=False)
ProgressView = Schema("Progress", {
    "items_total": integer("条目总数"), "items_answered": integer("已答条目"),
    "fields_total": integer("字段数：必填的与已填的选填字段"), "fields_answered": integer("已填字段"),
    "photos": integer("照片数"), "complete": boolean("可以提交"),
    "missing": array("缺少的内容（文档顺序）", Missing.ref),
    "missing_photos": array("缺照片的条目", string("答案键")),
    "warnings": array("提醒", string("提醒")),
}, required=["complete", "missing", "missing_photos", "warnings"], closed=False)
Event = Schema("StatusEvent", {
    "from_status": string("原状态"), "to_status": STATUS, "to_label": string("新状态名称"),
    "note": string("说明"), "actor": string("操作人"), "at": timestamp("时间"),
}, required=["to_status", "to_label", "note", "at"], closed=False)


def station_ref(station):
    """A station's id and name, or None."""
    return {"id": station.id, "name": station.name} if station is not None else None


def step_view(step):
    """One review step with its opinion and per-item remarks."""
    return {
        "version": step.version, "seq": step.seq, "level": step.level, "label": step.label,
        "mode": step.mode, "status": step.status, "org": org_view(step.org) if step.org else None,
        "reviewer": step.reviewer.name if step.reviewer else "", "opinion": step.opinion,
        "remarks": step.remarks or {}, "rectify_deadline": day(step.rectify_deadline),
        "decided_at": moment(step.decided_at),
    }


def application_view(application, person):
    """Where an application stands, and what this person may do with it."""
    spec = campaigns.kind_spec(application.campaign, application.kind)
    step = review.current_step(application) if application.status == AppStatus.SUBMITTED else None
    round_ = application.round
    today = context.today()
    editable = drafts.is_editable(application, person, today)
    return {
        "id": application.id, "kind": application.kind, "kind_label": spec.label,
        "campaign": application.campaign.year,
        "round": {"name": round_.name, "opens_on": day(round_.opens_on), "closes_on": day(round_.closes_on)},
        "org": org_view(application.org), "station": station_ref(application.station),
        "status": application.status, "status_label": windows.status_text(application, today),
        "rectify_overdue": windows.rectify_overdue(application, today),
        "overdue_advice": eligibility.after_rectify_deadline(application, today),
        "version": application.version, "forms": list(spec.parts),
        "editable_until": day(windows.editable_until(application)),
        "rectify_deadline": day(application.rectify_deadline),
        "created_at": moment(application.created_at), "updated_at": moment(application.updated_at),
        "submitted_at": moment(application.submitted_at), "decided_at": moment(application.decided_at),
        "current_step": step_view(step) if step else None,
        "can_edit": editable,
        "can_submit": editable and permissions.can_submit(person, application.org),
        "can_withdraw": (application.status == AppStatus.SUBMITTED
                         and submissions.may_withdraw(application, person, today)),
    }


def event_view(event):
    """One status change."""
    return {"from_status": event.from_status, "to_status": event.to_status,
            "to_label": APP_STATUS_LABELS[AppStatus(event.to_status)], "note": event.note,
            "actor": event.actor.name if event.actor else "", "at": moment(event.created_at)}


def events_of(application):
    """The status history, oldest first."""
    return list(StatusEvent.select().where(StatusEvent.application == application)
                .order_by(StatusEvent.id))


def progress_view(state):
    """Counts, the exact missing list and warnings of a Progress."""
    return {
        "items_total": state.items_total, "items_answered": state.items_answered,
        "fields_total": state.fields_total, "fields_answered": state.fields_answered,
        "photos": state.photos, "complete": state.complete,
        "missing": [{"key": m.key, "kind": m.kind, "label": m.label, "form": m.form,
                     "item_no": m.item_no} for m in state.missing],
        "missing_photos": [m.key for m in state.missing_of("photo")],
        "warnings": list(state.warnings),
    }

