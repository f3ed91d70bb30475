"""A campaign loaded late, downtime and clock jumps: only the latest reminder of each date."""
import datetime as dt

from miniapp_backend.models import Notice
from miniapp_backend.services import campaigns
from tests.factories import make_qualified
from tests.reminders.conftest import deliver_pending, write_due

D = dt.date


def offsets_sent(world):
    """(deadline, offset) of the chair's reminder rows, in order."""
    rows = Notice.select().where(Notice.key.startswith("remind:"),
                                 Notice.key.endswith(f":p{world.chair.id}")).order_by(Notice.id)
    return [tuple(row.key.split(":")[3:5]) for row in rows]


def test_loaded_on_0928_each_date_gets_its_latest_reminder_not_a_burst(world, clock, messenger, control):
    make_qualified(world.unit)
    write_due(clock.at(D(2018, 9, 28), 10, 0))
    assert offsets_sent(world) == [("2018-09-30", "T3")]
    write_due(clock.at(D(2018, 9, 29)))
    assert offsets_sent(world) == [("2018-09-30", "T3"), ("2018-09-30", "T1")]
    deliver_pending(messenger)
    assert len(control.sent(openid="o-王建国")) == 2


def test_after_downtime_only_the_latest_offset_goes_out(world, clock):
    make_qualified(world.unit)
    write_due(clock.at(D(2018, 9, 16)))
    # The system was down from 09-17 to 09-28; at 09-29 T-7 and T-3 are stale.
    write_due(clock.at(D(2018, 9, 29)))
    write_due(clock.at(D(2018, 9, 30)))
    assert offsets_sent(world) == [("2018-09-30", "T14"), ("2018-09-30", "T1")]


def test_a_missed_t1_still_goes_out_on_the_deadline_day_then_nothing(world, clock):
    make_qualified(world.unit)
    write_due(clock.at(D(2018, 9, 30), 9, 0))
    write_due(clock.at(D(2018, 10, 1), 9, 0))
    assert offsets_sent(world) == [("2018-09-30", "T1")]


def test_what_falls_in_quiet_hours_goes_out_at_eight(world, clock):
    make_qualified(world.unit)
    assert write_due(clock.at(D(2018, 9, 16), 0, 30)) == []
    assert write_due(clock.at(D(2018, 9, 16), 7, 55)) == []
    assert len(write_due(clock.at(D(2018, 9, 16), 8, 0))) == 2  # chair and staff


def test_a_new_year_is_new_data_only(world, clock, tmp_path):
    source = (campaigns.CAMPAIGNS_DIR / "2018.yaml").read_text(encoding="utf-8")
    next_year = tmp_path / "2019.yaml"
    next_year.write_text(source.replace("2018-", "2019-").replace("year: 2018", "year: 2019"), encoding="utf-8")
    make_qualified(world.unit)
    clock.at(D(2019, 9, 27), 10, 0)
    campaigns.load_campaign(next_year)
    write_due(clock.now)
    assert offsets_sent(world) == [("2019-09-30", "T3")]
