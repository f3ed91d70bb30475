"""Subscribe-message grants: each wx.requestSubscribeMessage result counted per template."""
from flask import g

from miniapp_backend.api import bp
from miniapp_backend.api.operations import operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import InvalidRequest, Schema, array, integer, mapping, string
from miniapp_backend.services import channel_state, notifications
from miniapp_backend.services.errors import ValidationFailed

TAG = "订阅消息"
RESULTS = (*channel_state.ACCEPTED, "reject", "ban", "filter")
TEMPLATE_ID = r"^[A-Za-z0-9_-]{1,64}$"
TEMPLATE_ID_HINT = "应为订阅消息模板ID（1到64个英文字母、数字、_ 或 -），即 wx.requestSubscribeMessage 回调结果里的键"
MAX_PER_CALL = 3  # wx.requestSubscribeMessage asks for at most three templates at once
ERR_MSG = "errMsg"  # the callback's status beside the results; a raw result may be sent as is

GrantResults = Schema("GrantResults", {
    "results": mapping("授权结果", string("结果", enum=list(RESULTS)), key_pattern=TEMPLATE_ID,
                       key_hint=TEMPLATE_ID_HINT, min_properties=1, max_properties=MAX_PER_CALL + 1,
                       named={ERR_MSG: string("回调状态", max_length=200, description="忽略")},
                       description="wx.requestSubscribeMessage 的回调结果（可原样传入，errMsg 会被忽略）："
                                   "{模板ID: accept|reject|ban|filter}（accept 也可带提醒方式，如 acceptWithAudio），最多3个模板"),
}, required=["results"])
TemplateGrant = Schema("TemplateGrant", {
    "notice": string("通知类别"), "template_id": string("模板ID"), "page": string("点开的页面"),
    "left": integer("剩余可发送次数"),
}, required=["notice", "template_id", "left"], closed=False)
Grants = Schema("Grants", {"templates": array("订阅消息模板", TemplateGrant.ref)},
                required=["templates"], closed=False)


def _known():
    """{template_id: (notice kind, page)} of the mini-program's subscribe templates."""
    entries = notifications.templates().get("miniapp_subscribe", {})
    return {entry["template_id"]: (notice, entry.get("page", "")) for notice, entry in entries.items()}


def _grants_view():
    """Every subscribe template with the grants this identity has left."""
    return {"templates": [
        {"notice": notice, "template_id": template_id, "page": page,
         "left": channel_state.grants_left(g.identity, template_id)}
        for template_id, (notice, page) in _known().items()]}


@bp.get("/subscriptions")
@operation("订阅消息模板及剩余次数（据此决定向用户申请哪些模板）", tag=TAG, response=Grants)
def list_grants():
    """Templates the server may send, and how many one-time grants remain for each."""
    return _grants_view()


@bp.post("/subscriptions")
@operation("记录一次 wx.requestSubscribeMessage 的结果（每个 accept 记一次可发送）", tag=TAG,
           bucket=Bucket.WRITE, body=GrantResults, response=Grants, errors=(422,))
def record(body):
    """Count each accepted template once; refuse templates this mini-program does not send."""
    results = {t: r for t, r in body["results"].items() if t != ERR_MSG}
    if not 1 <= len(results) <= MAX_PER_CALL:
        message = f"授权结果应有1到{MAX_PER_CALL}个模板"
        raise InvalidRequest(message, {"results": message})
    unknown = [t for t in results if t not in _known()]
    if unknown:
        raise ValidationFailed(f"不是本小程序的订阅消息模板：{'、'.join(unknown)}", key=unknown[0])
    channel_state.record_grants(g.identity, results)
    return _grants_view()
