"""One reminder per person, date and day whatever the ledger's key history, and a date that
comes to concern someone in the middle of a day is told at the next pass, once."""
import datetime as dt

import pytest

from miniapp_backend.models import Notice
from miniapp_backend.services import notifications
from miniapp_backend.services.reminders.concerns import concerns
from miniapp_backend.services.reminders.rows import reminder_identity
from tests.factories import make_qualified
from tests.reminders.conftest import write_due

D = dt.date
T14_DAY = D(2018, 9, 16)  # 14 days before the 区级先进职工之家 round closes on 09-30


@pytest.fixture
def unit(world):
    """The unit, founded long ago: not a 新建会 union, so 09-30 is its only date once qualified."""
    world.unit.founded_on = D(2010, 1, 1)
    world.unit.save()
    return world.unit


def chair_reminders(world):
    """The keys of the chair's reminder rows."""
    return [n.key for n in Notice.select().where(Notice.key.startswith("remind:"), Notice.person == world.chair)]


def previous_release_key(concern, offset, person_id):
    """The key the release before the one-message-per-day change wrote: subject and label in it."""
    return (f"remind:{concern.kind}:{concern.subject_key}:{concern.label}:"
            f"{concern.deadline.isoformat()}:T{offset}:p{person_id}")


def test_a_reminder_written_this_morning_under_the_previous_key_format_is_not_sent_again(unit, world, clock):
    make_qualified(unit)
    clock.at(T14_DAY, 8, 5)
    [concern] = concerns(world.campaign, clock.today, due_only=True)
    old_key = previous_release_key(concern, 14, world.chair.id)
    notifications.queue(world.chair.id, old_key, "reminder", {"text": "…"})  # the old release's morning pass
    write_due(clock.at(T14_DAY, 14, 0))  # the new release, deployed at noon
    assert chair_reminders(world) == [old_key]


def test_a_date_that_comes_to_concern_the_unit_at_2pm_is_told_at_the_next_pass_once(unit, world, clock):
    write_due(clock.at(T14_DAY, 8, 5))
    assert chair_reminders(world) == []
    make_qualified(unit)  # at 14:00 the unit becomes one the campaign expects to file
    write_due(clock.at(T14_DAY, 14, 10))
    write_due(clock.at(T14_DAY, 14, 20))
    assert len(chair_reminders(world)) == 1


def test_a_date_that_comes_to_concern_the_unit_in_quiet_hours_waits_for_the_morning(unit, world, clock):
    make_qualified(unit)  # at 21:45, after the last rows of the day are written
    write_due(clock.at(T14_DAY, 21, 45))
    assert chair_reminders(world) == []
    write_due(clock.at(T14_DAY + dt.timedelta(days=1), 8, 5))
    write_due(clock.at(T14_DAY + dt.timedelta(days=1), 8, 15))
    assert len(chair_reminders(world)) == 1


@pytest.mark.parametrize("old, current", [
    ("remind:district_home:app:7:rectify.v2:2018-10-12:T3:p1", "remind:district_home:rectify:2018-10-12:T3:p1"),
    ("remind:warm_station:station:3:paper.v1:2018-06-30:T7:p2", "remind:warm_station:close:2018-06-30:T7:p2"),
    ("remind:district_home:org:4:close:2018-09-30:T1:p1", "remind:district_home:close:2018-09-30:T1:p1"),
    ("remind:district_home:close:2018-09-30:T1:p1", "remind:district_home:close:2018-09-30:T1:p1"),
])
def test_every_key_format_names_its_reminder_as_the_current_key_does(old, current):
    assert reminder_identity(old) == current
