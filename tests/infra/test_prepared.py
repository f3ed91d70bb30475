"""Prepared queries give what peewee's own query gives, for every later argument too."""
import pytest
from peewee import fn

from miniapp_backend.models import Answer, Channel, Identity, Org, Role, RoleKind
from miniapp_backend.models.prepared import Prepared
from miniapp_backend.services import drafts
from tests.factories import IN_WINDOW


def test_lookups_bind_each_call_s_own_arguments(world):
    chair_identity = Identity.with_person(Channel.OFFICIAL, "o-王建国")
    staff_identity = Identity.with_person(Channel.OFFICIAL, "o-李芳")
    assert (chair_identity.person.name, staff_identity.person.name) == ("王建国", "李芳")
    assert Identity.with_person(Channel.OFFICIAL, "o-nobody") is None
    # The same openid in another channel is another identity.
    assert Identity.with_person(Channel.MINIAPP, "o-王建国") is None


def test_converted_arguments_match_peewee(world):
    """Enum and foreign-key arguments go through the field's own conversion, models or ids."""
    chair, unit, other = world.chair, world.unit, world.other_unit
    assert Role.held(chair.id, unit.id, (RoleKind.CHAIR,))
    assert Role.held(chair.id, unit.id, (RoleKind.STAFF, RoleKind.CHAIR))
    assert not Role.held(chair.id, other.id, (RoleKind.CHAIR,))
    assert not Role.held(world.staff.id, unit.id, (RoleKind.CHAIR,))
    assert Role.held(world.staff.id, unit.id, (RoleKind.STAFF,))


def test_answers_and_parents_of_an_application(world):
    application = drafts.start_or_resume(world.chair, world.unit, world.campaign, "model_home",
                                         today=IN_WINDOW)
    key = "model_home_checklist:item.1"
    assert Answer.for_key(application.id, key) is None
    drafts.write_answer(application, world.chair, key, {"done": True, "note": ""}, today=IN_WINDOW)
    drafts.write_answer(application, world.chair, key, {"done": False, "note": "在建"}, today=IN_WINDOW)
    stored = Answer.for_key(application.id, key)
    assert (stored.value, stored.revision) == ({"done": False, "note": "在建"}, 2)
    loaded = type(application).with_parents(application.id)
    assert loaded.org.full_name == world.unit.full_name
    assert (loaded.campaign.year, loaded.round.id) == (2018, application.round_id)
    assert type(application).with_parents(application.id + 1000) is None


def test_a_query_must_use_every_argument_once(db):
    unused = Prepared(lambda name, _other: Org.select().where(Org.full_name == name))
    with pytest.raises(TypeError):
        unused.first("甲", "乙")


def test_scalar_and_rows(world):
    children = Prepared(lambda parent: Org.select(fn.COUNT(Org.id)).where(Org.parent == parent))
    by_kind = Prepared(lambda kind: Org.select().where(Org.kind == kind).order_by(Org.id))
    assert children.scalar(world.district) == Org.select().where(Org.parent == world.district).count() == 3
    assert children.scalar(world.branch.id) == 0
    assert [o.id for o in by_kind.rows(world.system.kind)] == [world.system.id, world.other_system.id]
    assert by_kind.rows("no-such-kind") == []
