"""Offsets, catch-up and quiet hours, in Asia/Shanghai, on an explicit clock."""
import datetime as dt

import pytest

from miniapp_backend.services.reminders.schedule import (
    digest_hours, due_offset, important_still_to_send, quiet, sending_paused)

DEADLINE = dt.date(2018, 9, 30)


@pytest.mark.parametrize("today, offset", [
    (dt.date(2018, 9, 15), None), (dt.date(2018, 9, 16), 14), (dt.date(2018, 9, 22), 14),
    (dt.date(2018, 9, 23), 7), (dt.date(2018, 9, 27), 3), (dt.date(2018, 9, 29), 1),
    (dt.date(2018, 9, 30), 1), (dt.date(2018, 10, 1), None),
])
def test_the_latest_offset_whose_day_has_come_is_due(today, offset):
    assert due_offset(DEADLINE, today) == offset


def test_important_reminders_still_ahead_count_today_and_later():
    assert important_still_to_send(DEADLINE, dt.date(2018, 9, 16)) == [3, 1]
    assert important_still_to_send(DEADLINE, dt.date(2018, 9, 27)) == [3, 1]
    assert important_still_to_send(DEADLINE, dt.date(2018, 9, 28)) == [3, 1]  # T-3 may still catch up
    assert important_still_to_send(DEADLINE, dt.date(2018, 9, 29)) == [1]
    assert important_still_to_send(DEADLINE, dt.date(2018, 9, 30)) == [1]  # a missed T-1, sent on the day


@pytest.mark.parametrize("local, is_quiet", [
    ((7, 59), True), ((8, 0), False), ((12, 0), False), ((21, 29), False), ((21, 30), True),
    ((22, 0), True), ((23, 59), True), ((0, 0), True),
])
def test_quiet_hours_are_local_time(local, is_quiet):
    # 08:00 in Shanghai is 00:00 UTC: the UTC date differs from the local one before 08:00.
    utc = dt.datetime(2018, 9, 16, *local) - dt.timedelta(hours=8)
    assert quiet(utc) is is_quiet


@pytest.mark.parametrize("local, paused", [
    ((7, 59), True), ((8, 0), False), ((21, 30), False), ((21, 59), False), ((22, 0), True), ((0, 0), True),
])
def test_scheduled_notices_are_sent_from_eight_until_ten_at_night(local, paused):
    # Written until 21:30 (quiet), a row's delivery may still go out until 22:00.
    utc = dt.datetime(2018, 9, 16, *local) - dt.timedelta(hours=8)
    assert sending_paused(utc) is paused


def test_digests_are_written_in_the_morning_only():
    morning, afternoon = dt.datetime(2018, 7, 4, 1, 0), dt.datetime(2018, 7, 4, 5, 0)  # 09:00, 13:00 local
    assert digest_hours(morning) and not digest_hours(afternoon)
