"""Helpers several benchmarks share: a free loopback port, a throw-away PostgreSQL database,
the CPU time of gunicorn's workers."""
import os
import secrets
import socket
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


def worker_cpu_seconds(master):
    """CPU seconds used so far by the children of process `master` (Linux /proc; 0 elsewhere)."""
    total, tick = 0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == master.pid:  # ppid
            total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / tick
