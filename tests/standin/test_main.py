"""`python -m standin`: ready line, serving, clean exit on SIGTERM and SIGINT."""
import os
import signal
import subprocess
import sys

import pytest
import requests

from miniapp_backend.config import PROJECT_ROOT


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_runs_until_signalled(signum):
    """Prints "standin ready on http://…", answers, and exits 0 on the signal."""
    env = {**os.environ, "WECHAT_APPID": "wx00000000000000aa", "WECHAT_SECRET": "s3"}
    process = subprocess.Popen(
        [sys.executable, "-m", "standin", "--port", "0", "--callback-url",
         "http://127.0.0.1:8000/wechat"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("standin ready on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        token = requests.get(url + "/cgi-bin/token", timeout=5, params={
            "grant_type": "client_credential", "appid": "wx00000000000000aa", "secret": "s3"})
        assert "access_token" in token.json()
        process.send_signal(signum)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
