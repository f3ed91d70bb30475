"""What answering one checklist item costs the stores: counted, not timed.

The chat's hot path (bench/chat.py) was brought down to these counts; a change that makes each
answer read more, or talk to Redis more often, shows here first.
"""
from miniapp_backend.db import database
from tests.bots.flows import pick_kind

STATEMENTS_PER_ANSWER = 8  # identity, application, two answers, role, insert, touch, photos, pending
SCRIPTS_PER_ANSWER = 2  # admission and finish (bots/admission.py)


def _script_calls(redis_client):
    """EVALSHA calls the server has run so far."""
    return redis_client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)


def test_an_item_answer_stays_within_its_statement_and_round_trip_budget(world, wechat_user, redis_client):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    assert "第2/21项" in user.say("否 在建")  # the first answer compiles the prepared queries
    statements = []
    hook = lambda event: statements.append(event.sql)  # noqa: E731
    database.obj.query_hooks.append(hook)
    scripts = _script_calls(redis_client)
    try:
        reply = user.say("否 在建")
    finally:
        database.obj.query_hooks.remove(hook)
    assert "第2项已记录" in reply and "第3/21项" in reply
    assert len(statements) <= STATEMENTS_PER_ANSWER, "\n".join(statements)
    assert _script_calls(redis_client) - scripts == SCRIPTS_PER_ANSWER
