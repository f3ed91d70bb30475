"""Lua scripts run by their SHA-1, loaded into the server again when it has forgotten them.

redis-py's own Script calls `evalsha`, whose argument-deprecation wrapper inspects every call;
on the chat's path, which runs two scripts a message, that cost as much as parsing the replies.
"""
import hashlib

from redis.exceptions import NoScriptError


class LuaScript:
    """`script(keys, args, client)` runs the script on `client`'s server."""

    def __init__(self, source: bytes):
        self.source = source
        self.sha = hashlib.sha1(source).hexdigest()

    def __call__(self, keys, args, client):
        command = ("EVALSHA", self.sha, len(keys), *keys, *args)
        try:
            return client.execute_command(*command)
        except NoScriptError:  # a restarted or flushed server
            client.script_load(self.source)
            return client.execute_command(*command)
