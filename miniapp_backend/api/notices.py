"""My notices: the whole text of what WeChat delivered cut to a template's short keywords."""
from miniapp_backend.api import bp, context
from miniapp_backend.api.operations import operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, array, boolean, integer, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.api.shapes import moment, timestamp
from miniapp_backend.models import NoticeStatus
from miniapp_backend.services import notice_inbox

TAG = "通知"
MAX_OFFSET = 1_000_000

NoticeView = Schema("Notice", {
    "id": integer("通知编号"),
    "kind": string("通知类别", description="status_changed、reminder、broadcast 等"),
    "kind_label": string("通知类别名称", description="审核结果、截止提醒、群发通知 等"),
    "title": string("标题"),
    "text": string("全文"),
    "created_at": timestamp("生成时间"),
    "status": string("发送状态", enum=[s.value for s in NoticeStatus]),
    "delivery_label": string("送达情况", description="已通过微信送达、微信消息未送达 等"),
    "delivered": boolean("已通过微信送达"),
    "channel": string("送达渠道", enum=["", "customer_service", "template", "subscribe"],
                      description="customer_service = 客服消息，template = 模板消息，subscribe = 订阅消息；未送达为空"),
    "channel_label": string("送达渠道名称"),
    "sent_at": timestamp("送达时间"),
    "read": boolean("已读"),
    "read_at": timestamp("首次阅读时间"),
}, required=["id", "kind", "kind_label", "title", "text", "created_at", "status", "delivered",
             "channel", "read"], closed=False)
NoticeList = Schema("NoticeList", {
    "total": integer("总数"), "unread": integer("未读数"), "notices": array("通知（最新在前）", NoticeView.ref),
}, required=["total", "unread", "notices"], closed=False)
NoticeListQuery = Schema("NoticeListQuery", {
    "limit": integer("每页条数", minimum=1, maximum=notice_inbox.MAX_PAGE, default=notice_inbox.PAGE_SIZE),
    "offset": integer("跳过条数", minimum=0, maximum=MAX_OFFSET, default=0),
})


def notice_view(entry):
    """One notice as the mini-program shows it."""
    return {"id": entry.id, "kind": entry.kind, "kind_label": entry.kind_label, "title": entry.title,
            "text": entry.text, "created_at": moment(entry.created_at), "status": entry.status,
            "delivery_label": entry.delivery_label, "delivered": entry.delivered,
            "channel": entry.channel, "channel_label": entry.channel_label,
            "sent_at": moment(entry.sent_at), "read": entry.read_at is not None,
            "read_at": moment(entry.read_at)}


@bp.get("/notices")
@operation("我的通知（全文，最新在前）与未读数", tag=TAG, query=NoticeListQuery, response=NoticeList)
def list_notices(query):
    """The signed-in person's notices, one page."""
    page = notice_inbox.inbox(current_person(), query["limit"], query["offset"])
    return {"total": page.total, "unread": page.unread, "notices": [notice_view(e) for e in page.entries]}


@bp.get("/notices/<id:notice_id>")
@operation("一条通知的全文和送达情况", tag=TAG, response=NoticeView, errors=(404,))
def get_notice(notice_id):
    """One of the person's notices (reading it does not mark it read: the page says when)."""
    return notice_view(notice_inbox.entry(notice_inbox.notice_for(current_person(), notice_id)))


@bp.post("/notices/<id:notice_id>/read")
@operation("标记通知为已读（重复标记保留首次阅读时间）", tag=TAG, bucket=Bucket.WRITE,
           response=NoticeView, errors=(404,))
def mark_read(notice_id):
    """The person opened the notice."""
    return notice_view(notice_inbox.mark_read(current_person(), notice_id, context.now()))
