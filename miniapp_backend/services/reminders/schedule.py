"""When reminders are due: offsets before a date, quiet hours, catch-up — all in Asia/Shanghai.

Every function takes the moment (`now`, naive UTC) or the local date explicitly: there is no
hidden clock, so tests and the job decide what time it is.
"""
import datetime as dt

from miniapp_backend.clock import to_local

# Days before a date on which people are reminded; T-3 and T-1 matter most (see reach.py).
OFFSETS = (14, 7, 3, 1)
IMPORTANT_OFFSETS = (3, 1)
# Nothing is sent 22:00–08:00 local. Rows are written only until 21:30 so that the deliveries
# they start (a few minutes for thousands of people) are over before 22:00.
SEND_FROM = dt.time(8, 0)
WRITE_UNTIL = dt.time(21, 30)
SEND_UNTIL = dt.time(22, 0)
# Reviewers' digests are a morning message; a morning missed (downtime) is not made up at night.
DIGEST_UNTIL = dt.time(12, 0)


def quiet(now):
    """True while no reminder may be written (local 21:30–08:00): it waits for 08:00."""
    local = to_local(now).time()
    return local < SEND_FROM or local >= WRITE_UNTIL


def sending_paused(now):
    """True while no scheduled notice may go out (local 22:00–08:00); one left over waits for 08:00."""
    local = to_local(now).time()
    return local < SEND_FROM or local >= SEND_UNTIL


def digest_hours(now):
    """True in the morning hours (08:00–12:00 local) when reviewers' digests are written."""
    return SEND_FROM <= to_local(now).time() < DIGEST_UNTIL


def offset_day(deadline, offset):
    """The local date on which the T-`offset` reminder of `deadline` becomes due."""
    return deadline - dt.timedelta(days=offset)


def due_offset(deadline, today):
    """The latest offset whose day has come while `deadline` has not passed, else None."""
    # Catch-up: when several offsets were missed (late campaign load, downtime, a clock jump)
    # only the latest is due; earlier ones are never sent afterwards. A T-1 missed on its day
    # still goes out on the deadline day itself, which is still open for filing.
    if today > deadline:
        return None
    passed = [offset for offset in OFFSETS if offset_day(deadline, offset) <= today]
    return min(passed) if passed else None


def important_still_to_send(deadline, today):
    """The T-3/T-1 offsets of `deadline` that may still go out from `today` on."""
    due = due_offset(deadline, today)
    return [offset for offset in IMPORTANT_OFFSETS
            if offset_day(deadline, offset) > today or offset == due]
