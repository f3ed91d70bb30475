"""The custom menus: within Tencent's limits, installed through the API, chairs tagged by a job."""
import dataclasses

import pytest
import requests

from bots import menu
from miniapp_backend import wechat
from miniapp_backend.app import create_app
from miniapp_backend.services import people
from standin.menus import validate_menu
from standin.protocol import ApiError


@pytest.mark.parametrize("kind", ["service_verified", "subscription"])
def test_menus_fit_tencents_limits(config, kind):
    config = dataclasses.replace(config, wechat_account_kind=kind)
    for buttons in (menu.default_buttons(config), menu.filler_buttons(config)):
        validate_menu(buttons)  # raises ApiError otherwise
        assert len(buttons) <= 3 and all(len(b.get("sub_button", [])) <= 5 for b in buttons)
    types = {sub["type"] for b in menu.default_buttons(config) for sub in b.get("sub_button", [])}
    assert {"location_select", "scancode_push", "click"} <= types


def test_a_too_long_name_would_be_refused():
    with pytest.raises(ApiError):
        validate_menu([{"type": "click", "name": "这个按钮的名字实在太长了", "key": "X"}])


def test_install_and_tag_a_new_chair(config, world, standin, jobs, redis_client, wechat_user):
    wx_config = dataclasses.replace(config, wechat_api_base_url=standin.url)
    client = wechat.official_client(wx_config, redis_client)
    menu.install(client, config)
    assert standin.state.menu["button"][0]["sub_button"][0]["type"] == "location_select"
    (conditional,) = standin.state.conditional_menus
    assert conditional["button"][0]["name"] == "申报"
    invite = people.create_invite(world.other_unit)
    assert "绑定成功" in wechat_user("o-newchair").say(f"绑定 {invite.code}")
    jobs()
    seen = requests.post(f"{standin.url}/cgi-bin/menu/trymatch", params={"access_token": client.access_token},
                         json={"user_id": "o-newchair"}, timeout=5).json()
    assert seen["button"][0]["name"] == "申报"
    menu.install(client, config)  # again: still one personalised menu, one tag
    assert len(standin.state.conditional_menus) == 1 and len(standin.state.tags) == 1


def test_menu_command(config, db, redis_client, standin):
    app = create_app(dataclasses.replace(config, wechat_api_base_url=standin.url))
    result = app.test_cli_runner().invoke(args=["menu"])
    assert result.exit_code == 0 and '"personalised": true' in result.output
    assert standin.state.menu is not None


def _click_buttons(buttons):
    """The click buttons of a menu, top level and below."""
    return [sub for button in buttons for sub in button.get("sub_button", [button]) if sub["type"] == "click"]


def test_typing_a_buttons_name_does_what_clicking_it_does(config, world, wechat_user):
    """People type what they see on the menu (人工客服, 12351热线, 绑定单位): it is that button."""
    user = wechat_user("o-worker")
    for button in _click_buttons(menu.default_buttons(config) + menu.filler_buttons(config)):
        clicked = user.event("CLICK", event_key=button["key"])
        typed = user.send(user.builder.message_fields(user.openid, "text", {"Content": button["name"]}))
        assert typed.reply["MsgType"] == clicked.reply["MsgType"], button["name"]
        assert typed.text == clicked.text, button["name"]


def test_a_code_after_a_colon_or_the_words_of_the_help_binds(world, wechat_user):
    user = wechat_user("o-newcomer")
    assert "请发送邀请码" in user.say("绑定 邀请码")  # the help's own words, typed literally
    invite = people.create_invite(world.other_unit)
    assert "绑定成功" in user.say(f"绑定：{invite.code}")
