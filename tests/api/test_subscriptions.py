"""Subscribe-message grants: each accept of wx.requestSubscribeMessage counted once per template."""
from miniapp_backend.models import Channel, Identity
from miniapp_backend.services import channel_state


def left(api, person):
    """{template_id: grants left} as the API reports them."""
    return {t["template_id"]: t["left"] for t in api.get("/subscriptions", person).get_json()["templates"]}


def test_accepts_are_counted_rejects_are_not(api, world):
    assert left(api, world.chair)["SUB_STATUS_CHANGED"] == 0
    result = {"SUB_STATUS_CHANGED": "accept", "SUB_DEADLINE": "reject", "SUB_PACKET_READY": "ban"}
    response = api.post("/subscriptions", world.chair, json={"results": result})
    assert response.status_code == 200
    raw = {"errMsg": "requestSubscribeMessage:ok", "SUB_STATUS_CHANGED": "accept"}  # the callback as is
    assert api.post("/subscriptions", world.chair, json={"results": raw}).status_code == 200
    counts = left(api, world.chair)
    assert counts["SUB_STATUS_CHANGED"] == 2 and counts["SUB_DEADLINE"] == 0
    identity = Identity.get(person=world.chair, channel=Channel.MINIAPP)
    assert channel_state.grants_left(identity, "SUB_STATUS_CHANGED") == 2
    assert left(api, world.staff)["SUB_STATUS_CHANGED"] == 0


def test_an_accept_with_a_reminder_style_is_counted(api, world):
    # Newer WeChat answers an accept with 语音提醒 or 强提醒 switched on by these variants.
    raw = {"errMsg": "requestSubscribeMessage:ok", "SUB_DEADLINE": "acceptWithAudio",
           "SUB_STATUS_CHANGED": "acceptWithAlert", "SUB_PACKET_READY": "acceptWithForcePush"}
    assert api.post("/subscriptions", world.chair, json={"results": raw}).status_code == 200
    counts = left(api, world.chair)
    assert (counts["SUB_DEADLINE"], counts["SUB_STATUS_CHANGED"], counts["SUB_PACKET_READY"]) == (1, 1, 1)


def test_unknown_templates_and_results_are_refused(api, world):
    unknown = api.post("/subscriptions", world.chair, json={"results": {"SOMEONE_ELSES": "accept"}})
    assert unknown.status_code == 422 and "SOMEONE_ELSES" in unknown.get_json()["error"]["message"]
    bad_result = api.post("/subscriptions", world.chair, json={"results": {"SUB_DEADLINE": "maybe"}})
    assert bad_result.status_code == 400
    too_many = {f"SUB_{i}": "accept" for i in range(4)}
    assert api.post("/subscriptions", world.chair, json={"results": too_many}).status_code == 400
    only_status = api.post("/subscriptions", world.chair, json={"results": {"errMsg": "requestSubscribeMessage:ok"}})
    assert only_status.status_code == 400
    assert api.post("/subscriptions", json={"results": {"SUB_DEADLINE": "accept"}}).status_code == 401


def test_a_malformed_template_id_is_refused_with_what_one_looks_like(api, world):
    response = api.post("/subscriptions", world.chair, json={"results": {"状态通知模板": "accept"}})
    assert response.status_code == 400
    # Which key, and what a key looks like (it said only "授权结果的键格式不对").
    assert response.get_json()["error"]["fields"] == {
        "results": "“状态通知模板”：授权结果的键格式不对，应为订阅消息模板ID（1到64个英文字母、数字、_ 或 -），"
                   "即 wx.requestSubscribeMessage 回调结果里的键"}
