"""Helpers several benchmarks share: a free loopback port, a throw-away PostgreSQL database."""
import secrets
import socket


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
