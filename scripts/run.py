"""`make run`: the whole system in the foreground, on embedded stores, with demo data.

Starts the embedded Redis (unless REDIS_URL is set), applies migrations, loads campaigns and
the demo district, then runs gunicorn, an rq worker, the scheduler and (without real WeChat
credentials) the WeChat stand-in. Ctrl-C or SIGTERM stops every child; none is left behind.
The offline demo runs on a day inside the latest campaign's rounds (see demo_clock).
"""
import ctypes
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from miniapp_backend import embedded_redis  # noqa: E402
from miniapp_backend.clock import OFFSET_DAYS_ENV, SHANGHAI  # noqa: E402
from miniapp_backend.config import Config, ConfigError  # noqa: E402
from miniapp_backend.services import campaigns, demo as demo_data  # noqa: E402

WEB_PORT = int(os.environ.get("PORT", "8000"))
STANDIN_PORT = int(os.environ.get("STANDIN_PORT", "8900"))
# The stand-in's official account and mini-program (offline demo only).
DEMO_WECHAT = {
    "WECHAT_APPID": "wxdemo00000000001",
    "WECHAT_SECRET": "demo-secret-official",
    "WECHAT_TOKEN": "demotoken",
    "WECHAT_AES_KEY": "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG",
    "MINIAPP_APPID": "wxdemo00000000002",
    "MINIAPP_SECRET": "demo-secret-miniapp",
}
PR_SET_PDEATHSIG = 1
STORES = ("redis",)  # stopped last: the others flush to them on the way out


def _die_with_parent():
    """Children get SIGTERM if this supervisor dies, even by SIGKILL (Linux)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class Supervisor:
    """Starts children in order and stops them in reverse."""

    def __init__(self, env):
        self.env = env
        self.children = []

    def start(self, name, argv):
        """Start one child in its own process group (so Ctrl-C reaches it only through us)."""
        proc = subprocess.Popen(argv, env=self.env, cwd=ROOT, preexec_fn=self._child_setup)
        self.children.append((name, proc))
        return proc

    @staticmethod
    def _child_setup():
        os.setpgrp()
        _die_with_parent()

    def stop(self):
        """Stop the processes newest first, then the stores they need to shut down cleanly."""
        stores = [child for child in self.children if child[0] in STORES]
        self._stop([child for child in self.children if child[0] not in STORES])
        self._stop(stores)

    @staticmethod
    def _stop(children):
        """SIGTERM each child, newest first; SIGKILL whatever is still alive after 10 s."""
        for name, proc in reversed(children):
            if proc.poll() is None:
                print(f"[run] stopping {name}", flush=True)
                proc.terminate()
        deadline = time.monotonic() + 10
        for name, proc in reversed(children):
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"[run] {name} did not stop in time; killing it", flush=True)
                proc.kill()
                proc.wait()

    def first_exit(self):
        """Block until a child exits (or a signal arrives); return its name."""
        while True:
            for name, proc in self.children:
                if proc.poll() is not None:
                    return name
            time.sleep(0.5)


def wechat_env(env):
    """Real credentials if given; otherwise the stand-in's demo account."""
    if env.get("WECHAT_APPID"):
        return env, False
    env = {**env, **DEMO_WECHAT, "WECHAT_API_BASE_URL": f"http://127.0.0.1:{STANDIN_PORT}"}
    return env, True


def demo_clock(env):
    """The offline demo's day and the environment that gives every process its clock offset.

    By default the latest campaign's demo day (every kind open); DEMO_DAY=YYYY-MM-DD picks
    another, DEMO_DAY=today keeps the real date.
    """
    real_today = dt.datetime.now(SHANGHAI).date()
    chosen = env.get("DEMO_DAY", "")
    if chosen == "today":
        return env, real_today
    try:
        day = (dt.date.fromisoformat(chosen) if chosen
               else demo_data.demo_day(campaigns.read_campaign_file(campaigns.campaign_files()[-1])))
    except ValueError:
        sys.exit(f"configuration error: DEMO_DAY: a date such as 2018-04-28, or today; not {chosen!r}")
    return {**env, OFFSET_DAYS_ENV: str((day - real_today).days)}, day


# What another command needs to act on the running demo: its clock, its links and its WeChat.
DEMO_ENV_FILE = "demo.env"
DEMO_ENV_KEYS = (OFFSET_DAYS_ENV, "PUBLIC_BASE_URL", "WECHAT_API_BASE_URL", "VAR_DIR", *DEMO_WECHAT)


def write_demo_env(env, var_dir):
    """var/demo.env: the settings `scripts/flask-demo` gives a command run beside the demo."""
    path = Path(var_dir) / DEMO_ENV_FILE
    path.write_text("".join(f"{key}={env[key]}\n" for key in DEMO_ENV_KEYS if env.get(key)), encoding="utf-8")
    return path


def exit_if_taken(ports):
    """Stop before starting anything when a port to listen on is taken (by an earlier `make run`,
    another program), naming the setting that picks another; `ports` maps setting to port."""
    for setting, port in ports.items():
        with socket.socket() as probe:
            # As the servers bind: a connection of a stopped run left in TIME_WAIT does not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                sys.exit(f"port {port} is in use (is `make run` already running?): "
                         f"choose another with {setting}, e.g. {setting}={port + 1} make run")


def prepare(env):
    """Migrations, campaigns and demo data, through the CLI so it is the same code path."""
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    for command in (["migrate"], ["load-campaign"], ["seed-demo"]):
        subprocess.run(flask + command, env=env, cwd=ROOT, check=True)


def banner(env, demo, day):
    """Where everything is and how to try it."""
    base = f"http://127.0.0.1:{WEB_PORT}"
    lines = [
        "", "职工之家平台已启动 / the system is up:",
        f"  web (API, /wechat, /healthz): {base}/healthz",
        f"  database: {env.get('DATABASE_URL') or 'SQLite under var/'}",
        f"  redis:    {env['REDIS_URL']}",
    ]
    if demo:
        lines += [f"  WeChat stand-in: http://127.0.0.1:{STANDIN_PORT} (offline demo account)",
                  "  demo invite code: the last line of the seed-demo output above",
                  "  chat as a user: scripts/flask-demo chat --openid <any id>"
                  " (a chair first sends 绑定 <invite code>; a worker tries 附近驿站)",
                  f"  demo day: {day:%Y-%m-%d}, the clock runs from there (DEMO_DAY=today for the real date)",
                  "  other commands on this demo (same day, links, stand-in): scripts/flask-demo <command>,"
                  " e.g. scripts/flask-demo evaluation open …"]
    lines += ["  Ctrl-C stops everything.", ""]
    print("\n".join(lines), flush=True)


def _interrupt(_signum, _frame):
    """Ctrl-C and SIGTERM both stop the whole system."""
    raise KeyboardInterrupt


def main():
    """Run everything until Ctrl-C or SIGTERM, or until a child dies."""
    env = dict(os.environ)
    try:
        config = Config.from_env(env)
    except ConfigError as exc:
        sys.exit(f"configuration error: {exc}")
    env["VAR_DIR"] = str(config.var_dir)
    # Links the system prints and encodes (admin sign-in, station pages, QR codes) use PORT.
    env.setdefault("PUBLIC_BASE_URL", f"http://127.0.0.1:{WEB_PORT}")
    env, demo = wechat_env(env)
    env, day = demo_clock(env) if demo else (env, None)
    exit_if_taken({"PORT": WEB_PORT, **({"STANDIN_PORT": STANDIN_PORT} if demo else {})})
    supervisor = Supervisor(env)
    # Installed explicitly: a shell starting us in the background would leave SIGINT ignored.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, _interrupt)
    try:
        if config.redis_embedded:
            redis_dir = config.var_dir / "redis"
            if embedded_redis.is_up(redis_dir):
                sys.exit(f"an embedded Redis already runs in {redis_dir}: is `make run` already running?")
            supervisor.start("redis", embedded_redis.server_command(redis_dir))
            embedded_redis.wait_until_up(redis_dir)
            env["REDIS_URL"] = config.redis_url
        else:
            env["REDIS_URL"] = config.redis_url
        if demo:
            supervisor.start("wechat-standin", [
                sys.executable, "-m", "standin", "--host", "127.0.0.1", "--port", str(STANDIN_PORT),
                "--callback-url", f"http://127.0.0.1:{WEB_PORT}/wechat"])
        prepare(env)
        if demo:
            write_demo_env(env, config.var_dir)
        # No access log: ballot links (/b/<code>) are secrets, and a logged path plus SECRET_KEY
        # would tie a voter to a ballot.
        supervisor.start("web", [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"),
                                 "--bind", f"127.0.0.1:{WEB_PORT}",
                                 "--workers", "2", "wsgi:app"])
        supervisor.start("worker", [sys.executable, "-m", "workers"])
        supervisor.start("scheduler", [sys.executable, "-m", "workers.scheduler"])
        banner(env, demo, day)
        died = supervisor.first_exit()
        print(f"[run] {died} exited; stopping the rest", flush=True)
        code = 1
    except KeyboardInterrupt:
        code = 0
    finally:
        supervisor.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()
