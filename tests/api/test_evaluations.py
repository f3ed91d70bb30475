"""会员评家 from the mini-program: a chair opens a round, voters vote at their links, the chair
keeps the roster, follows turnout and closes; the count reaches the draft. Every refusal is a 4xx
that says what to fix."""
import pytest

from miniapp_backend.api.context import NOW_SETTING
from miniapp_backend.models.evaluations import EvaluationRound
from miniapp_backend.services import drafts, evaluations
from tests.api.conftest import NOW
from tests.evaluations.helpers import district_home_draft
from tests.factories import IN_WINDOW, person

FORM_51 = "district_home_registration"
DELIBERATION = ("expected", "present", "agreed", "satisfaction")
FAR = "2099-12-31"  # voters vote at the real time, the API runs on the pinned 2018 day
BASE = "http://127.0.0.1:8000"
NAMES = ("张伟", "李娜", "王强")


def roster(*names):
    """Roster entries with distinct phone numbers."""
    return [{"name": name, "contact": f"1380000{n:04d}"} for n, name in enumerate(names, 1)]


def open_round(api, who, names=NAMES, **extra):
    """POST /evaluations that must succeed; its response."""
    response = api.post("/evaluations", who, json={"roster": roster(*names), "closes": FAR, **extra})
    assert response.status_code == 201, response.get_json()
    return response


def ballot(api, code, agree=True, scores=(5, 5, 5, 5, 5)):
    """Vote as a voter does: the JSON ballot at the code's link."""
    return api.client.post(f"/b/{code}.json", json={"agree": agree, "scores": list(scores)})


def refused(response, status):
    """The error body of a refusal with `status`."""
    assert response.status_code == status, response.get_json()
    return response.get_json()["error"]


def voter_ids(api, who, round_id):
    """{name: voter id} of the round's roster."""
    return {v["name"]: v["id"] for v in api.get(f"/evaluations/{round_id}/voters", who).get_json()["voters"]}


def test_a_chair_runs_a_round_from_open_to_the_prefilled_draft(api, world):
    draft = district_home_draft(world)
    opened = open_round(api, world.chair, names=NAMES + ("赵敏",), electorate="representatives")
    assert opened.headers["Cache-Control"] == "no-store"
    body = opened.get_json()
    round_, codes = body["round"], body["codes"]
    assert round_["title"] == "2018年度会员评议职工之家" and round_["status_label"] == "投票中"
    assert (round_["electorate_label"], round_["closes_text"]) == ("会员代表", "2099-12-31 24:00")
    assert (round_["expected"], round_["present"], round_["can_manage"]) == (4, 0, True)
    assert [c["name"] for c in codes] == ["张伟", "李娜", "王强", "赵敏"]
    assert all(c["code"].startswith("bt.") and c["url"] == f"{BASE}/b/{c['code']}" for c in codes)
    for code, agree in zip(codes, (True, True, False)):
        assert ballot(api, code["code"], agree).status_code == 201

    voters = api.get(f"/evaluations/{round_['id']}/voters", world.chair)
    assert [(v["name"], v["voted"]) for v in voters.get_json()["voters"]] == [
        ("张伟", True), ("李娜", True), ("王强", True), ("赵敏", False)]
    later = voters.get_data(as_text=True) + api.get(f"/evaluations/{round_['id']}", world.chair).get_data(as_text=True)
    assert not any(c["code"][3:] in later for c in codes)  # codes are shown once, never again
    during = api.get(f"/evaluations/{round_['id']}", world.chair).get_json()
    assert during["results"] is None  # a running count beside who-voted would reveal votes
    assert (during["round"]["present"], during["round"]["turnout"]) == (3, 75.0)
    assert during["round"]["close_notice"] == ("应到4人，已投票3人（参与率75.00%）。结束后不能再投票，"
                                               "计票结果将填入本单位申报的审议情况。确定结束本轮评议吗？")
    listed = api.get("/evaluations", world.chair).get_json()["rounds"]
    assert [(r["id"], r["present"], r["status"]) for r in listed] == [(round_["id"], 3, "open")]

    closed = api.post(f"/evaluations/{round_['id']}/close", world.chair)
    assert closed.status_code == 200, closed.get_json()
    result = closed.get_json()
    assert result["round"]["status_label"] == "已结束" and not result["round"]["accepting"]
    assert result["round"]["close_notice"] is None
    assert (result["results"]["expected"], result["results"]["present"], result["results"]["agreed"],
            result["results"]["satisfaction"]) == (4, 3, 2, 100.0)
    [delivery] = result["deliveries"]
    assert (delivery["application_id"], delivery["delivered"], delivery["error"]) == (draft.id, True, "")
    answers = api.get(f"/drafts/{draft.id}", world.chair).get_json()
    assert {key: (answers["answers"][f"{FORM_51}:{key}"]["value"], answers["answers"][f"{FORM_51}:{key}"]["channel"])
            for key in DELIBERATION} == {"expected": (4, "evaluation"), "present": (3, "evaluation"),
                                         "agreed": (2, "evaluation"), "satisfaction": (100, "evaluation")}
    assert [f["mime"] for f in answers["evidence"]["report"]] == ["application/pdf"]  # the 会员评家报告
    assert api.get(f"/evaluations/{round_['id']}", world.chair).get_json()["results"]["present"] == 3
    assert refused(ballot(api, codes[3]["code"]), 409)["code"] == "round_closed"


def test_the_roster_changes_while_votes_are_taken(api, world):
    body = open_round(api, world.staff).get_json()  # staff may run it as well as the chair
    round_id, codes = body["round"]["id"], body["codes"]
    added = api.post(f"/evaluations/{round_id}/voters", world.chair, json={"roster": [{"name": "赵敏"}]})
    assert added.status_code == 201 and added.headers["Cache-Control"] == "no-store"
    assert [c["name"] for c in added.get_json()["codes"]] == ["赵敏"] and added.get_json()["round"]["expected"] == 4
    again = refused(api.post(f"/evaluations/{round_id}/voters", world.chair, json={"roster": [{"name": "赵敏"}]}), 422)
    assert again["fields"] == {"roster": "已在名单中：赵敏"}
    ids = voter_ids(api, world.chair, round_id)
    assert ballot(api, codes[0]["code"]).status_code == 201  # 张伟 votes

    reissued = api.post(f"/evaluations/{round_id}/voters/{ids['李娜']}/code", world.chair)
    assert reissued.status_code == 201 and reissued.headers["Cache-Control"] == "no-store"
    [new] = reissued.get_json()["codes"]
    assert new["name"] == "李娜" and new["code"] != codes[1]["code"]
    assert refused(ballot(api, codes[1]["code"]), 404)["code"] == "not_on_roster"  # the old code is void
    assert ballot(api, new["code"]).status_code == 201
    voted = refused(api.post(f"/evaluations/{round_id}/voters/{ids['张伟']}/code", world.chair), 409)
    assert voted["message"] == "张伟已经投票，不能再更换投票码或移出名单"

    removed = api.delete(f"/evaluations/{round_id}/voters/{ids['王强']}", world.chair)
    assert removed.status_code == 200
    assert [v["name"] for v in removed.get_json()["voters"]] == ["张伟", "李娜", "赵敏"]
    assert refused(ballot(api, codes[2]["code"]), 404)["code"] == "not_on_roster"
    assert refused(api.delete(f"/evaluations/{round_id}/voters/{ids['王强']}", world.chair), 404)["message"] == \
        "本轮评议的名单中没有这个人（可能已被移出）"
    kept = refused(api.delete(f"/evaluations/{round_id}/voters/{ids['张伟']}", world.chair), 409)
    assert kept["message"] == "张伟已经投票，不能再更换投票码或移出名单"
    assert api.get(f"/evaluations/{round_id}", world.chair).get_json()["round"]["expected"] == 3


@pytest.mark.parametrize("change, status, field, message", [
    ({"roster": []}, 422, "roster", "名单是空的，请至少填写一位投票人"),
    ({"roster": [{"name": " ", "contact": ""}]}, 422, "roster", "名单是空的"),
    ({"roster": roster("张伟") + roster("张伟")}, 422, "roster", "第2行与第1行重复（姓名和联系方式相同）"),
    ({"roster": [{"name": "张" * 41}]}, 422, "roster", "第1行姓名超过40字"),
    ({"roster": [{"contact": "一车间"}]}, 400, "roster", "第1项：name：请提供姓名"),
    ({"roster": ["张伟"]}, 400, "roster", "第1项：投票人应为对象"),
    ({"roster": [{"name": "张伟\n"}]}, 400, "roster", "不能含换行等控制字符"),
    ({"closes": "2018-05-09"}, 422, "closes", "截止时间应晚于现在"),
    ({"closes": "2018-02-30"}, 422, "closes", "截止日期“2018-02-30”不是有效的日期"),
    ({"closes": "6月30日"}, 400, "closes", "截止日期格式不对"),
    ({"closes": "9999-12-31"}, 422, "closes", "截止日期“9999-12-31”的年份不对"),  # was a 500 (overflow)
    ({"standards": ["组织健全", "组织健全"]}, 422, "standards", "评家标准有重复的项目"),
    ({"standards": ["很" * 21]}, 422, "standards", "每项评家标准不超过20字"),
    ({"standards": []}, 400, "standards", "评家标准至少要有1项"),
    ({"electorate": "all"}, 400, "electorate", "投票人应为以下之一"),
    ({"title": "标" * 101}, 400, "title", "评议名称不能超过100个字"),
])
def test_a_bad_opening_says_what_to_fix(api, world, change, status, field, message):
    body = {"roster": roster(*NAMES), "closes": FAR, **change}
    error = refused(api.post("/evaluations", world.chair, json=body), status)
    assert message in error["fields"][field] and message in error["message"]
    assert EvaluationRound.select().count() == 0


def test_a_round_may_close_the_day_it_opens_and_blank_texts_take_the_defaults(api, world):
    body = open_round(api, world.chair, title=" ", motion="", standards=["服务到位", " 职工信赖 "]) \
        .get_json()["round"]
    assert body["title"] == "2018年度会员评议职工之家"
    assert body["motion"] == f"您是否同意{world.unit.full_name}申报区级先进职工之家？"
    assert body["standards"] == ["服务到位", "职工信赖"]
    second = refused(api.post("/evaluations", world.chair, json={"roster": roster("张伟"), "closes": FAR}), 409)
    assert second["message"] == "本单位已有一轮进行中的会员评家，请先结束它再开始新的一轮"
    branch = api.post("/evaluations", world.branch_chair, json={"roster": roster("张伟"), "closes": IN_WINDOW.isoformat()})
    assert branch.status_code == 201 and branch.get_json()["round"]["closes_text"] == "2018-05-10 24:00"
    assert branch.get_json()["round"]["title"] == "2018年度会员评议职工小家"


def test_a_round_nobody_voted_in_cannot_be_closed(api, world):
    round_id = open_round(api, world.chair).get_json()["round"]["id"]
    during = api.get(f"/evaluations/{round_id}", world.chair).get_json()["round"]
    assert during["close_notice"] == evaluations.NO_VOTES_YET
    early = refused(api.post(f"/evaluations/{round_id}/close", world.chair), 409)
    assert early["message"] == "还没有人投票，不能结束评议：没有投票就没有同意人数和群众满意率。请提醒名单上的人用各自的投票码投票"
    assert api.get(f"/evaluations/{round_id}", world.chair).get_json()["round"]["status"] == "open"


def test_a_round_that_ends_without_a_vote_gives_way_to_a_new_one(api, world):
    district_home_draft(world)
    round_id = api.post("/evaluations", world.chair, json={"roster": roster(*NAMES), "closes": "2018-05-10"}) \
        .get_json()["round"]["id"]
    api.app.config[NOW_SETTING] = NOW.replace(day=11)
    summary = api.get(f"/evaluations/{round_id}", world.chair).get_json()
    assert (summary["round"]["status"], summary["round"]["accepting"]) == ("open", False)
    assert summary["round"]["status_label"] == "已截止，无人投票" and summary["results"]["expected"] == 3
    assert summary["round"]["close_notice"] == evaluations.NO_VOTES_LAPSED
    late = refused(api.post(f"/evaluations/{round_id}/voters", world.chair, json={"roster": roster("赵敏")}), 409)
    assert late["message"] == "本轮评议已结束，名单不能再修改"
    for action in ("close", "deliver"):
        nothing = refused(api.post(f"/evaluations/{round_id}/{action}", world.chair), 409)
        assert nothing["message"] == "本轮评议到截止时间也没有人投票，没有结果可以结束或填入申报；可以直接开始新的一轮评议"
    new_id = open_round(api, world.chair).get_json()["round"]["id"]
    listed = {r["id"]: (r["status"], r["status_label"]) for r in api.get("/evaluations", world.chair).get_json()["rounds"]}
    assert listed == {new_id: ("open", "投票中"), round_id: ("closed", "已截止，无人投票")}
    assert refused(api.post(f"/evaluations/{round_id}/deliver", world.chair), 409)["message"] == evaluations.NO_VOTES_LAPSED


def test_a_closed_round_takes_no_changes_and_delivers_to_a_later_draft(api, world):
    body = open_round(api, world.chair).get_json()
    round_id, codes = body["round"]["id"], body["codes"]
    ids = voter_ids(api, world.chair, round_id)
    assert ballot(api, codes[0]["code"], agree=False).status_code == 201
    early = refused(api.post(f"/evaluations/{round_id}/deliver", world.chair), 409)
    assert early["message"] == "本轮评议尚未结束，结束后才能把结果填入申报"
    closed = api.post(f"/evaluations/{round_id}/close", world.chair).get_json()
    assert closed["deliveries"] == []  # no draft yet

    assert refused(api.post(f"/evaluations/{round_id}/close", world.chair), 409)["message"] == "本轮评议已经结束"
    for response in (api.post(f"/evaluations/{round_id}/voters", world.chair, json={"roster": roster("赵敏")}),
                     api.post(f"/evaluations/{round_id}/voters/{ids['李娜']}/code", world.chair),
                     api.delete(f"/evaluations/{round_id}/voters/{ids['李娜']}", world.chair)):
        assert refused(response, 409)["message"] == "本轮评议已结束，名单不能再修改"

    draft = district_home_draft(world)
    drafts.write_answer(draft, world.chair, f"{FORM_51}:expected", "45", today=IN_WINDOW)  # the meeting's own figure
    delivered = api.post(f"/evaluations/{round_id}/deliver", world.chair)
    assert delivered.status_code == 200, delivered.get_json()
    [delivery] = delivered.get_json()["deliveries"]
    assert delivery["delivered"] and delivery["filled"] == {f"{FORM_51}:present": 1, f"{FORM_51}:agreed": 0,
                                                            f"{FORM_51}:satisfaction": 100}
    assert delivery["checks"] == ["应到人数已填写为45，计票结果为3，保留了已填写的数值；如计票结果才准确，请在申报中改正"]
    assert "同意人数未超过实到人数的半数" in delivery["warnings"]
    assert open_round(api, world.chair).get_json()["round"]["id"] != round_id  # the next round may start


def test_another_orgs_round_looks_like_no_round_at_all(api, world):
    body = open_round(api, world.chair).get_json()
    round_id = body["round"]["id"]
    voter_id = voter_ids(api, world.chair, round_id)["张伟"]
    missing = refused(api.get("/evaluations/999999", world.other_chair), 404)
    assert missing["message"] == "没有这轮会员评家，或您无权查看"
    for method, path, json in (
            ("GET", f"/evaluations/{round_id}", None), ("GET", f"/evaluations/{round_id}/voters", None),
            ("POST", f"/evaluations/{round_id}/voters", {"roster": roster("赵敏")}),
            ("POST", f"/evaluations/{round_id}/voters/{voter_id}/code", None),
            ("DELETE", f"/evaluations/{round_id}/voters/{voter_id}", None),
            ("POST", f"/evaluations/{round_id}/close", None), ("POST", f"/evaluations/{round_id}/deliver", None)):
        assert refused(api.call(method, path, world.other_chair, json=json), 404) == missing, (method, path)
    assert api.get("/evaluations", world.other_chair).get_json() == {"rounds": []}
    assert refused(api.get("/evaluations", world.chair, query_string={"org_id": world.other_unit.id}), 404)
    branch_round = open_round(api, world.branch_chair).get_json()["round"]["id"]
    branch_voter = voter_ids(api, world.branch_chair, branch_round)["张伟"]
    foreign = refused(api.delete(f"/evaluations/{round_id}/voters/{branch_voter}", world.chair), 404)
    assert foreign["message"] == "本轮评议的名单中没有这个人（可能已被移出）"
    assert len(voter_ids(api, world.branch_chair, branch_round)) == 3


def test_only_the_orgs_chair_or_staff_run_a_round_an_admin_above_only_looks(api, world):
    round_id = open_round(api, world.chair).get_json()["round"]["id"]
    looked = api.get(f"/evaluations/{round_id}", world.system_admin)
    assert looked.status_code == 200 and looked.get_json()["round"]["can_manage"] is False
    assert api.get(f"/evaluations/{round_id}/voters", world.system_admin).get_json()["expected"] == 3
    for response in (api.post(f"/evaluations/{round_id}/close", world.system_admin),
                     api.post(f"/evaluations/{round_id}/voters", world.system_admin, json={"roster": roster("赵敏")})):
        assert refused(response, 403)["message"] == "只有本单位工会主席或工会工作人员可以组织会员评家"
    assert api.get(f"/evaluations/{round_id}", world.chair).get_json()["round"]["status"] == "open"
    elsewhere = refused(api.post("/evaluations", world.chair,
                                 json={"roster": roster("张伟"), "closes": FAR, "org_id": world.other_unit.id}), 404)
    assert elsewhere["message"] == "您不是这个组织的工会主席或工作人员"
    for outsider in (world.system_admin, person("路人甲")):
        unbound = refused(api.post("/evaluations", outsider, json={"roster": roster("张伟"), "closes": FAR}), 403)
        assert unbound["message"] == "请先用邀请码绑定您所在的工会组织"
        assert api.get("/evaluations", outsider).get_json() == {"rounds": []}
    assert refused(api.get(f"/evaluations/{round_id}"), 401)["code"] == "unauthenticated"
