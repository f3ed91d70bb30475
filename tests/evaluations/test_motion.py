"""The default 表决事项 names what the members are asked to back: the kind the org applies for,
as the campaign data labels it."""
from miniapp_backend.models import ApplicationKind
from miniapp_backend.services import drafts
from tests.evaluations.helpers import district_home_draft, open_round
from tests.factories import IN_WINDOW


def model_home_draft(world):
    """A 示范职工之家 draft of world.unit."""
    return drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.MODEL_HOME,
                                  today=IN_WINDOW)


def test_the_question_names_the_kind_being_applied_for(world):
    model_home_draft(world)
    round_, _ = open_round(world.unit, world.chair)
    assert round_.motion == f"您是否同意{world.unit.full_name}申报示范职工之家？"


def test_two_kinds_applied_for_are_both_named(world):
    district_home_draft(world)
    model_home_draft(world)
    round_, _ = open_round(world.unit, world.chair)
    assert round_.motion == f"您是否同意{world.unit.full_name}申报区级先进职工之家、示范职工之家？"


def test_without_an_application_the_kind_that_requires_the_evaluation_is_named(world):
    unit_round, _ = open_round(world.unit, world.chair)
    assert unit_round.motion == f"您是否同意{world.unit.full_name}申报区级先进职工之家？"
    branch_round, _ = open_round(world.branch, world.branch_chair)
    assert branch_round.motion == f"您是否同意{world.branch.full_name}申报区级先进职工小家？"


def test_a_question_the_chair_typed_is_kept(world):
    model_home_draft(world)
    round_, _ = open_round(world.unit, world.chair, motion="  您是否同意本单位参评？ ")
    assert round_.motion == "您是否同意本单位参评？"
