"""The shipped gunicorn settings: the master builds the app once and workers fork from it, each
opening its own database and Redis connections."""
import os
import runpy
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from bench.common import free_port, stop_process
from standin.callback import CallbackClient
from tests.conftest import TEST_WECHAT

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(backends, db, redis_client, tmp_path):
    """`gunicorn -c gunicorn.conf.py wsgi:app` with three workers on a loopback port."""
    port = free_port()
    env = {**os.environ, **TEST_WECHAT, "APP_ENV": "test", "DATABASE_URL": backends.database_url,
           "REDIS_URL": backends.redis_url, "VAR_DIR": str(tmp_path / "var"), "SECRET_KEY": "test-secret"}
    log = (tmp_path / "gunicorn.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "-w", "3",
         "-b", f"127.0.0.1:{port}", "--chdir", str(ROOT), "wsgi:app"],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/healthz", timeout=1).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
        time.sleep(0.1)
    yield process, url
    stop_process(process)
    log.close()


def test_the_master_builds_the_app_before_forking(served):
    process, _url = served
    # The app's imports (hiredis among them) are in the master itself, not only in its workers.
    assert "hiredis" in Path(f"/proc/{process.pid}/maps").read_text()


def test_forked_workers_answer_concurrent_callbacks(served):
    _process, url = served

    def hotline(number):
        """One follower asks for 12351 (a first message: their Person is created)."""
        wechat = CallbackClient(url + "/wechat", TEST_WECHAT["WECHAT_TOKEN"], TEST_WECHAT["WECHAT_APPID"])
        return wechat.text(f"o-follower-{number}", "12351")

    with ThreadPoolExecutor(12) as pool:
        results = list(pool.map(hotline, range(48)))
    assert [r.status for r in results] == [200] * 48
    assert all(r.reply["Content"].startswith("北京12351职工服务热线") for r in results)
    assert requests.get(url + "/healthz", timeout=5).json()["checks"] == {"database": "ok", "redis": "ok"}


def test_the_master_reads_every_form_before_forking():
    from miniapp_backend.forms import catalog
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    catalog._load_cached.cache_clear()
    settings["pre_fork"](server=None, worker=None)
    form_files = sorted(str(path) for path in catalog.PACKAGE_DIR.glob("*/*.yaml"))
    # Each file parsed once, in the master: a worker's first chat message finds them all read.
    assert form_files and catalog._load_cached.cache_info().currsize == len(form_files)
