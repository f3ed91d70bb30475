"""Custom menus (Tencent's limits), tags and personalised menus by tag."""
import pytest
from wechatpy.exceptions import WeChatClientException


def _click(name="附近驿站", key="NEARBY"):
    """A click button."""
    return {"type": "click", "name": name, "key": key}


def _view(name="我的", url="https://example.org/me"):
    """A view (link) button."""
    return {"type": "view", "name": name, "url": url}


def _parent(subs, name="服务"):
    """A top-level button holding sub-buttons."""
    return {"name": name, "sub_button": subs}


VALID_MENU = {"button": [
    _click(),
    _parent([_view(), {"type": "location_select", "name": "发送位置", "key": "WHERE"},
             {"type": "miniprogram", "name": "小程序", "url": "https://example.org/",
              "appid": "wx0000000000000002", "pagepath": "pages/index/index"},
             {"type": "scancode_waitmsg", "name": "扫码", "key": "SCAN"},
             {"type": "pic_photo_or_album", "name": "拍照", "key": "PHOTO"}]),
    _view("帮助", "http://example.org/help"),
]}


def test_menu_create_get_delete(official):
    """A valid menu round-trips; after delete, wechatpy's menu.get returns None (46003)."""
    official.menu.create(VALID_MENU)
    assert official.menu.get()["menu"]["button"] == VALID_MENU["button"]
    official.menu.delete()
    assert official.menu.get() is None


@pytest.mark.parametrize("buttons, errcode", [
    ([_click()] * 4, 40016),
    ([], 40016),
    ([_parent([_click()] * 6)], 40023),
    ([{"type": "tap", "name": "x", "key": "k"}], 40017),
    ([_parent([{"type": "tap", "name": "x", "key": "k"}])], 40024),
    ([_click(name="六个汉字名字")], 40018),
    ([_click(name="")], 40018),
    ([_parent([_click(name="名" * 21)])], 40025),
    ([_click(key="k" * 129)], 40019),
    ([_parent([_click(key="")])], 40026),
    ([_view(url="example.org/no-scheme")], 40055),
    ([_view(url="https://example.org/" + "x" * 1010)], 40020),
    ([_parent([_view(url="ftp://example.org/")])], 40054),
])
def test_menu_limits(official, buttons, errcode):
    """Counts, types, and name/key/url sizes answer Tencent's errcodes."""
    with pytest.raises(WeChatClientException) as caught:
        official.menu.create({"button": buttons})
    assert caught.value.errcode == errcode


def test_limits_at_the_edge_pass(official):
    """5 Chinese characters (15 bytes) on top, 20 (60 bytes) below, 128-byte keys pass."""
    official.menu.create({"button": [_click(name="五个汉字名", key="k" * 128),
                                     _parent([_click(name="名" * 20)] * 5)]})


def test_conditional_menu_by_tag(official, control):
    """A tag-targeted menu is seen by tagged users only; delconditional removes it."""
    with pytest.raises(WeChatClientException) as caught:
        official.menu.add_conditional({"button": [_click()], "matchrule": {"tag_id": "100"}})
    assert caught.value.errcode == 65303
    official.menu.create(VALID_MENU)
    tag = official.tag.create("站长")
    with pytest.raises(WeChatClientException) as caught:
        official.menu.add_conditional({"button": [_click()], "matchrule": {"tag_id": "999"}})
    assert caught.value.errcode == 45159
    control("POST", "/standin/users", json={"openid": "o-keeper", "subscribe": 1})
    official.tag.tag_user(tag["id"], ["o-keeper"])
    staff_menu = [_click("站长工作台", "KEEPER")]
    menuid = official.menu.add_conditional(
        {"button": staff_menu, "matchrule": {"tag_id": str(tag["id"])}})["menuid"]
    assert official.menu.try_match("o-keeper")["button"] == staff_menu
    assert official.menu.try_match("o-visitor")["button"] == VALID_MENU["button"]
    assert official.menu.get()["conditionalmenu"][0]["menuid"] == int(menuid)
    assert official.user.get("o-keeper")["tagid_list"] == [tag["id"]]
    official.menu.del_conditional(menuid)
    assert official.menu.try_match("o-keeper")["button"] == VALID_MENU["button"]
    with pytest.raises(WeChatClientException) as caught:
        official.menu.del_conditional(menuid)
    assert caught.value.errcode == 65301


def test_tag_rules(official):
    """Tag names are unique and at most 30 bytes; tagging needs 1-50 openids."""
    official.tag.create("志愿者")
    for name, errcode in (("志愿者", 45157), ("长" * 11, 45158)):
        with pytest.raises(WeChatClientException) as caught:
            official.tag.create(name)
        assert caught.value.errcode == errcode
    assert [t["name"] for t in official.tag.get()] == ["志愿者"]
