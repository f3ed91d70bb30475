"""The official account's own setup: menus (default and by tag), user tags, user info."""
from flask import Blueprint, jsonify, request

from standin.menus import validate_menu
from standin.protocol import ApiError, as_int, json_body, needs_token, ok, state

bp = Blueprint("standin_account", __name__)


@bp.post("/cgi-bin/menu/create")
@needs_token("official")
def menu_create():
    """Replace the default menu."""
    body = json_body()
    validate_menu(body.get("button"))
    with state().lock:
        state().menu = {"button": body["button"], "menuid": state().next_id()}
    return ok()


@bp.post("/cgi-bin/menu/addconditional")
@needs_token("official")
def menu_add_conditional():
    """A personalised menu for users matching `matchrule` (here: tag_id)."""
    body = json_body()
    rule = body.get("matchrule")
    if not isinstance(rule, dict) or not any(rule.values()):
        raise ApiError(65304)
    validate_menu(body.get("button"))
    with state().lock:
        if state().menu is None:
            raise ApiError(65303)
        if rule.get("tag_id") and as_int(rule["tag_id"]) not in state().tags:
            raise ApiError(45159)
        menuid = state().next_id()
        state().conditional_menus.append(
            {"button": body["button"], "matchrule": rule, "menuid": menuid})
    return jsonify(menuid=str(menuid))


@bp.get("/cgi-bin/menu/get")
@needs_token("official")
def menu_get():
    """The default menu and the personalised ones; 46003 when there is none."""
    with state().lock:
        if state().menu is None:
            raise ApiError(46003)
        answer = {"menu": state().menu}
        if state().conditional_menus:
            answer["conditionalmenu"] = list(state().conditional_menus)
        return jsonify(answer)


@bp.get("/cgi-bin/menu/delete")
@needs_token("official")
def menu_delete():
    """Delete every menu, personalised ones included."""
    with state().lock:
        state().menu = None
        state().conditional_menus = []
    return ok()


@bp.post("/cgi-bin/menu/delconditional")
@needs_token("official")
def menu_del_conditional():
    """Delete one personalised menu by menuid."""
    menuid = str(json_body().get("menuid", ""))
    with state().lock:
        kept = [m for m in state().conditional_menus if str(m["menuid"]) != menuid]
        if len(kept) == len(state().conditional_menus):
            raise ApiError(65301)
        state().conditional_menus = kept
    return ok()


@bp.post("/cgi-bin/menu/trymatch")
@needs_token("official")
def menu_try_match():
    """The menu a given user sees: the newest personalised menu matching a tag, else the default."""
    user = state().user(str(json_body().get("user_id", "")))
    tags = {str(tag) for tag in user.get("tagid_list", [])}
    with state().lock:
        if state().menu is None:
            raise ApiError(46003)
        for menu in reversed(state().conditional_menus):
            if str(menu["matchrule"].get("tag_id", "")) in tags:
                return jsonify(button=menu["button"])
        return jsonify(button=state().menu["button"])


@bp.post("/cgi-bin/tags/create")
@needs_token("official")
def tags_create():
    """A user tag: name 1-30 bytes and unique."""
    name = (json_body().get("tag") or {}).get("name")
    if not isinstance(name, str) or not name:
        raise ApiError(45157)
    if len(name.encode("utf-8")) > 30:
        raise ApiError(45158)
    with state().lock:
        if any(tag["name"] == name for tag in state().tags.values()):
            raise ApiError(45157)
        tag = {"id": state().next_id(), "name": name}
        state().tags[tag["id"]] = tag
    return jsonify(tag=tag)


@bp.get("/cgi-bin/tags/get")
@needs_token("official")
def tags_get():
    """Every tag with its member count."""
    with state().lock:
        users = list(state().users.values())
        tags = [{**tag, "count": sum(tag["id"] in u.get("tagid_list", []) for u in users)}
                for tag in state().tags.values()]
    return jsonify(tags=tags)


@bp.post("/cgi-bin/tags/members/batchtagging")
@needs_token("official")
def tags_batchtagging():
    """Tag up to 50 users at once."""
    body = json_body()
    openids = body.get("openid_list")
    if not isinstance(openids, list) or not 0 < len(openids) <= 50:
        raise ApiError(40032)
    tag_id = as_int(body.get("tagid"))
    if tag_id not in state().tags:
        raise ApiError(45159)
    for openid in openids:
        tags = state().user(openid).get("tagid_list", [])
        state().update_user(openid, tagid_list=sorted(set(tags) | {tag_id}))
    return ok()


@bp.get("/cgi-bin/user/info")
@needs_token("official")
def user_info():
    """Follower info; Tencent no longer returns nickname or avatar, so neither do we."""
    openid = request.args.get("openid")
    if not openid:
        raise ApiError(40003)
    user = state().user(openid)
    answer = {"subscribe": user["subscribe"], "openid": openid}
    if user.get("unionid"):
        answer["unionid"] = user["unionid"]
    if user["subscribe"]:
        answer.update(language="zh_CN", subscribe_time=user.get("subscribe_time", 0),
                      remark="", groupid=0, tagid_list=user.get("tagid_list", []),
                      subscribe_scene=user.get("subscribe_scene", "ADD_SCENE_OTHERS"),
                      qr_scene=0, qr_scene_str=user.get("qr_scene_str", ""))
    return jsonify(answer)
