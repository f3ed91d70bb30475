"""Time: stored in UTC (naive datetimes), shown in Asia/Shanghai; one place to read the clock."""
import datetime as dt
import os
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The offline demo (`make run` on the stand-in) runs as if it were a day inside its campaign's
# rounds, so every kind can be tried; the time of day and its passing stay real. scripts/run.py
# gives all its processes the same offset; production refuses it (config.py), tests leave it unset.
OFFSET_DAYS_ENV = "DEMO_CLOCK_OFFSET_DAYS"
_OFFSET = dt.timedelta(days=int(os.environ.get(OFFSET_DAYS_ENV) or 0))


def utcnow():
    """The current time as a naive UTC datetime (how every timestamp is stored)."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) + _OFFSET


def to_local(moment):
    """A stored naive-UTC datetime as an aware Asia/Shanghai datetime."""
    if moment is None:
        return None
    return moment.replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI)


def local_today(now=None):
    """Today's date in Asia/Shanghai (campaign dates are local dates)."""
    return to_local(now or utcnow()).date()


def local_end_of_day_utc(day):
    """The last instant of local `day`, as naive UTC (a deadline date is inclusive)."""
    end = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=SHANGHAI)
    return end.astimezone(dt.timezone.utc).replace(tzinfo=None)


def format_local(moment, pattern="%Y-%m-%d %H:%M"):
    """A stored timestamp formatted in Asia/Shanghai for people."""
    return to_local(moment).strftime(pattern) if moment else ""


def format_day(day):
    """A date as people write it in Chinese, without leading zeros: 2018年6月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def _deadline(moment):
    """(local day, "HH:MM") of an end; one at local midnight is the day before at "24:00",
    since a deadline date is inclusive."""
    local = to_local(moment)
    if local.time() == dt.time(0, 0):
        return local.date() - dt.timedelta(days=1), "24:00"
    return local.date(), local.strftime("%H:%M")


def format_deadline(moment):
    """An end (e.g. a round's closing) for people: "2018-05-10 24:00" (see _deadline)."""
    if not moment:
        return ""
    day, time = _deadline(moment)
    return f"{day:%Y-%m-%d} {time}"


def format_deadline_day(moment):
    """format_deadline with the day written in Chinese: "2018年5月10日 24:00"."""
    if not moment:
        return ""
    day, time = _deadline(moment)
    return f"{format_day(day)} {time}"


def last_local_day(moment):
    """The local day an end falls in: the day before for an end at local midnight."""
    return to_local(moment - dt.timedelta(microseconds=1)).date()
