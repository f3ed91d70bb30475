"""The environment of job processes in tests, and real `python -m workers` processes to kill."""
import os
import signal
import subprocess
import sys

import pytest

from miniapp_backend.config import PROJECT_ROOT
from workers import context


def job_variables(config, standin):
    """The variables a job process reads: the test backends, files and the WeChat stand-in."""
    return {
        "APP_ENV": "test", "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url,
        "VAR_DIR": str(config.var_dir), "SECRET_KEY": "test", "WECHAT_API_BASE_URL": standin.url,
        "PUBLIC_BASE_URL": config.public_base_url,
        "WECHAT_APPID": config.wechat_appid, "WECHAT_SECRET": config.wechat_secret,
        "MINIAPP_APPID": config.miniapp_appid, "MINIAPP_SECRET": config.miniapp_secret,
    }


@pytest.fixture
def job_env(monkeypatch, config, standin, redis_client, db):
    """Jobs run in this process (SimpleWorker) see the test backends; yields the variables."""
    variables = job_variables(config, standin)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    context._cached.clear()
    yield variables
    context._cached.clear()
    WorkerProcess.reap_all()


class WorkerProcess:
    """`python -m workers` in its own session, so the test can SIGKILL exactly what it started."""

    # Sessions started by a test: a killed worker leaves its rq scheduler process (and perhaps a
    # work horse) behind, which would go on polling Redis into later tests.
    _sessions = []

    def __init__(self, variables):
        """Start the worker with the job variables."""
        env = {**os.environ, **variables, "PYTHONPATH": str(PROJECT_ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "workers"], cwd=PROJECT_ROOT, env=env,
                                        start_new_session=True, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self._sessions.append(self.process.pid)

    @classmethod
    def reap_all(cls):
        """SIGKILL whatever is left of every session started (the test is over)."""
        while cls._sessions:
            try:
                os.killpg(cls._sessions.pop(), signal.SIGKILL)
            except ProcessLookupError:
                pass

    def kill(self):
        """SIGKILL the worker process itself (its work horse is killed separately)."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self):
        """End the worker if it still runs: a warm stop, then a kill."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
