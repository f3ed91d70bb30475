"""Drafts shared with chat: start or resume, read with progress and remarks, autosave answers.

Every answer carries its revision; a write based on an older revision of the same answer is
refused with the current value, so chat and mini-program never overwrite each other silently.
"""
from miniapp_backend.api import access, bp, context
from miniapp_backend.api.converters import ID_MAX
from miniapp_backend.api.errors import ApiError
from miniapp_backend.api.evidence import EvidenceFile, evidence_view
from miniapp_backend.api.operations import operation
from miniapp_backend.api.presenters import ApplicationView, ProgressView, application_view, progress_view
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, any_value, identifier, integer, mapping, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.api.shapes import moment, timestamp
from miniapp_backend.models import ApplicationKind, Channel, Station
from miniapp_backend.services import answer_rules, campaigns, drafts, review
from miniapp_backend.services.errors import NotFound, RevisionConflict, ValidationFailed
from miniapp_backend.services.progress import progress

TAG = "草稿"
ANSWER_KEY = r"^[a-z][a-z0-9_]*:(?:item\.[1-9][0-9]{0,2}|[a-z][a-z0-9_]*)$"
ANSWER_KEY_HINT = "应为 <表单>:<字段> 或 <表单>:item.<序号>（序号从1起），如 model_home_checklist:item.3"
MAX_ANSWERS_PER_PATCH = 100
STATION_SUBJECT = "station"

DraftStart = Schema("DraftStart", {
    "kind": string("申报类别", enum=[k.value for k in ApplicationKind]),
    "org_id": identifier("组织编号", description="只在一个组织任职时可不填"),
    "station_id": identifier("驿站编号", description="暖心驿站申报必填"),
}, required=["kind"])
AnswerView = Schema("Answer", {
    "value": any_value("答案"), "revision": integer("版本", description="下次修改时原样带回"),
    "channel": string("最后修改的渠道", description="miniapp、chat、prefill 等"),
    "updated_at": timestamp("修改时间"),
}, required=["value", "revision"], closed=False)
Remark = Schema("Remark", {"step": string("审核栏"), "level": string("层级"), "text": string("意见")},
                required=["step", "text"], closed=False)
Draft = Schema("Draft", {
    "application": ApplicationView.ref,
    "answers": mapping("已有答案", AnswerView.ref, description="键为答案键；没有的键版本按 0 计"),
    "progress": ProgressView.ref,
    "remarks": mapping("审核人的逐项意见", {"type": "array", "items": Remark.ref}),
    "evidence": mapping("各位置的文件", {"type": "array", "items": EvidenceFile.ref}),
}, required=["application", "answers", "progress", "remarks", "evidence"], closed=False)
AnswerWrite = Schema("AnswerWrite", {
    "value": any_value("答案", description="字段为文字/数字/名册行；条目为 {done: 是否, note: 说明}；null 为清空"),
    "revision": integer("基于的版本", minimum=0, maximum=ID_MAX, description="读到的版本；从未填过的为 0"),
}, required=["value", "revision"], title="答案")
AnswersPatch = Schema("AnswersPatch", {
    "answers": mapping("答案", AnswerWrite.ref, key_pattern=ANSWER_KEY, key_hint=ANSWER_KEY_HINT,
                       min_properties=1, max_properties=MAX_ANSWERS_PER_PATCH,
                       description="键为 <表单>:<字段> 或 <表单>:item.<序号>"),
}, required=["answers"])
Conflict = Schema("AnswerConflict", {
    "message": string("说明"), "value": any_value("当前值"), "revision": integer("当前版本"),
    "channel": string("修改它的渠道"),
}, required=["message", "value", "revision"], closed=False)
Saved = Schema("AnswersSaved", {
    "saved": mapping("已保存", AnswerView.ref),
    "rejected": mapping("未保存：不合格的值", string("原因")),
    "conflicts": mapping("未保存：已在另一端修改", Conflict.ref),
    "progress": ProgressView.ref,
}, required=["saved", "rejected", "conflicts", "progress"], closed=False,
   description="部分成功时仍为 200：saved 之外的键在 rejected 或 conflicts 里逐项说明。")


def answer_view(answer):
    """One stored answer with its revision."""
    if answer is None:
        return {"value": None, "revision": 0, "channel": "", "updated_at": None}
    return {"value": answer.value, "revision": answer.revision, "channel": answer.channel,
            "updated_at": moment(answer.updated_at)}


def remarks_of(application):
    """Reviewers' per-item remarks on the current version, by answer key."""
    remarks = {}
    for step in review.steps_of(application):
        for key, text in (step.remarks or {}).items():
            remarks.setdefault(key, []).append({"step": step.label, "level": step.level, "text": text})
    return remarks


def draft_view(application, person):
    """Answers, progress, remarks and evidence of one application."""
    return {
        "application": application_view(application, person),
        "answers": {key: answer_view(a) for key, a in drafts.answers_of(application).items()},
        "progress": progress_view(progress(application)),
        "remarks": remarks_of(application),
        "evidence": evidence_view(application, person),
    }


@bp.post("/drafts")
@operation("新建或继续草稿（与公众号聊天填报共用同一份）", tag=TAG, bucket=Bucket.WRITE,
           body=DraftStart, response=Draft, errors=(403, 404, 422))
def start(body):
    """The org's live application of `kind` in the current round, created if new."""
    person = current_person()
    today = context.today()
    org = access.fill_org(person, body.get("org_id"))
    campaign = campaigns.current_campaign(today)
    if campaign is None:
        raise NotFound("当前没有进行中的申报工作")
    station = _station(campaign, org, body) if "station_id" in body else None
    application = drafts.start_or_resume(person, org, campaign, body["kind"], station=station, today=today)
    return draft_view(application, person)


def _station(campaign, org, body):
    """The station a station-subject application is for (other kinds take none)."""
    if campaigns.kind_spec(campaign, body["kind"]).subject != STATION_SUBJECT:
        raise ValidationFailed("这类申报以单位为对象，不需要选择驿站", key="station_id")
    station = Station.get_or_none(Station.id == body["station_id"])
    # Another org's unpublished station is as unknown as a missing one: ids reveal nothing.
    if station is None or (station.org_id != org.id and not station.public):
        raise NotFound("没有这个驿站")
    return station


@bp.get("/drafts/<id:application_id>")
@operation("草稿内容：答案与版本、进度、缺少的内容、审核人逐项意见、照片", tag=TAG,
           response=Draft, errors=(404,))
def get_draft(application_id):
    """One draft as the mini-program renders it."""
    person = current_person()
    return draft_view(access.application_for(person, application_id), person)


def _write(application, person, key, write):
    """Store or clear one answer based on the revision the client read."""
    common = {"base_revision": write["revision"], "channel": Channel.MINIAPP.value,
              "today": context.today()}
    if write["value"] is None:
        return drafts.clear_answer(application, person, key, **common)
    return drafts.write_answer(application, person, key, write["value"], **common)


@bp.patch("/drafts/<id:application_id>/answers")
@operation("保存答案（可只传改动的几项，逐项校验、逐项报告）", tag=TAG, bucket=Bucket.WRITE,
           body=AnswersPatch, response=Saved, errors=(403, 404, 409, 422),
           description="全部未保存时：有冲突为 409，否则 422；error.details 里有 rejected 与 conflicts。"
                       "表单的跨字段规则（如实到人数不能多于应到人数）按本次各项都保存后的值检查，"
                       "与公众号填报一样拒绝违反规则的值。")
def patch_answers(application_id, body):
    """Save the valid answers; report each invalid or conflicting one by its key."""
    person = current_person()
    application = access.application_for(person, application_id)
    drafts.require_editable(application, person, today=context.today())
    writes = body["answers"]
    saved, conflicts = {}, {}
    rejected = answer_rules.refused_across(
        application, {key: (w["value"], w["revision"]) for key, w in writes.items()}, today=context.today())
    for key, write in writes.items():
        if key in rejected:
            continue
        try:
            saved[key] = answer_view(_write(application, person, key, write))
        except RevisionConflict as exc:
            conflicts[key] = {"message": exc.message, "value": exc.details.get("value"),
                              "revision": exc.details.get("revision"),
                              "channel": exc.details.get("channel", "")}
        except ValidationFailed as exc:
            rejected[key] = exc.message
    if not saved:
        _refuse_all(rejected, conflicts)
    return {"saved": saved, "rejected": rejected, "conflicts": conflicts,
            "progress": progress_view(progress(application))}


def _refuse_all(rejected, conflicts):
    """Nothing was saved: 409 when another channel changed a field first, else 422."""
    fields = {**rejected, **{key: c["message"] for key, c in conflicts.items()}}
    if conflicts:
        raise ApiError(409, "conflict", "这些项已在另一端被修改，请确认当前值后再保存", fields,
                       conflicts=conflicts, rejected=rejected)
    raise ApiError(422, "validation", "填写的内容有误，请按提示修改", fields, rejected=rejected)
