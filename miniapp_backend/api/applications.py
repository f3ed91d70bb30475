"""Tracking applications: what I may file, my applications, status, history, opinions, submit."""
from urllib.parse import quote


from miniapp_backend.api import access, bp, context, packets
from miniapp_backend.api.operations import FileResponse, operation
from miniapp_backend.api.presenters import (
    ApplicationView, Event, Round, STATUS, Step, application_view, event_view, events_of, step_view)
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, array, boolean, identifier, integer, nullable, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.api.shapes import OrgRef, date, day, org_view
from miniapp_backend.downloads import send_named
from miniapp_backend.models import Application, ApplicationKind
from miniapp_backend.services import campaigns, eligibility, permissions, review, submissions
from miniapp_backend.services.errors import NotFound

TAG = "申报"
PACKET_NOTE_HEADER = "X-Packet-Note"
PAGE_SIZE, MAX_PAGE, MAX_OFFSET = 50, 200, 1_000_000

KindOption = Schema("KindOption", {
    "kind": string("申报类别", enum=[k.value for k in ApplicationKind]), "label": string("名称"),
    "subject": string("申报对象", enum=["org", "station"]), "forms": array("组成表单", string("表单代码")),
    "allowed": boolean("现在可以申报"), "reasons": array("不能申报的原因", string("原因")),
    "round": nullable(Round.ref), "deadline": date("截止日期"),
    "application_id": nullable(integer("已有申报编号")),
    "target": integer("计划数量"), "funding_yuan": integer("补助金额（元）"),
}, required=["kind", "label", "allowed", "reasons", "forms"], closed=False)
OrgOptions = Schema("OrgOptions", {"org": OrgRef.ref, "kinds": array("申报类别", KindOption.ref)},
                    required=["org", "kinds"], closed=False)
Options = Schema("ApplicationOptions", {
    "campaign": nullable(integer("年度")), "title": string("年度工作名称"),
    "orgs": array("我能填报的组织", OrgOptions.ref),
}, required=["campaign", "orgs"], closed=False)
OptionsQuery = Schema("OptionsQuery", {"org_id": identifier("组织编号")})
ListQuery = Schema("ApplicationListQuery", {
    "status": STATUS, "org_id": identifier("组织编号"),
    "limit": integer("每页条数", minimum=1, maximum=MAX_PAGE, default=PAGE_SIZE),
    "offset": integer("跳过条数", minimum=0, maximum=MAX_OFFSET, default=0),
})
ApplicationList = Schema("ApplicationList", {
    "total": integer("总数"), "applications": array("申报", ApplicationView.ref),
}, required=["total", "applications"], closed=False)
History = Schema("History", {"events": array("状态变化", Event.ref)}, required=["events"], closed=False)
ReviewsQuery = Schema("ReviewsQuery", {"version": identifier("第几版")})
Reviews = Schema("Reviews", {
    "version": integer("第几版"), "rectify_deadline": date("整改截止"), "steps": array("审核环节", Step.ref),
}, required=["version", "steps"], closed=False)


def _kind_view(option):
    """One kind the org might file, with its round, deadline and reasons."""
    round_ = option.round
    return {
        "kind": option.spec.kind, "label": option.spec.label, "subject": option.spec.subject,
        "forms": list(option.spec.parts), "allowed": option.allowed, "reasons": option.reasons,
        "round": {"name": round_.name, "opens_on": day(round_.opens_on),
                  "closes_on": day(round_.closes_on)} if round_ else None,
        "deadline": day(round_.closes_on) if round_ else None,
        "application_id": option.application.id if option.application else None,
        "target": option.spec.target, "funding_yuan": option.spec.funding_yuan,
    }


@bp.get("/applications/options")
@operation("我能申报的类别：批次、截止日期、资格与原因", tag=TAG, query=OptionsQuery,
           response=Options, errors=(404,))
def options(query):
    """For each org the person files for: every kind, allowed or not, with reasons."""
    today = context.today()
    campaign = campaigns.current_campaign(today)
    orgs = access.fill_orgs(current_person(), query.get("org_id"))
    if campaign is None:
        return {"campaign": None, "title": "", "orgs": []}
    return {"campaign": campaign.year, "title": campaign.title,
            "orgs": [{"org": org_view(org),
                      "kinds": [_kind_view(o) for o in eligibility.options_for(org, campaign, today)]}
                     for org in orgs]}


@bp.get("/applications")
@operation("我能看到的申报（本单位的、待我审核的、下级的）", tag=TAG, query=ListQuery,
           response=ApplicationList)
def list_applications(query):
    """Applications visible to the person, newest change first."""
    person = current_person()
    found = permissions.visible_applications(person)
    if "status" in query:
        found = found.where(Application.status == query["status"])
    if "org_id" in query:
        found = found.where(Application.org == query["org_id"])
    total = found.count()
    page = found.order_by(Application.updated_at.desc(), Application.id.desc())
    page = page.limit(query["limit"]).offset(query["offset"])
    return {"total": total, "applications": [application_view(a, person) for a in page]}


@bp.get("/applications/<id:application_id>")
@operation("申报的状态、批次、整改截止和当前审核环节", tag=TAG, response=ApplicationView,
           errors=(404,))
def get_application(application_id):
    """One application."""
    person = current_person()
    return application_view(access.application_for(person, application_id), person)


@bp.get("/applications/<id:application_id>/history")
@operation("申报的状态变化记录", tag=TAG, response=History, errors=(404,))
def history(application_id):
    """Every status change, oldest first."""
    application = access.application_for(current_person(), application_id)
    return {"events": [event_view(e) for e in events_of(application)]}


@bp.get("/applications/<id:application_id>/reviews")
@operation("审核意见和逐项意见（默认当前版本）", tag=TAG, query=ReviewsQuery, response=Reviews,
           errors=(404,))
def reviews(application_id, query):
    """The review steps of one submitted version, with opinions and per-item remarks."""
    application = access.application_for(current_person(), application_id)
    version = query.get("version", application.version)
    if version > application.version:
        raise NotFound(f"这份申报只提交过{application.version}版" if application.version
                       else "这份申报还没有提交过，没有审核意见")
    return {"version": version, "rectify_deadline": day(application.rectify_deadline),
            "steps": [step_view(s) for s in review.steps_of(application, version)]}


@bp.post("/applications/<id:application_id>/submit")
@operation("提交申报（缺少内容时拒绝并列出缺少什么）", tag=TAG, bucket=Bucket.WRITE,
           response=ApplicationView, errors=(403, 404, 409, 422))
def submit(application_id):
    """Submit as the chair (the domain refuses with the exact missing list); the packet follows."""
    person = current_person()
    application = submissions.submit(access.application_for(person, application_id), person,
                                     today=context.today())
    packets.request_packet(application)
    return application_view(application, person)


@bp.post("/applications/<id:application_id>/withdraw")
@operation("撤回申报（审核人处理之前）", tag=TAG, bucket=Bucket.WRITE, response=ApplicationView,
           errors=(403, 404, 409))
def withdraw(application_id):
    """Take a submission back to draft."""
    person = current_person()
    application = access.application_for(person, application_id)
    return application_view(submissions.withdraw(application, person, today=context.today()), person)


@bp.post("/applications/<id:application_id>/paper-step")
@operation("确认盖章页已上传（单位盖章环节完成）", tag=TAG, bucket=Bucket.WRITE,
           response=ApplicationView, errors=(403, 404, 409),
           description="先把盖章页扫描件上传到 stamped:<层级> 位置。")
def complete_paper_step(application_id):
    """The unit confirms its stamped pages; the chain moves on and the packet is made anew."""
    person = current_person()
    application = review.complete_paper_step(access.application_for(person, application_id), person)
    packets.request_packet(application)
    return application_view(application, person)


@bp.get("/applications/<id:application_id>/packet.pdf")
@operation("申报材料包（PDF，供 wx.downloadFile + wx.openDocument）", tag=TAG,
           response=FileResponse(("application/pdf",)), errors=(404,),
           description=f"版式已更新而材料包仍是旧版式时：仍返回旧版式的文件，同时重新生成，并在响应头 "
                       f"{PACKET_NOTE_HEADER} 中给出说明（UTF-8 百分号编码）。")
def packet(application_id):
    """The newest finished packet, once the packet job has made one; one drawn by an older layout
    is served while it is compiled again, with a note in a header."""
    application = access.application_for(current_person(), application_id)
    path = packets.packet_path(application)
    if path is None or not path.exists():
        raise NotFound(packets.missing_message(application))
    response = send_named(path, f"申报材料-{application.id}.pdf", f"packet-{application.id}.pdf",
                          mimetype="application/pdf")
    note = packets.refresh_outdated(application)
    if note:
        response.headers[PACKET_NOTE_HEADER] = quote(note)
    return response
