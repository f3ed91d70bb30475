"""Signing in with wx.login, and the phone number through getPhoneNumber's one-time code."""
import requests
from wechatpy.exceptions import WeChatClientException

from miniapp_backend import wechat
from miniapp_backend.api import bp, context, sessions
from miniapp_backend.api.errors import ApiError
from miniapp_backend.api.operations import Auth, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, integer, string
from miniapp_backend.models import Channel
from miniapp_backend.services import people

TAG = "登录"
MAINLAND = "86"
# Tencent's refusals of a code, as our answer: (status, code, message).
WECHAT_REFUSALS = {
    40029: (401, "invalid_code", "登录凭证无效或已使用，请重新调用wx.login获取"),
    40163: (401, "invalid_code", "登录凭证已被使用，请重新调用wx.login获取"),
    45011: (429, "wechat_rate_limited", "微信登录太频繁，请稍后再试"),
    40226: (403, "risky_user", "微信判定该账号存在风险，暂时不能登录，请联系微信客服"),
}
# A spent getPhoneNumber code asks for the phone again, not for a new sign-in (the 401 a client
# would answer with wx.login).
PHONE_CODE_SPENT = (422, "invalid_phone_code", "手机号授权已失效，请重新获取")
PHONE_REFUSALS = {**WECHAT_REFUSALS, 40029: PHONE_CODE_SPENT, 40163: PHONE_CODE_SPENT}

CodeRequest = Schema("CodeRequest", {
    "code": string("code", min_length=1, max_length=128,
                   description="wx.login 或 getPhoneNumber 回调给出的一次性 code"),
}, required=["code"])
SessionToken = Schema("SessionToken", {
    "token": string("会话凭证", description="放在请求头 Authorization: Bearer <token>"),
    "expires_in": integer("有效秒数"),
    "person_id": integer("用户编号"),
}, required=["token", "expires_in", "person_id"], closed=False)
PhoneNumber = Schema("PhoneNumber", {
    "phone": string("手机号", description="中国大陆号码不带区号，其他带 +国家码"),
    "country_code": string("国家码"),
}, required=["phone", "country_code"], closed=False)


def _refused(exc, refusals):
    """Our answer to a WeChat refusal or outage."""
    known = refusals.get(exc.errcode)
    if known:
        return ApiError(*known)
    return ApiError(503, "wechat_unavailable", f"微信服务暂时不可用（错误码{exc.errcode}），请稍后再试")


def _call_wechat(call, *args, refusals=WECHAT_REFUSALS):
    """One call to Tencent (or the stand-in), with its failures turned into API errors."""
    try:
        return call(*args)
    except WeChatClientException as exc:
        raise _refused(exc, refusals) from None
    except requests.RequestException:
        raise ApiError(503, "wechat_unavailable", "连接微信服务失败，请稍后再试") from None


@bp.post("/auth/login")
@operation("用 wx.login 的 code 登录，换取本服务的会话凭证", tag=TAG, auth=Auth.NONE,
           bucket=Bucket.LOGIN, body=CodeRequest, response=SessionToken, errors=(401, 403, 503),
           description="服务端调用 jscode2session；session_key 只保存在服务端。")
def login(body):
    """Exchange the wx.login code at jscode2session; answer our own signed token."""
    client = context.miniapp_client()
    session = _call_wechat(client.wxa.code_to_session, body["code"])
    person = people.person_for(Channel.MINIAPP, session["openid"], session.get("unionid"))
    sessions.keep_session_key(session["openid"], session["session_key"])
    return {"token": sessions.issue_token(session["openid"]),
            "expires_in": sessions.TOKEN_LIFETIME, "person_id": person.id}


@bp.post("/auth/phone")
@operation("用 getPhoneNumber 的 code 绑定手机号", tag=TAG, bucket=Bucket.WRITE,
           body=CodeRequest, response=PhoneNumber, errors=(401, 403, 422, 502, 503))
def phone(body):
    """Exchange the one-time code at getuserphonenumber; keep the number on the person."""
    info = _call_wechat(wechat.get_user_phone_number, context.miniapp_client(), body["code"],
                        refusals=PHONE_REFUSALS)
    if info.get("watermark", {}).get("appid") != context.settings().miniapp_appid:
        raise ApiError(502, "wechat_mismatch", "微信返回的手机号不属于本小程序，请重试")
    country = str(info.get("countryCode", MAINLAND))
    number = info["purePhoneNumber"] if country == MAINLAND else f"+{country} {info['purePhoneNumber']}"
    person = sessions.current_person()
    person.phone = number
    person.save()
    return {"phone": number, "country_code": country}
