"""The offline demo's clock: `make run` gives every process it starts one offset in days."""
import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from miniapp_backend.clock import OFFSET_DAYS_ENV, SHANGHAI
from scripts.run import demo_clock, write_demo_env


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


def test_a_command_beside_the_demo_runs_on_its_day_and_links(tmp_path):
    """scripts/flask-demo reads what run.py wrote: `flask evaluation …` then dates and links as the demo does."""
    env, day = demo_clock({"PUBLIC_BASE_URL": "http://127.0.0.1:8131", "VAR_DIR": str(tmp_path)})
    written = write_demo_env(env, tmp_path).read_text(encoding="utf-8")
    assert f"{OFFSET_DAYS_ENV}={env[OFFSET_DAYS_ENV]}\n" in written
    assert "PUBLIC_BASE_URL=http://127.0.0.1:8131\n" in written
    code = ("from miniapp_backend.clock import local_today; import os; "
            "print(local_today(), os.environ['PUBLIC_BASE_URL'])")
    script = Path(__file__).resolve().parents[2] / "scripts" / "flask-demo"
    shown = subprocess.run(["bash", "-c", f'set -a; . "$1"; set +a; {sys.executable} -c "$2"', "-",
                            str(tmp_path / "demo.env"), code], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == [f"{day:%Y-%m-%d}", "http://127.0.0.1:8131"]
    ran = subprocess.run([str(script), "--version"], env={**os.environ, "VAR_DIR": str(tmp_path)},
                         capture_output=True, text=True)
    assert ran.returncode == 0 and "Flask" in ran.stdout, ran.stderr
    missing = subprocess.run([str(script), "--version"], env={**os.environ, "VAR_DIR": str(tmp_path / "none")},
                             capture_output=True, text=True)
    assert missing.returncode == 1 and "start the demo with 'make run' first" in missing.stderr
