"""Drafts shared with chat: start/resume, progress, partial autosave, per-field revisions."""
import datetime as dt

from miniapp_backend.models import ApplicationKind, HonourKind, Role, RoleKind
from miniapp_backend.services import drafts, people
from tests.api.conftest import model_home
from tests.factories import IN_WINDOW, make_qualified, station_for

FORM = "model_home_checklist"
PHONE, MEMBERS, ITEM1 = f"{FORM}:phone", f"{FORM}:member_count", f"{FORM}:item.1"


def patch(api, person, app_id, answers):
    """PATCH answers given as {key: (value, revision)}."""
    body = {"answers": {k: {"value": v, "revision": r} for k, (v, r) in answers.items()}}
    return api.patch(f"/drafts/{app_id}/answers", person, json=body)


def test_start_then_resume_returns_the_chat_draft(api, world):
    created = api.post("/drafts", world.chair, json={"kind": "model_home"})
    assert created.status_code == 200
    body = created.get_json()
    assert body["application"]["status"] == "draft" and body["application"]["forms"] == [FORM]
    assert body["answers"][f"{FORM}:union_full_name"]["value"] == world.unit.full_name
    assert body["answers"][f"{FORM}:union_full_name"]["channel"] == "prefill"
    assert body["progress"]["items_total"] == 21 and not body["progress"]["complete"]
    chat = drafts.start_or_resume(world.staff, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                  today=IN_WINDOW)
    assert chat.id == body["application"]["id"]
    resumed = api.post("/drafts", world.staff, json={"kind": "model_home", "org_id": world.unit.id})
    assert resumed.get_json()["application"]["id"] == chat.id


def test_start_refusals(api, world):
    not_eligible = api.post("/drafts", world.chair, json={"kind": "district_home"})
    assert not_eligible.status_code == 422
    assert not_eligible.get_json()["error"]["details"]["reasons"]
    other_org = api.post("/drafts", world.chair, json={"kind": "model_home", "org_id": world.other_unit.id})
    assert other_org.status_code == 404
    station_needed = api.post("/drafts", world.chair, json={"kind": "warm_station"})
    assert station_needed.status_code == 422
    assert station_needed.get_json()["error"]["fields"] == {"station_id": "暖心驿站申报需要先选择或新建一个驿站"}
    nobody = api.post("/drafts", world.system_admin, json={"kind": "model_home"})
    assert nobody.status_code == 403 and "邀请码" in nobody.get_json()["error"]["message"]


def test_patch_saves_valid_answers_and_reports_invalid_ones_per_field(api, world):
    app = model_home(world)
    revision = drafts.answers_of(app)[MEMBERS].revision
    response = patch(api, world.staff, app.id, {
        ITEM1: ({"done": True, "note": ""}, 0), MEMBERS: ("141人", revision), PHONE: ("12345", 1),
        f"{FORM}:item.99": ({"done": True}, 0), f"{FORM}:nonsense": ("x", 0)})
    assert response.status_code == 200
    body = response.get_json()
    assert set(body["saved"]) == {ITEM1, MEMBERS}
    assert body["saved"][MEMBERS] == {**body["saved"][MEMBERS], "value": 141, "revision": revision + 1,
                                      "channel": "miniapp"}
    assert set(body["rejected"]) == {PHONE, f"{FORM}:item.99", f"{FORM}:nonsense"}
    assert "手机号" in body["rejected"][PHONE]
    assert body["conflicts"] == {}
    assert body["progress"]["missing_photos"] == [ITEM1]
    assert drafts.answers_of(app)[PHONE].value == "010-69312345"


def test_all_invalid_is_422_with_fields(api, world):
    app = model_home(world)
    response = patch(api, world.chair, app.id, {PHONE: ("12345", 1), ITEM1: ("是", 0)})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error["fields"]) == {PHONE, ITEM1}
    assert error["fields"][ITEM1] == '条目答案应为对象：{"done": true}（是）或 {"done": false}（否），不能只写文字或数字'


def test_an_item_answer_without_done_names_done(api, world):
    app = model_home(world)
    response = patch(api, world.chair, app.id, {ITEM1: ({"note": "已设立"}, 0)})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {ITEM1: "条目答案缺少 done：true（是）或 false（否）"}


def test_an_item_answered_in_text_is_told_done_is_true_or_false(api, world):
    app = model_home(world)
    for done in ("是", "否"):
        response = patch(api, world.chair, app.id, {ITEM1: ({"done": done}, 0)})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {ITEM1: "done 应为 true（是）或 false（否），不能是文字"}
    response = patch(api, world.chair, app.id, {ITEM1: ({"done": 1}, 0)})
    assert response.get_json()["error"]["fields"] == {ITEM1: "done 应为 true（是）或 false（否）"}
    assert ITEM1 not in drafts.answers_of(app)


def test_huge_numbers_get_the_range_message_without_being_echoed(api, world):
    app = model_home(world)
    for value in ("9" * 5000, 1e308):
        response = patch(api, world.chair, app.id, {MEMBERS: (value, 1)})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"][MEMBERS] == "会员数应在0到1000000之间，请核对后重发"


def test_chat_and_miniapp_never_overwrite_each_other(api, world):
    app = model_home(world)
    read = api.get(f"/drafts/{app.id}", world.staff).get_json()["answers"][MEMBERS]["revision"]
    drafts.write_answer(app, world.chair, MEMBERS, "150", base_revision=read, channel="chat", today=IN_WINDOW)
    response = patch(api, world.staff, app.id, {MEMBERS: (139, read)})
    assert response.status_code == 409
    error = response.get_json()["error"]
    conflict = error["details"]["conflicts"][MEMBERS]
    assert conflict["value"] == 150 and conflict["revision"] == read + 1 and conflict["channel"] == "chat"
    assert MEMBERS in error["fields"]
    # A different field based on its own revision saves alongside the conflict.
    phone_rev = drafts.answers_of(app)[PHONE].revision
    mixed = patch(api, world.staff, app.id, {MEMBERS: (139, read), PHONE: ("13800138000", phone_rev)})
    assert mixed.status_code == 200
    assert set(mixed.get_json()["saved"]) == {PHONE} and set(mixed.get_json()["conflicts"]) == {MEMBERS}
    # Based on the current revision, the mini-program's value wins, and chat then sees a conflict.
    assert patch(api, world.staff, app.id, {MEMBERS: (139, read + 1)}).status_code == 200
    assert drafts.answers_of(app)[MEMBERS].value == 139


def test_a_retried_save_is_not_a_conflict_with_itself(api, world):
    """wx.request timed out after the server had saved: the autosave sent again on the same revision
    was told 这一项已在另一端被修改 about its own value."""
    app = model_home(world)
    read = drafts.answers_of(app)[MEMBERS].revision
    first = patch(api, world.chair, app.id, {MEMBERS: (139, read)}).get_json()["saved"][MEMBERS]
    retried = patch(api, world.chair, app.id, {MEMBERS: (139, read)})
    assert retried.status_code == 200 and retried.get_json()["conflicts"] == {}
    assert retried.get_json()["saved"][MEMBERS]["revision"] == first["revision"] == read + 1
    # Chat having typed the same is no conflict either; another value still is.
    drafts.write_answer(app, world.staff, ITEM1, {"done": True}, channel="chat", today=IN_WINDOW)
    assert patch(api, world.chair, app.id, {ITEM1: ({"done": True, "note": ""}, 0)}).status_code == 200
    assert patch(api, world.chair, app.id, {MEMBERS: (140, read)}).status_code == 409


def test_revision_zero_means_never_answered(api, world):
    app = model_home(world)
    drafts.write_answer(app, world.chair, ITEM1, {"done": False}, channel="chat", today=IN_WINDOW)
    response = patch(api, world.staff, app.id, {ITEM1: ({"done": True}, 0)})
    assert response.status_code == 409
    assert response.get_json()["error"]["details"]["conflicts"][ITEM1]["value"] == {"done": False, "note": ""}


def test_null_clears_an_answer(api, world):
    app = model_home(world)
    note_key = f"{FORM}:other_facilities"
    saved = patch(api, world.chair, app.id, {note_key: ("图书室、健身房", 0)}).get_json()["saved"][note_key]
    cleared = patch(api, world.chair, app.id, {note_key: (None, saved["revision"])}).get_json()
    assert cleared["saved"][note_key]["value"] is None
    assert cleared["saved"][note_key]["revision"] == saved["revision"] + 1


def test_an_item_note_must_be_text(api, world):
    app = model_home(world)
    response = patch(api, world.chair, app.id, {ITEM1: ({"done": True, "note": {"x": 1}}, 0)})
    assert response.status_code == 422 and response.get_json()["error"]["fields"] == {ITEM1: "说明应填写文字"}
    extra = patch(api, world.chair, app.id, {ITEM1: ({"done": True, "photo": 1}, 0)})
    assert extra.status_code == 422 and "photo" in extra.get_json()["error"]["fields"][ITEM1]
    assert ITEM1 not in drafts.answers_of(app)


def test_clearing_an_unknown_key_is_refused_like_writing_it(api, world):
    app = model_home(world)
    for value in (None, "x"):
        response = patch(api, world.chair, app.id, {f"{FORM}:nonsense": (value, 0), f"{FORM}:item.99": (value, 0)})
        assert response.status_code == 422
        assert set(response.get_json()["error"]["fields"]) == {f"{FORM}:nonsense", f"{FORM}:item.99"}


def test_patch_body_is_checked_before_any_write(api, world):
    app = model_home(world)
    bad_key = api.patch(f"/drafts/{app.id}/answers", world.chair,
                        json={"answers": {"phone": {"value": "1", "revision": 0}}})
    assert bad_key.status_code == 400
    # Which key, and what a key looks like (it said only "答案的键格式不对").
    assert bad_key.get_json()["error"]["fields"] == {
        "answers": "“phone”：答案的键格式不对，应为 <表单>:<字段> 或 <表单>:item.<序号>（序号从1起），"
                   "如 model_home_checklist:item.3"}
    missing_revision = api.patch(f"/drafts/{app.id}/answers", world.chair,
                                 json={"answers": {PHONE: {"value": "13800138000"}}})
    assert missing_revision.status_code == 400
    assert missing_revision.get_json()["error"]["fields"] == {"answers": f"{PHONE}：revision：请提供基于的版本"}
    empty = api.patch(f"/drafts/{app.id}/answers", world.chair, json={"answers": {}})
    assert empty.status_code == 400
    # A bare value where {value, revision} belongs is named in words, not by the schema's name.
    bare = api.patch(f"/drafts/{app.id}/answers", world.chair, json={"answers": {PHONE: "13800138000"}})
    assert bare.status_code == 400
    assert bare.get_json()["error"]["fields"] == {"answers": f"{PHONE}：答案应为对象"}


def test_other_orgs_cannot_read_or_write_a_draft_by_id(api, world):
    app = model_home(world)
    for outsider in (world.other_chair, world.direct_chair, world.other_system_admin, world.branch_chair):
        assert api.get(f"/drafts/{app.id}", outsider).status_code == 404
        assert patch(api, outsider, app.id, {PHONE: ("13800138000", 1)}).status_code == 404
        assert api.get(f"/applications/{app.id}", outsider).status_code == 404


def test_admins_over_the_subtree_read_but_never_write(api, world):
    app = model_home(world)
    for admin in (world.system_admin, world.district_admin):
        assert api.get(f"/drafts/{app.id}", admin).status_code == 200
        refused = patch(api, admin, app.id, {PHONE: ("13800138000", 1)})
        assert refused.status_code == 403
        assert api.get(f"/drafts/{app.id}", admin).get_json()["application"]["can_edit"] is False


def test_window_closed_refuses_the_whole_patch(api, world, api_app):
    app = model_home(world)
    api_app.config["API_NOW"] = dt.datetime(2018, 7, 15, 2, 0)  # 上半年 closed on 06-30
    refused = patch(api, world.chair, app.id, {PHONE: ("13800138000", 1)})
    assert refused.status_code == 409 and "期限已过" in refused.get_json()["error"]["message"]


def test_a_warm_station_draft_names_a_station_of_the_org(api, world):
    station = station_for(world.unit)
    created = api.post("/drafts", world.chair, json={"kind": "warm_station", "station_id": station.id})
    assert created.status_code == 200
    assert created.get_json()["application"]["station"] == {"id": station.id, "name": station.name}
    others = station_for(world.other_unit, name="燕山驿站")
    refused = api.post("/drafts", world.chair, json={"kind": "warm_station", "station_id": others.id})
    assert refused.status_code == 422 and "不属于本单位" in refused.get_json()["error"]["message"]
    org_kind = api.post("/drafts", world.chair, json={"kind": "model_home", "station_id": station.id})
    assert org_kind.status_code == 422 and set(org_kind.get_json()["error"]["fields"]) == {"station_id"}
    missing = api.post("/drafts", world.chair, json={"kind": "warm_station", "station_id": 999999})
    assert missing.status_code == 404
    hidden = station_for(world.other_unit, name="燕山内部驿站", public=False)
    unpublished = api.post("/drafts", world.chair, json={"kind": "warm_station", "station_id": hidden.id})
    assert unpublished.status_code == 404 and unpublished.get_json() == missing.get_json()


def test_a_roster_sent_as_one_row_is_refused_naming_the_field(api, world):
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    key = "district_home_registration:chairs"
    row = {"name": "张三", "gender": "男", "age": 45, "political_status": "中共党员",
           "position": "工会主席", "employment_type": "专职"}
    refused = patch(api, world.chair, app.id, {key: (row, 0)})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"][key].startswith("工会正副主席情况应为列表")
    assert key not in drafts.answers_of(app)
    saved = patch(api, world.chair, app.id, {key: ([row], 0)})
    assert saved.status_code == 200 and saved.get_json()["saved"][key]["value"] == [row]


def test_a_character_cut_in_half_is_refused_not_a_500(api, world):
    # A <textarea maxlength> counts UTF-16 units and may keep half of an emoji at its limit: the
    # JSON then carries a lone surrogate, which no database can store (a 500 when the row was written).
    app = model_home(world)
    name = f"{FORM}:union_full_name"
    body = '{"answers": {"%s": {"value": "良乡工会\\ud83d", "revision": 1}}}' % name
    response = api.patch(f"/drafts/{app.id}/answers", world.chair, data=body, content_type="application/json")
    assert response.status_code == 400
    assert "不完整的字符" in response.get_json()["error"]["message"]
    assert drafts.answers_of(app)[name].value == world.unit.full_name


def test_a_long_text_in_paragraphs_is_counted_without_its_line_breaks(api, world):
    """The mini-program sends 主要事迹 as typed: eight paragraphs of 100 字 fit the 800 (they were
    refused as 807字), with the text stored as written."""
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    key = "district_home_registration:main_deeds"
    deeds = "\r\n".join("事" * 100 for _ in range(8))
    saved = patch(api, world.chair, app.id, {key: (deeds, 0)})
    assert saved.status_code == 200 and saved.get_json()["saved"][key]["value"] == deeds
    refused = patch(api, world.chair, app.id, {key: (deeds + "迹", 1)})
    assert refused.get_json()["error"]["fields"][key] == "主要事迹共801字，超过800字上限，请删减1字后重发"


def test_a_long_text_keeps_its_first_paragraphs_indent(api, world):
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    key = "district_home_registration:main_deeds"
    saved = patch(api, world.chair, app.id, {key: ("\n　　职工书屋建成。\n　　母婴室建成。\n", 0)})
    assert saved.get_json()["saved"][key]["value"] == "　　职工书屋建成。\n　　母婴室建成。"
    blank = patch(api, world.chair, app.id, {key: ("\u200b\n　　\n", 1)})
    assert blank.get_json()["error"]["fields"][key] == "主要事迹是必填项，请填写主要事迹"


def test_an_items_note_counts_its_zi_as_the_long_text_does(api, world):
    """A 否's 说明 of 200 字 in two indented lines fits its 200; one 字 more is refused with the
    count, as the 主要事迹 is."""
    app = model_home(world)
    note = "　　" + "正在筹建" * 25 + "\n　　" + "下月挂牌" * 25
    saved = patch(api, world.chair, app.id, {ITEM1: ({"done": False, "note": note}, 0)})
    assert saved.status_code == 200 and saved.get_json()["saved"][ITEM1]["value"]["note"] == note.strip()
    refused = patch(api, world.chair, app.id, {ITEM1: ({"done": False, "note": note + "。"}, 1)})
    assert refused.get_json()["error"]["fields"][ITEM1] == "说明共201字，超过200字上限，请删减1字后重发"


def test_an_answer_of_invisible_characters_is_refused_as_blank(api, world):
    """Zero-width spaces look like a 单位全称 in the mini-program's box; they are refused as the
    required field left blank, and text with them at its ends is stored trimmed."""
    app = model_home(world)
    name = f"{FORM}:union_full_name"
    refused = patch(api, world.chair, app.id, {name: ("\u200b\u200b\u3000", 1)})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"][name] == "工会名称（全称）是必填项，请填写工会名称（全称）"
    saved = patch(api, world.chair, app.id, {name: ("\ufeff良乡工会\u200b", 1)})
    assert saved.get_json()["saved"][name]["value"] == "良乡工会"


def test_a_removed_chairs_session_neither_reads_nor_writes_the_draft(api, world):
    app = model_home(world)
    assert api.get(f"/drafts/{app.id}", world.chair).status_code == 200
    token = api.token(world.chair)  # the session the chair signed in with before the removal
    people.remove_role(world.system_admin, Role.get(person=world.chair, kind=RoleKind.CHAIR).id)
    signed_in = {"headers": {"Authorization": f"Bearer {token}"}}
    for path in (f"/drafts/{app.id}", f"/drafts/{app.id}/evidence", f"/applications/{app.id}"):
        assert api.get(path, **signed_in).status_code == 404, path
    body = {"answers": {ITEM1: {"value": {"done": True, "note": ""}, "revision": 0}}}
    assert api.patch(f"/drafts/{app.id}/answers", json=body, **signed_in).status_code == 404
    assert api.post("/drafts", json={"kind": "model_home"}, **signed_in).status_code == 403
    assert drafts.answers_of(app).get(ITEM1) is None


def test_a_count_breaking_a_rule_across_fields_is_refused_as_chat_refuses_it(api, world):
    """实到人数 above 应到人数 was saved from the mini-program (chat refused it) and only came back
    at submission; a patch is judged as it will stand, so both lowered together pass."""
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    form = "district_home_registration"
    expected, present, agreed = f"{form}:expected", f"{form}:present", f"{form}:agreed"
    assert patch(api, world.chair, app.id, {expected: (100, 0), present: (80, 0)}).status_code == 200
    refused = patch(api, world.chair, app.id, {expected: (60, 1)})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {
        expected: "实到人数不能多于应到人数（实到人数为80人，应到人数为60人）"}
    assert drafts.answers_of(app)[expected].value == 100
    together = patch(api, world.chair, app.id, {expected: (60, 1), present: (50, 1)})
    assert together.status_code == 200 and set(together.get_json()["saved"]) == {expected, present}
    # A refused value does not vouch for another: 同意 is judged against the 实到 that stays.
    mixed = patch(api, world.chair, app.id, {agreed: (55, 0), present: (70, 2)})
    assert set(mixed.get_json()["error"]["fields"]) == {agreed, present}
    assert agreed not in drafts.answers_of(app) and drafts.answers_of(app)[present].value == 50
    # Nor does a value that will not be saved because chat changed the field meanwhile.
    drafts.write_answer(app, world.staff, expected, 55, channel="chat", today=IN_WINDOW)
    stale = patch(api, world.chair, app.id, {expected: (90, 2), present: (80, 2)})
    assert set(stale.get_json()["error"]["details"]["conflicts"]) == {expected}
    assert stale.get_json()["error"]["details"]["rejected"] == {
        present: "实到人数不能多于应到人数（实到人数为80人，应到人数为55人）"}


def test_the_meetings_member_count_above_the_units_is_refused_on_the_5_2_form(api, world):
    """5-2 asks 会员人数 twice (the 分会's, and its meeting's): the meeting's was never compared with
    the 分会's, so 40 members met in a 分会 of 30. Refused as chat refuses it, both places named."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    app = drafts.start_or_resume(world.branch_chair, world.branch, world.campaign, ApplicationKind.SMALL_HOME,
                                 today=IN_WINDOW)
    form = "small_home_registration"
    members, met = f"{form}:member_count", f"{form}:member_total"
    assert drafts.answers_of(app)[members].value == 30  # prefilled from the org
    refused = patch(api, world.branch_chair, app.id, {met: (40, 0)})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {met: (
        "会议的会员人数不能多于本分会（小组）的会员人数（工会分会（小组）会员（代表）会议审议情况·会员人数为40人，"
        "会员人数为30人）")}
    assert met not in drafts.answers_of(app)
    assert patch(api, world.branch_chair, app.id, {met: (30, 0)}).status_code == 200
    lowered = patch(api, world.branch_chair, app.id, {members: (20, 1)})
    assert lowered.status_code == 422 and drafts.answers_of(app)[members].value == 30


def test_another_orgs_station_never_opens_its_draft(api, world):
    """Naming another org's public station resumed that org's 暖心驿站 draft, answers and all."""
    theirs = station_for(world.other_unit, name="燕山示例暖心驿站")
    their_draft = drafts.start_or_resume(world.other_chair, world.other_unit, world.campaign,
                                         ApplicationKind.WARM_STATION, station=theirs, today=IN_WINDOW)
    drafts.write_answer(their_draft, world.other_chair, "warm_station_checklist:item.1",
                        {"done": False, "note": "燕山的说明"}, today=IN_WINDOW)
    response = api.post("/drafts", world.chair, json={"kind": "warm_station", "station_id": theirs.id})
    assert response.status_code == 422
    assert response.get_json()["error"]["details"]["reasons"] == ["这个驿站不属于本单位"]
    assert "燕山的说明" not in response.get_data(as_text=True)


def test_an_expected_count_of_zero_is_refused_and_the_one_saved_stays(api, world):
    """应到人数 0 would make the quorum check meaningless; the mini-program gets the chat's refusal."""
    make_qualified(world.unit)
    app = drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.DISTRICT_HOME,
                                 today=IN_WINDOW)
    expected = "district_home_registration:expected"
    assert patch(api, world.chair, app.id, {expected: (60, 0)}).status_code == 200
    refused = patch(api, world.chair, app.id, {expected: (0, 1)})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["fields"] == {expected: "应到人数至少为1人，不能为0：请填写实际的应到人数，如 60"}
    assert drafts.answers_of(app)[expected].value == 60
