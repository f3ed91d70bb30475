"""Closing a round fills the 审议情况 of a 5-1 and a 5-2 draft, with its source and the quorum warnings."""
import datetime as dt

import pytest

from miniapp_backend.services import drafts, evaluation_prefill, evaluation_report
from miniapp_backend.services.errors import InvalidState
from miniapp_backend.services.progress import progress
from miniapp_backend.storage import FileStore
from tests.evaluations.helpers import district_home_draft, open_round, small_home_draft, vote
from tests.evaluations.test_tally import BALLOTS
from tests.factories import IN_WINDOW

FORM_51, FORM_52 = "district_home_registration", "small_home_registration"


def answered(application, form, keys):
    """{key: (value, channel)} of the named fields."""
    answers = drafts.answers_of(application)
    return {key: (answers[f"{form}:{key}"].value, answers[f"{form}:{key}"].channel) for key in keys}


def cast_all(issued, rows=BALLOTS):
    """Cast the given ballots with the first codes."""
    for (agree, scores, comment), code in zip(rows, issued):
        vote(code, agree=agree, scores=scores, comment=comment)


def test_district_home_draft_gets_the_count_and_the_report(world, tmp_path):
    draft = district_home_draft(world)
    assert any(m.key == "report" and m.kind == "material" for m in progress(draft).missing)
    round_, issued = open_round(world.unit, world.chair, count=9)
    cast_all(issued)
    results = evaluation_report.finish_round(world.chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    [delivery] = results.deliveries
    assert delivery.error == "" and delivery.application.id == draft.id
    assert answered(draft, FORM_51, ("expected", "present", "agreed", "satisfaction")) == {
        "expected": (9, "evaluation"), "present": (6, "evaluation"), "agreed": (4, "evaluation"),
        "satisfaction": (50, "evaluation")}
    state = progress(draft)
    assert not [m for m in state.missing if m.key == "report" or m.key.startswith(f"{FORM_51}:")
                and m.key.split(":")[1] in ("expected", "present", "agreed", "satisfaction")]
    assert delivery.prefill.warnings == []  # 6 of 9 is two thirds; 4 of 6 is a majority


def test_small_home_draft_uses_member_total_and_warns_on_quorum(world, tmp_path):
    draft = small_home_draft(world)
    round_, issued = open_round(world.branch, world.branch_chair, count=10)
    cast_all(issued, BALLOTS[3:])  # 3 ballots of 10: short of two thirds; 1 agrees of 3
    results = evaluation_report.finish_round(world.branch_chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    assert answered(draft, FORM_52, ("member_total", "present", "agreed", "satisfaction")) == {
        "member_total": (10, "evaluation"), "present": (3, "evaluation"), "agreed": (1, "evaluation"),
        "satisfaction": (33.33, "evaluation")}
    warnings = results.deliveries[0].prefill.warnings
    assert "实到人数不足会员人数的三分之二，会议可能不符合法定人数" in warnings
    assert "同意人数未超过实到人数的半数" in warnings


def test_hand_typed_values_are_kept_and_a_differing_count_is_reported(world, tmp_path):
    draft = small_home_draft(world)
    drafts.write_answer(draft, world.branch_chair, f"{FORM_52}:member_total", 45, channel="miniapp", today=IN_WINDOW)
    round_, issued = open_round(world.branch, world.branch_chair, count=2)
    cast_all(issued, BALLOTS[:2])
    results = evaluation_report.finish_round(world.branch_chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    prefill = results.deliveries[0].prefill
    values = answered(draft, FORM_52, ("member_total", "present", "agreed"))
    assert values["member_total"] == (45, "miniapp")  # what the meeting recorded stays
    assert values["present"] == (2, "evaluation")  # the empty ones are filled from the count
    assert prefill.kept == {f"{FORM_52}:member_total": (45, 2)}
    assert prefill.mismatch_lines() == [
        "工会分会（小组）会员（代表）会议审议情况·会员人数已填写为45，计票结果为2，保留了已填写的数值；如计票结果才准确，请在申报中改正"]
    corrected = drafts.write_answer(draft, world.branch_chair, f"{FORM_52}:present", 7, channel="miniapp",
                                    today=IN_WINDOW)
    assert (corrected.value, corrected.channel) == (7, "miniapp")
    again = evaluation_prefill.prefill_deliberation(draft, results.round, today=IN_WINDOW)
    assert again.kept == {f"{FORM_52}:member_total": (45, 2), f"{FORM_52}:present": (7, 2)}
    assert answered(draft, FORM_52, ("present",)) == {"present": (7, "miniapp")}


def test_prefill_waits_for_the_round_to_end(world):
    draft = district_home_draft(world)
    round_, _ = open_round(world.unit, world.chair)
    with pytest.raises(InvalidState):
        evaluation_prefill.prefill_deliberation(draft, round_, today=IN_WINDOW)


def test_a_draft_past_its_window_is_reported_not_written(world, tmp_path):
    draft = district_home_draft(world)
    round_, issued = open_round(world.unit, world.chair, count=3)
    vote(issued[0])
    results = evaluation_report.finish_round(world.chair, round_, FileStore(tmp_path),
                                             today=dt.date(2018, 12, 1))
    assert "填报期限已过" in results.deliveries[0].error
    assert f"{FORM_51}:present" not in drafts.answers_of(draft)


def test_station_and_other_orgs_drafts_are_left_alone(world, tmp_path):
    district_home_draft(world)
    round_, issued = open_round(world.branch, world.branch_chair, count=2)
    vote(issued[0])
    results = evaluation_report.finish_round(world.branch_chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    assert results.deliveries == []


def test_a_count_breaking_a_rule_across_fields_is_left_blank_and_said(world, tmp_path):
    """member_total was written past the form's checks: 10 met in a 分会 of 8 members, which chat
    and the mini-program refuse, came back only at submission. It is now left for the chair."""
    draft = small_home_draft(world)
    drafts.write_answer(draft, world.branch_chair, f"{FORM_52}:member_count", 8, channel="miniapp", today=IN_WINDOW)
    round_, issued = open_round(world.branch, world.branch_chair, count=10)
    cast_all(issued, BALLOTS[:6])
    results = evaluation_report.finish_round(world.branch_chair, round_, FileStore(tmp_path), today=IN_WINDOW)
    prefill = results.deliveries[0].prefill
    answers = drafts.answers_of(draft)
    assert f"{FORM_52}:member_total" not in answers and f"{FORM_52}:member_total" not in prefill.written
    assert answered(draft, FORM_52, ("present", "agreed")) == {"present": (6, "evaluation"),
                                                                 "agreed": (4, "evaluation")}
    assert prefill.mismatch_lines() == [
        "工会分会（小组）会员（代表）会议审议情况·会员人数的计票结果10没有填入：会议的会员人数不能多于本分会（小组）的会员人数"
        "（工会分会（小组）会员（代表）会议审议情况·会员人数为10人，会员人数为8人）；请在申报中填写"]


def test_a_count_breaking_a_rule_with_a_hand_typed_value_is_left_blank(world, tmp_path):
    """5-1: 应到 typed as 5 stays; the count's 实到 6 would break 实到人数不能多于应到人数."""
    draft = district_home_draft(world)
    drafts.write_answer(draft, world.chair, f"{FORM_51}:expected", 5, channel="chat", today=IN_WINDOW)
    round_, issued = open_round(world.unit, world.chair, count=9)
    cast_all(issued)
    prefill = evaluation_report.finish_round(world.chair, round_, FileStore(tmp_path),
                                             today=IN_WINDOW).deliveries[0].prefill
    answers = drafts.answers_of(draft)
    assert answers[f"{FORM_51}:expected"].value == 5 and f"{FORM_51}:present" not in answers
    assert answered(draft, FORM_51, ("agreed",)) == {"agreed": (4, "evaluation")}
    assert set(prefill.written) == {f"{FORM_51}:agreed", f"{FORM_51}:satisfaction"}
    assert prefill.mismatch_lines() == [
        "应到人数已填写为5，计票结果为9，保留了已填写的数值；如计票结果才准确，请在申报中改正",
        "实到人数的计票结果6没有填入：实到人数不能多于应到人数（实到人数为6人，应到人数为5人）；请在申报中填写"]


def test_a_later_count_refused_clears_the_earlier_count_instead_of_standing_for_it(world, tmp_path):
    """5-2: a first count wrote 会员人数 6; the 分会's 会员人数 is then typed as 8, and a second
    count of 10 is refused. The 6 is no fact of the new count: the field is emptied, and the
    chair told it was not filled and asked to fill it."""
    draft = small_home_draft(world)
    first, issued = open_round(world.branch, world.branch_chair, count=6)
    cast_all(issued, BALLOTS[:6])
    evaluation_report.finish_round(world.branch_chair, first, FileStore(tmp_path), today=IN_WINDOW)
    assert answered(draft, FORM_52, ("member_total",)) == {"member_total": (6, "evaluation")}
    drafts.write_answer(draft, world.branch_chair, f"{FORM_52}:member_count", 8, channel="miniapp", today=IN_WINDOW)
    second, issued = open_round(world.branch, world.branch_chair, count=10)
    cast_all(issued, BALLOTS[:6])
    prefill = evaluation_report.finish_round(world.branch_chair, second, FileStore(tmp_path),
                                             today=IN_WINDOW).deliveries[0].prefill
    assert drafts.answers_of(draft)[f"{FORM_52}:member_total"].value is None
    assert f"{FORM_52}:member_total" in [m.key for m in progress(draft).missing]
    assert prefill.mismatch_lines() == [
        "工会分会（小组）会员（代表）会议审议情况·会员人数的计票结果10没有填入：会议的会员人数不能多于本分会（小组）的会员人数"
        "（工会分会（小组）会员（代表）会议审议情况·会员人数为10人，会员人数为8人）；"
        "先前计票填入的6已清除，请在申报中填写"]
