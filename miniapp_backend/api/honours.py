"""A unit's titles, and the chair's declaration of 合格职工之家/小家 (decided by its 会员代表大会,
confirmed by the 系统工会). Thin over services/qualified.py; the admins who confirm are told at once."""
from miniapp_backend.api import access, bp, context
from miniapp_backend.api.honour_shapes import (
    DeclareQualified, HonourList, HonourView, ListQuery, declarable_view, honour_view)
from miniapp_backend.api.operations import operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import calendar_day
from miniapp_backend.api.sessions import current_person
from miniapp_backend.models import Honour, HonourKind, Org
from miniapp_backend.services import permissions, qualified
from miniapp_backend.services.reminders import events
from workers.queues import deliver_notices

TAG = "称号"


@bp.get("/honours")
@operation("本单位的称号：已获得、已申报待确认、已撤销（含原因），以及现在可以申报的合格称号", tag=TAG,
           query=ListQuery, response=HonourList, errors=(404,))
def list_honours(query):
    """Titles of the orgs the person is chair or staff of (or the one asked for), newest first."""
    person = current_person()
    orgs = access.fill_orgs(person, query.get("org_id"))
    honours = (Honour.select(Honour, Org).join(Org).where(Honour.org.in_([org.id for org in orgs]))
               .order_by(Honour.year.desc(), Honour.id.desc()))
    declarable = [declarable_view(org, kind) for org in orgs if permissions.can_submit(person, org)
                  for kind in qualified.declarable_kinds(org)]
    return {"honours": [honour_view(h) for h in honours], "declarable": declarable}


@bp.post("/honours/qualified")
@operation("工会主席申报合格职工之家/小家（经会员代表大会决定），由系统工会确认", tag=TAG, bucket=Bucket.WRITE,
           body=DeclareQualified, response=HonourView, status=201, errors=(403, 404, 409, 422),
           description="只有本单位工会主席可以申报（工作人员 403）。同一日期再次申报（重试）得到同一条；"
                       "已申报待确认或已获得时 409；称号被撤销后，经新的会员代表大会决定可再次申报。"
                       "会员代表大会的会议记录或决议随后用 POST /honours/{id}/minutes 上传，"
                       "没有会议记录时系统工会不能确认。")
def declare_qualified(body):
    """Declare the title for the chair's org and ask the admins over it to confirm."""
    person = current_person()
    org = access.fill_org(person, body.get("org_id"))
    congress_date = calendar_day(body["congress_date"], "会员代表大会日期", "congress_date", "2018-03-20")
    honour = qualified.declare_qualified(org, person, HonourKind(body["kind"]), congress_date, today=context.today())
    deliver_notices(context.redis(), events.qualified_declared(honour, context.now(),
                                                               context.settings().public_base_url))
    return honour_view(honour)
