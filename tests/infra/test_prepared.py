"""Prepared queries give what peewee's own query gives, for every later argument too."""
import datetime as dt

import pytest
from peewee import fn

from miniapp_backend.models import Answer, Campaign, Channel, Identity, Org, Person, Role, RoleKind, Round
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


def _state(model):
    """What a model instance holds: its values, and those of the instances joined to it."""
    return model.__data__, {name: _state(joined) for name, joined in model.__rel__.items()}, model._dirty


def test_rows_are_built_as_peewee_builds_them(world):
    application = drafts.start_or_resume(world.chair, world.unit, world.campaign, "model_home",
                                         today=IN_WINDOW)
    Application = type(application)
    own = (Application.select(Application, Campaign, Round, Org).join_from(Application, Campaign)
           .join_from(Application, Round).join_from(Application, Org)
           .where(Application.id == application.id).get())
    prepared = Application.with_parents(application.id)
    assert _state(prepared) == _state(own)
    assert prepared.org is prepared.__rel__["org"] and prepared.campaign.data == own.campaign.data
    identity = Identity.with_person(Channel.OFFICIAL, "o-王建国")
    assert _state(identity) == _state(Identity.select(Identity, Person).join(Person)
                                      .where(Identity.openid == "o-王建国").get())
    # Selections the plan does not cover (a function) still come back through peewee.
    names = Prepared(lambda kind: Org.select(Org.id, fn.UPPER(Org.full_name).alias("upper"))
                     .where(Org.kind == kind).order_by(Org.id))
    assert [o.upper for o in names.rows(world.system.kind)] == [world.system.full_name.upper(),
                                                                world.other_system.full_name.upper()]


def test_writes_return_the_row_they_wrote(world):
    application = drafts.start_or_resume(world.chair, world.unit, world.campaign, "model_home",
                                         today=IN_WINDOW)
    key, at = "model_home_checklist:item.2", dt.datetime(2018, 5, 10, 2, 0)
    first = Answer.add(application.id, key, {"done": True, "note": ""}, "chat", world.chair.id, at)
    assert (first.value, first.revision, first.channel, first.updated_at) == (
        {"done": True, "note": ""}, 1, "chat", at)
    assert _state(first) == _state(Answer.get_by_id(first.id))
    # The same key again is not a second row: the caller competes on the revision instead.
    assert Answer.add(application.id, key, {"done": False, "note": ""}, "api", world.staff.id, at) is None
    assert Answer.replace_at_revision(first.id, 2, None, "api", world.staff.id, at) is None
    later = at + dt.timedelta(minutes=1)
    second = Answer.replace_at_revision(first.id, 1, {"done": False, "note": "在建"}, "api", world.staff.id, later)
    assert (second.value, second.revision, second.updated_by_id, second.updated_at) == (
        {"done": False, "note": "在建"}, 2, world.staff.id, later)
    assert _state(second) == _state(Answer.get_by_id(first.id))
    # The database moved the application with each write (migrations/0018).
    assert type(application).get_by_id(application.id).updated_at == later
