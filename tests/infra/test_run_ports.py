"""`make run` on a taken port stops at once, naming the setting that picks another port."""
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import free_port

RUN = Path(__file__).resolve().parents[2] / "scripts" / "run.py"


@pytest.mark.parametrize("setting", ["PORT", "STANDIN_PORT"])
def test_a_taken_port_stops_the_start_before_anything_runs(tmp_path, setting):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        ports = {"PORT": str(free_port()), "STANDIN_PORT": str(free_port()), setting: str(port)}
        env = {key: value for key, value in os.environ.items()
               if not key.startswith(("WECHAT_", "MINIAPP_", "REDIS_", "DATABASE_", "DEMO_"))}
        ran = subprocess.run([sys.executable, str(RUN)], capture_output=True, text=True, timeout=120,
                             env={**env, **ports, "VAR_DIR": str(tmp_path / "var")})
    assert ran.returncode == 1
    assert f"port {port} is in use" in ran.stderr and f"{setting}={port + 1} make run" in ran.stderr
    # Nothing was started or written: no Redis, no database, no "the system is up" with its sign-ins.
    assert not (tmp_path / "var" / "redis").exists() and not (tmp_path / "var" / "app.db").exists()
    assert "the system is up" not in ran.stdout and "Traceback" not in ran.stderr
