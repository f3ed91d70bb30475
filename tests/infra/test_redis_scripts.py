"""Lua scripts on their own connection: loaded when missing, reconnected, never shared by a fork."""
import os

from miniapp_backend import redis_scripts
from miniapp_backend.redis_scripts import LuaScript

INCREMENT = LuaScript(b"return redis.call('INCRBY', KEYS[1], ARGV[1])")


def test_a_script_runs_and_is_loaded_again_after_the_server_forgot_it(redis_client):
    assert INCREMENT(("counter",), (2,), redis_client) == 2
    redis_client.script_flush()
    assert INCREMENT(("counter",), (3,), redis_client) == 5


def test_a_connection_the_server_closed_is_opened_again(redis_client):
    assert INCREMENT(("counter",), (1,), redis_client) == 1
    mine = redis_scripts._connections.of(redis_client)
    mine.send_command("CLIENT", "ID")
    assert redis_client.client_kill_filter(_id=mine.read_response()) == 1
    assert INCREMENT(("counter",), (1,), redis_client) == 2


def test_a_forked_process_uses_a_connection_of_its_own(redis_client):
    assert INCREMENT(("counter",), (1,), redis_client) == 1
    inherited = redis_scripts._connections.of(redis_client)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether it reused the parent's connection
        try:
            result = INCREMENT(("counter",), (10,), redis_client)
            fresh = redis_scripts._connections.of(redis_client) is not inherited
            os.write(write, f"{result} {fresh}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(pid, 0)
    assert os.read(read, 100).decode() == "11 True"
    assert INCREMENT(("counter",), (1,), redis_client) == 12
