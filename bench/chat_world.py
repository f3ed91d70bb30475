"""The system the chat benchmark drives: the product app with its clock pinned, and chairs each
standing at item 1 of a 示范职工之家 draft (bench/chat.py runs the load)."""
import datetime as dt
import os
import time
from pathlib import Path

from bench.common import free_port, stop_process
from standin import crypto as wx_crypto
from standin.callback import build_xml, new_msg_id, new_nonce, parse_xml

ROOT = Path(__file__).resolve().parent.parent

# 10:00 in Beijing on a day the 2018 windows are open (as in tests/bots/conftest.py).
BOT_NOW = dt.datetime(2018, 5, 10, 2, 0)
TOKEN, APPID = "benchtoken", "wx00000000000000b1"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_bench000001"
KIND_LABEL = "示范职工之家"


def product_app():
    """The product's WSGI app with the bot's clock pinned (gunicorn `bench.chat_world:product_app()`)."""
    from bots import clock
    from miniapp_backend.app import create_app
    app = create_app()
    app.config[clock.NOW_SETTING] = BOT_NOW
    return app


def bench_env(var_dir, redis_url):
    """The environment both the setup and the gunicorns read."""
    return {**os.environ, "APP_ENV": "test", "VAR_DIR": str(var_dir),
            "DATABASE_URL": f"sqlite:///{var_dir / 'bench.db'}", "REDIS_URL": redis_url,
            "SECRET_KEY": "bench-secret", "WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID,
            "WECHAT_AES_KEY": AES_KEY, "WECHAT_SECRET": "bench",
            # Nothing listens there: answering items must not need Tencent.
            "WECHAT_API_BASE_URL": f"http://127.0.0.1:{free_port()}",
            "PYTHONPATH": str(ROOT)}


def plain_post(client, openid, content):
    """One plain-mode text message through the Flask test client; returns the reply text."""
    timestamp, nonce = str(int(time.time())), new_nonce()
    xml = build_xml({"ToUserName": ACCOUNT, "FromUserName": openid, "CreateTime": int(time.time()),
                     "MsgType": "text", "Content": content, "MsgId": new_msg_id()})
    query = {"signature": wx_crypto.signature(TOKEN, timestamp, nonce), "timestamp": timestamp,
             "nonce": nonce, "openid": openid}
    response = client.post("/wechat", query_string=query, data=xml.encode(), content_type="text/xml")
    return parse_xml(response.text).get("Content", "") if response.text.startswith("<xml") else ""


def open_draft(client, openid):
    """申报 → the 示范职工之家 number → 确认: the chair now stands at item 1."""
    listing = plain_post(client, openid, "申报")
    line = next(line for line in listing.splitlines() if KIND_LABEL in line and line[:1].isdigit())
    plain_post(client, openid, line.split(".")[0])
    reply = plain_post(client, openid, "确认")
    assert "第1/21项" in reply, reply


def count_every_photo(openid, number):
    """A pending photo for every item of the chair's draft, so 是 never waits for one."""
    from bots.conversation import steps
    from bots.conversation.steps import StepKind
    from miniapp_backend.models import Application, Channel
    from miniapp_backend.models.chat_media import ChatMedia
    from miniapp_backend.db import database
    from miniapp_backend.services import people
    # The test client's teardown closed the connection after the last message.
    database.connect(reuse_if_open=True)
    person = people.person_for(Channel.OFFICIAL, openid)
    application = Application.get(created_by=person)
    slots = [step.key for step in steps.walk(application) if step.kind == StepKind.ITEM]
    ChatMedia.create(application=application, person=person, media_id=f"bench-{number}", slots=slots)


def build_world(chairs):
    """Campaign, district, one unit per chair; each chair's draft opened at item 1."""
    from miniapp_backend.models import OrgKind, RoleKind
    from miniapp_backend.services import campaigns, orgs
    from miniapp_backend.services.campaigns import CAMPAIGNS_DIR
    from tests.factories import person
    from miniapp_backend.db import database
    app = product_app()
    database.connect(reuse_if_open=True)
    campaigns.load_campaign(CAMPAIGNS_DIR / "2018.yaml")
    district = orgs.create_org(None, OrgKind.DISTRICT, "北京市房山区总工会")
    system = orgs.create_org(district, OrgKind.SYSTEM, "房山区良乡镇总工会", category="乡镇街道总工会")
    facts = dict(employee_count=150, member_count=140, chair_name="王建国", phone="010-69312345",
                 founded_on=dt.date(2017, 6, 1), nature="企业")
    client, openids = app.test_client(), []
    for number in range(chairs):
        unit = orgs.create_org(system, OrgKind.GRASSROOTS, f"良乡示例{number}公司工会委员会", **facts)
        openid = f"o-bench-{number}"
        person(f"主席{number}", unit, RoleKind.CHAIR, openid)
        database.connect(reuse_if_open=True)
        open_draft(client, openid)
        count_every_photo(openid, number)
        openids.append(openid)
    return openids


def setup_stores(var_dir, chairs):
    """Embedded Redis, migrations, the world; returns (redis process, env, openids)."""
    from miniapp_backend import embedded_redis
    from miniapp_backend.migrate import apply_migrations
    redis_dir = var_dir / "redis"
    redis_dir.mkdir(parents=True)
    redis = embedded_redis.start_child(redis_dir)
    env = bench_env(var_dir, f"unix://{embedded_redis.socket_path(redis_dir)}")
    os.environ.update(env)
    from miniapp_backend.db import database, init_database
    init_database(env["DATABASE_URL"])
    try:
        apply_migrations(database)
        openids = build_world(chairs)
    except BaseException:
        stop_process(redis)
        raise
    return redis, env, openids
