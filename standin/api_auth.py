"""Tokens and mini-program login: token, stable_token, jscode2session, getuserphonenumber."""
import base64
import os

from flask import Blueprint, g, jsonify, request

from standin.protocol import ApiError, json_body, needs_token, ok, state

bp = Blueprint("standin_auth", __name__)


def _check_app(appid, secret):
    """41002/41004 when missing, 40013 for an appid we do not play, 40125 for a wrong secret."""
    settings = state().settings
    known = {settings.official_appid: settings.official_secret,
             settings.miniapp_appid: settings.miniapp_secret}
    if not appid:
        raise ApiError(41002)
    if appid not in known:
        raise ApiError(40013)
    if not secret:
        raise ApiError(41004)
    if secret != known[appid]:
        raise ApiError(40125)


@bp.get("/cgi-bin/token")
def token():
    """The classic token: each fetch replaces the previous one (after a grace period)."""
    if request.args.get("grant_type") != "client_credential":
        raise ApiError(40002)
    _check_app(request.args.get("appid"), request.args.get("secret"))
    access_token, expires_in = state().tokens.issue(request.args["appid"])
    return jsonify(access_token=access_token, expires_in=expires_in)


@bp.post("/cgi-bin/stable_token")
def stable_token():
    """The stable token: unchanged while valid unless force_refresh."""
    body = json_body()
    if body.get("grant_type") != "client_credential":
        raise ApiError(40002)
    _check_app(body.get("appid"), body.get("secret"))
    access_token, expires_in = state().tokens.stable(body["appid"], bool(body.get("force_refresh")))
    return jsonify(access_token=access_token, expires_in=expires_in)


@bp.get("/sns/jscode2session")
def jscode2session():
    """Exchange a wx.login code (once) for openid and session_key."""
    args = request.args
    _check_app(args.get("appid"), args.get("secret"))
    if args.get("appid") != state().settings.miniapp_appid:
        raise ApiError(40013)
    if args.get("grant_type") != "authorization_code":
        raise ApiError(40002)
    login = state().redeem_code("login", args.get("js_code", ""))
    answer = {"openid": login["openid"],
              "session_key": base64.b64encode(os.urandom(16)).decode("ascii")}
    if login.get("unionid"):
        answer["unionid"] = login["unionid"]
    return jsonify(answer)


@bp.post("/wxa/business/getuserphonenumber")
@needs_token("miniapp")
def getuserphonenumber():
    """Exchange a getPhoneNumber code (once) for the user's phone number."""
    phone = state().redeem_code("phone", str(json_body().get("code", "")))
    pure, country = phone["phone"], phone["country_code"]
    # Tencent adds the country code only to foreign numbers.
    full = pure if country == "86" else f"+{country} {pure}"
    watermark = {"timestamp": int(state().now()), "appid": g.appid}
    return ok(phone_info={"phoneNumber": full, "purePhoneNumber": pure,
                          "countryCode": country, "watermark": watermark})


@bp.post("/standin/miniapp/login-code")
def mint_login_code():
    """Control: what wx.login would hand the mini-program for this user."""
    body = request.get_json(force=True, silent=True) or {}
    if not body.get("openid"):
        return jsonify(error="openid is required"), 400
    payload = {"openid": body["openid"], "unionid": body.get("unionid")}
    return jsonify(code=state().mint_code("login", payload))


@bp.post("/standin/miniapp/phone-code")
def mint_phone_code():
    """Control: what getPhoneNumber would hand the mini-program for this phone."""
    body = request.get_json(force=True, silent=True) or {}
    phone, country = str(body.get("phone", "")), str(body.get("country_code", "86"))
    if not phone.isdigit():
        return jsonify(error="phone must be digits"), 400
    return jsonify(code=state().mint_code("phone", {"phone": phone, "country_code": country}))
