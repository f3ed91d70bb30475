"""Drafts: start/resume, prefill, per-field revisions and conflicts, permissions, windows."""
import datetime as dt

import pytest

from miniapp_backend.models import Answer, ApplicationKind
from miniapp_backend.services import drafts
from miniapp_backend.services.errors import (
    InvalidState, NotEligible, PermissionDenied, RevisionConflict, ValidationFailed)
from tests.factories import IN_WINDOW

MODEL = ApplicationKind.MODEL_HOME
HEADER = "model_home_checklist"


def start(world, person=None, kind=MODEL, today=IN_WINDOW):
    return drafts.start_or_resume(person or world.chair, world.unit, world.campaign, kind, today=today)


def test_start_prefills_header_from_the_org_and_resume_returns_the_same_draft(world):
    app = start(world)
    answers = drafts.answers_of(app)
    assert answers[f"{HEADER}:union_full_name"].value == world.unit.full_name
    assert answers[f"{HEADER}:employee_count"].value == 150
    assert answers[f"{HEADER}:phone"].value == "010-69312345"
    assert answers[f"{HEADER}:chair_name"].channel == "prefill"
    assert start(world, world.staff).id == app.id


def test_item_answer_and_field_answer_are_validated(world):
    app = start(world)
    answer = drafts.write_answer(app, world.chair, f"{HEADER}:item.5", {"done": False, "note": "装修中"},
                                 channel="chat", today=IN_WINDOW)
    assert answer.value == {"done": False, "note": "装修中"}
    with pytest.raises(ValidationFailed) as err:
        drafts.write_answer(app, world.chair, f"{HEADER}:phone", "12345", today=IN_WINDOW)
    assert "手机号" in err.value.message
    with pytest.raises(ValidationFailed):
        drafts.write_answer(app, world.chair, f"{HEADER}:item.22", {"done": True}, today=IN_WINDOW)
    # The refused value left the stored one alone.
    assert drafts.answers_of(app)[f"{HEADER}:phone"].value == "010-69312345"


def test_revision_conflict_only_for_the_same_field(world):
    app = start(world)
    key = f"{HEADER}:member_count"
    first = drafts.answers_of(app)[key]
    drafts.write_answer(app, world.staff, key, "141", base_revision=first.revision, channel="miniapp",
                        today=IN_WINDOW)
    with pytest.raises(RevisionConflict) as err:
        drafts.write_answer(app, world.chair, key, "139", base_revision=first.revision, channel="chat",
                            today=IN_WINDOW)
    assert err.value.details["value"] == 141 and err.value.details["revision"] == first.revision + 1
    # A different field based on its own revision is fine.
    other = drafts.answers_of(app)[f"{HEADER}:employee_count"]
    drafts.write_answer(app, world.chair, f"{HEADER}:employee_count", "160",
                        base_revision=other.revision, today=IN_WINDOW)
    assert Answer.get(application=app, key=key).value == 141


def test_every_answer_written_or_cleared_moves_the_application(world):
    """The mini-program and the admin list order drafts by updated_at: a first answer, a changed
    one and a cleared one (清空 of the 主要事迹) each move it to the write's own time."""
    app = start(world)
    Application = type(app)
    key = f"{HEADER}:item.5"
    first = drafts.write_answer(app, world.chair, key, {"done": True}, channel="chat", today=IN_WINDOW)
    assert Application.get_by_id(app.id).updated_at == first.updated_at
    changed = drafts.write_answer(app, world.chair, key, {"done": False, "note": "装修中"}, channel="chat",
                                  today=IN_WINDOW)
    assert Application.get_by_id(app.id).updated_at == changed.updated_at > first.updated_at
    cleared = drafts.clear_answer(app, world.chair, key, channel="miniapp", today=IN_WINDOW)
    assert cleared.value is None
    assert Application.get_by_id(app.id).updated_at == cleared.updated_at > changed.updated_at


def test_outsiders_cannot_start_or_edit(world):
    with pytest.raises(PermissionDenied):
        start(world, world.other_chair)
    app = start(world)
    with pytest.raises(PermissionDenied):
        drafts.write_answer(app, world.system_admin, f"{HEADER}:item.1", {"done": True}, today=IN_WINDOW)


def test_window_closed_refuses_new_drafts_and_edits(world):
    with pytest.raises(NotEligible) as err:
        start(world, today=dt.date(2018, 11, 2))
    assert "截止" in err.value.message
    app = start(world)
    with pytest.raises(InvalidState) as err:
        drafts.write_answer(app, world.chair, f"{HEADER}:item.1", {"done": True}, today=dt.date(2018, 7, 1))
    assert "期限已过" in err.value.message


def test_district_home_needs_a_qualified_home(world):
    with pytest.raises(NotEligible) as err:
        start(world, kind=ApplicationKind.DISTRICT_HOME)
    assert "合格职工之家" in err.value.message


def test_new_union_home_needs_100_workers_and_a_new_union(world):
    world.unit.employee_count = 80
    world.unit.save()
    with pytest.raises(NotEligible) as err:
        start(world, kind=ApplicationKind.NEW_UNION_HOME)
    assert "100人" in err.value.message and "80人" in err.value.message
