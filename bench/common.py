"""Helpers several benchmarks share: a free loopback port, a throw-away PostgreSQL database,
the CPU time of gunicorn's workers and of one process, stopping a child process."""
import os
import secrets
import socket
import subprocess
from pathlib import Path


def free_port():
    """A loopback port nobody listens on right now (the OS hands out an ephemeral one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def temporary_postgres(admin_url):
    """A throw-away database on the server of `admin_url`; (url, drop function)."""
    import psycopg2
    name = f"zgzj_bench_{secrets.token_hex(4)}"

    def admin(sql):
        """Run one statement outside a transaction."""
        conn = psycopg2.connect(admin_url)
        conn.autocommit = True
        try:
            conn.cursor().execute(sql)
        finally:
            conn.close()
    admin(f'CREATE DATABASE "{name}"')
    return f"{admin_url.rsplit('/', 1)[0]}/{name}", lambda: admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _stat_fields(stat):
    """The fields of a /proc/<pid>/stat file after the command name, or None if it is gone."""
    try:
        return stat.read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None  # the process ended meanwhile


def _cpu_seconds(fields):
    """utime + stime of one process's stat fields, in seconds."""
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_cpu_seconds(master):
    """CPU seconds used so far by the children of process `master` (Linux /proc; 0 elsewhere)."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        fields = _stat_fields(stat)
        if fields is not None and int(fields[1]) == master.pid:  # ppid
            total += _cpu_seconds(fields)
    return total


def process_cpu_seconds(process):
    """CPU seconds used so far by one process (Linux /proc; 0 elsewhere)."""
    fields = _stat_fields(Path(f"/proc/{process.pid}/stat"))
    return _cpu_seconds(fields) if fields is not None else 0


def stop_process(process):
    """Terminate one child we started, killing it if it lingers."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
