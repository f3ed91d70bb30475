"""/wechat served in front of Flask (bots/route.py): methods, failures, the query, the pool."""
import redis

from bench.common import free_port
from bots.route import query_args
from miniapp_backend.db import database
from tests.bots.test_endpoint import signed, text_xml


def test_only_get_and_post_reach_the_callback_and_other_paths_reach_flask(bot_app):
    client = bot_app.test_client()
    refused = client.put("/wechat", data="<xml/>")
    assert refused.status_code == 405 and refused.headers["Allow"] == "GET, POST"
    answered = client.get("/wechat", query_string={**signed(), "echostr": "e123"})
    assert (answered.status_code, answered.text) == (200, "e123")
    assert answered.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert client.get("/healthz").status_code == 200  # Flask's own routes are untouched
    assert client.get("/wechat/").status_code == 404


def test_a_message_gives_its_database_connection_back(world, wechat_user):
    user = wechat_user("o-王建国")
    assert "申报" in user.say("帮助")
    assert database.is_closed()  # back in the pool, not held by this thread until the next message


def test_redis_down_is_a_500_wechat_retries_and_the_connection_goes_back(world, wechat_user, bot_app):
    user = wechat_user("o-王建国")
    bot_app.extensions["redis"] = redis.Redis(port=free_port(), socket_connect_timeout=1)
    response = user.post_raw(*user.request(text_xml(user, "帮助")))
    assert response.status_code == 500 and response.text == ""
    assert database.is_closed()


def test_query_arguments_read_as_flask_read_them():
    environ = {"QUERY_STRING": "nonce=1&nonce=2&echostr=&label=%E5%8D%81%E6%B8%A1&raw=\xe5\x8d\x81"}
    # The first of a repeated name; blank values kept; %-escapes and raw bytes both UTF-8.
    assert query_args(environ) == {"nonce": "1", "echostr": "", "label": "十渡", "raw": "十"}
    assert query_args({}) == {}
