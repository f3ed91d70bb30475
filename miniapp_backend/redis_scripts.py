"""Lua scripts run by their SHA-1 on a connection of their own, loaded again when the server
has forgotten them.

The chat runs two scripts a message. Through redis-py's Script every call also passes the
pool (an argument-deprecation wrapper, a fork check, a readiness poll on the socket, the
release) and the client's metrics and retry wrapper: about 60 µs a call, more than the round
trip's own packing and parsing. A script here keeps one connection per thread and server
(a forked process opens its own) and talks to it directly, packed by hiredis.
"""
import hashlib
import os
import threading
import weakref

from hiredis import pack_command
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError


class _Connections(threading.local):
    """This thread's script connection to each client's pool, in this process."""

    def __init__(self):
        self.pid, self.by_pool = os.getpid(), weakref.WeakKeyDictionary()

    def of(self, client):
        """The connection to `client`'s server (made on first use, not yet opened)."""
        if self.pid != os.getpid():  # forked: the parent's sockets are not ours
            self.pid, self.by_pool = os.getpid(), weakref.WeakKeyDictionary()
        pool = client.connection_pool
        connection = self.by_pool.get(pool)
        if connection is None:
            connection = self.by_pool[pool] = pool.make_connection()
        return connection


_connections = _Connections()


class LuaScript:
    """`script(keys, args, client)` runs the script on `client`'s server."""

    def __init__(self, source: bytes):
        self.source = source
        self.sha = hashlib.sha1(source).hexdigest()

    def __call__(self, keys, args, client):
        connection = _connections.of(client)
        command = ("EVALSHA", self.sha, len(keys), *keys, *args)
        try:
            return self._run(connection, command)
        except RedisConnectionError:
            # The server went away since the last call (a restart): the failed call closed
            # the connection, and this send opens it again; a second failure is real.
            return self._run(connection, command)

    def _run(self, connection, command):
        """Send and read one EVALSHA, loading the script first if the server lacks it."""
        packed = [pack_command(command)]
        connection.send_packed_command(packed)
        try:
            return connection.read_response()
        except NoScriptError:  # a restarted or flushed server
            connection.send_command("SCRIPT", "LOAD", self.source)
            connection.read_response()
            connection.send_packed_command(packed)
            return connection.read_response()
