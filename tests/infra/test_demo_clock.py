"""The offline demo's clock: `make run` gives every process it starts one offset in days."""
import datetime as dt
import os
import subprocess
import sys

import pytest

from miniapp_backend.clock import OFFSET_DAYS_ENV, SHANGHAI
from scripts.run import demo_clock


def _today_in_a_process(env):
    """local_today() and utcnow() as a new process with `env` sees them."""
    code = "from miniapp_backend.clock import local_today, utcnow; print(local_today(), utcnow().year)"
    return subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True,
                          text=True, check=True).stdout.split()


def test_every_process_runs_on_the_latest_campaigns_demo_day():
    env, day = demo_clock({})
    assert day == dt.date(2018, 4, 28)
    assert int(env[OFFSET_DAYS_ENV]) == (day - dt.datetime.now(SHANGHAI).date()).days
    assert _today_in_a_process(env) == ["2018-04-28", "2018"]


def test_the_demo_day_can_be_chosen_or_left_real():
    chosen, day = demo_clock({"DEMO_DAY": "2018-07-02"})
    assert day == dt.date(2018, 7, 2) and _today_in_a_process(chosen)[0] == "2018-07-02"
    real, day = demo_clock({"DEMO_DAY": "today"})
    assert OFFSET_DAYS_ENV not in real and day == dt.datetime.now(SHANGHAI).date()
    with pytest.raises(SystemExit, match="DEMO_DAY: a date such as 2018-04-28, or today; not 'soon'"):
        demo_clock({"DEMO_DAY": "soon"})
