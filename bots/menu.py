"""The custom menu (3 top-level buttons, at most 5 under each) and the chairs' personalised one.

Everyone gets 驿站 / 服务 / 关于. Chairs and staff are tagged when they bind, and users with the
tag see 申报 / 驿站 / 关于. Tags and personalised menus need a verified account; elsewhere the
default menu stays and chairs type 申报.
"""
import json
from enum import StrEnum

import click
from flask import current_app
from flask.cli import with_appcontext

from bots.conversation.replies import FILLER_TAG, MENU
from miniapp_backend import wechat
from workers.context import job_context
from workers.queues import enqueue_once


class MenuKey(StrEnum):
    """Keys of click-type buttons (and of the location and scan buttons)."""

    FILL = "FILL"
    PROGRESS = "PROGRESS"
    HELP = "HELP"
    HOTLINE = "HOTLINE"
    BIND = "BIND"
    HUMAN = "HUMAN"
    NEARBY = "NEARBY"
    SCAN = "SCAN"


CLI_MENU = "通过微信接口创建公众号自定义菜单（含工会填报人员的个性化菜单）。"
# What a click means: the command a user could have typed instead.
MENU_COMMANDS = {MenuKey.FILL: "申报", MenuKey.PROGRESS: "进度", MenuKey.HELP: "帮助",
                 MenuKey.HOTLINE: "12351", MenuKey.BIND: "绑定", MenuKey.HUMAN: "人工"}


def _click(name, key):
    """A click button."""
    return {"type": "click", "name": MENU[name], "key": key}


def _stations():
    """驿站: the location picker and the scanner."""
    return {"name": MENU["stations"], "sub_button": [
        {"type": "location_select", "name": MENU["nearby"], "key": MenuKey.NEARBY},
        {"type": "scancode_push", "name": MENU["scan"], "key": MenuKey.SCAN}]}


def _about(config):
    """关于: the public site."""
    return {"type": "view", "name": MENU["about"], "url": config.public_base_url + "/"}


def default_buttons(config):
    """Everyone's menu."""
    services = [_click("hotline", MenuKey.HOTLINE), _click("bind", MenuKey.BIND)]
    if config.verified_service_account:
        services.append(_click("human", MenuKey.HUMAN))
    services.append(_click("help", MenuKey.HELP))
    return [_stations(), {"name": MENU["services"], "sub_button": services}, _about(config)]


def filler_buttons(config):
    """The menu of tagged chairs and staff."""
    apply_ = {"name": MENU["apply"], "sub_button": [
        _click("fill", MenuKey.FILL), _click("progress", MenuKey.PROGRESS), _click("help", MenuKey.HELP)]}
    return [apply_, _stations(), _about(config)]


def filler_tag_id(client):
    """The id of the 工会填报 tag, created when missing."""
    for tag in client.tag.get():
        if tag["name"] == FILLER_TAG:
            return tag["id"]
    return client.tag.create(FILLER_TAG)["id"]


def install(client, config):
    """Replace the account's menus: the default one, and the chairs' one where tags exist."""
    client.menu.delete()
    client.menu.create({"button": default_buttons(config)})
    if not config.verified_service_account:
        return None
    rule = {"tag_id": str(filler_tag_id(client))}
    return client.menu.add_conditional({"button": filler_buttons(config), "matchrule": rule})


def tag_later(redis, openid):
    """Enqueue tagging a newly bound chair (a Tencent call: never inside the webhook)."""
    enqueue_once(redis, "bots.menu.tag_filler", f"tag-filler-{openid}", openid)


def tag_filler(openid):
    """Job: tag a chair or staff member so the personalised menu shows 申报."""
    with job_context() as ctx:
        if not ctx.config.verified_service_account:
            return None
        client = wechat.official_client(ctx.config, ctx.redis)
        return client.tag.tag_user(filler_tag_id(client), openid)


@click.command("menu", help=CLI_MENU)
@with_appcontext
def menu_command():
    """Create the official account's menus through the WeChat API."""
    config = current_app.config["ZGZJ"]
    client = wechat.official_client(config, current_app.extensions["redis"])
    personalised = install(client, config)
    click.echo(json.dumps({"default": True, "personalised": bool(personalised)}))
