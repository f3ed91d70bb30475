"""Every failure is the JSON error shape with a Chinese message: never HTML, never a trace."""
import dataclasses

import pytest

from miniapp_backend.api import me as me_module
from miniapp_backend.api.ratelimit import LIMITS_SETTING, Bucket
from miniapp_backend.app import create_app


def error_of(response):
    """The error object of a JSON error response."""
    assert response.mimetype == "application/json", response.get_data(as_text=True)[:200]
    error = response.get_json()["error"]
    assert set(error) >= {"code", "message", "fields"}
    return error


@pytest.mark.parametrize("method, path", [
    ("GET", "/nothing-here"), ("GET", "/"), ("DELETE", "/drafts/1/nothing"), ("GET", "/drafts/abc"),
    ("GET", "/drafts/0"), ("GET", "/drafts/99999999999999999999"), ("GET", "/drafts/x%0Ay/z"),
    ("POST", "/applications/1/submit/"),
])
def test_unknown_paths_are_json_404(api, world, method, path):
    response = api.call(method, path, world.chair)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_wrong_method_is_json_405_with_allow(api, world):
    response = api.delete("/me", world.chair)
    assert response.status_code == 405
    assert error_of(response)["message"] == "这个接口不支持该请求方式"
    assert response.headers["Allow"] == "GET"


def test_unknown_body_fields_and_query_parameters_are_refused_per_field(api, world):
    response = api.post("/me/invite", world.chair, json={"code": "ABC", "role": "chair"})
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"role": "不支持的字段"}
    response = api.get("/me", world.chair, query_string={"debug": "1"})
    assert error_of(response)["fields"] == {"debug": "不支持的参数"}
    response = api.post("/me/link-code", world.chair, json={"person_id": 1})
    assert response.status_code == 400 and "不接受请求内容" in error_of(response)["message"]
    assert api.post("/me/link-code", world.chair, json={}).status_code == 201


def test_wrong_types_and_broken_json_are_400_in_chinese(api, world):
    response = api.post("/me/invite", world.chair, json={"code": 12})
    assert error_of(response)["fields"] == {"code": "码应为文字"}
    response = api.post("/me/invite", world.chair, json={})
    assert error_of(response)["fields"] == {"code": "请提供码"}
    response = api.post("/me/invite", world.chair, data="{not json", content_type="application/json")
    assert response.status_code == 400 and error_of(response)["message"] == "请求内容不是有效的JSON"
    for not_an_object in ("[1]", '"code"', "null", "12"):
        response = api.post("/me/invite", world.chair, data=not_an_object, content_type="application/json")
        assert response.status_code == 400 and error_of(response)["message"] == "请求内容应为JSON对象"
    response = api.post("/me/invite", world.chair, data="code=1")
    assert response.status_code == 400 and "JSON" in error_of(response)["message"]


@pytest.mark.parametrize("method, path", [("PATCH", "/drafts/1/answers"), ("POST", "/stations")])
def test_json_nested_too_deeply_is_400_not_500(api, world, method, path):
    deep = "[" * 5000 + "]" * 5000
    response = api.call(method, path, world.chair, data=f'{{"answers": {deep}}}',
                        content_type="application/json")
    assert response.status_code == 400 and error_of(response)["message"] == "请求内容不是有效的JSON"


def test_a_too_large_body_is_json_413(api, world):
    response = api.post("/me/invite", world.chair, json={"code": "x" * 300_000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "too_large"


def test_an_unexpected_fault_is_json_500_without_a_trace(api, world, monkeypatch):
    def broken(_person):
        """A presenter that fails the way a bug would."""
        raise RuntimeError("database on fire")
    monkeypatch.setattr(me_module, "me_view", broken)
    response = api.get("/me", world.chair)
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "server_error" and "稍后再试" in error["message"]
    assert "fire" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)


def test_rate_limit_is_per_user_with_a_clear_429(api, world, api_app):
    api_app.config[LIMITS_SETTING] = {Bucket.READ: (3, 3600)}  # a long window: no boundary mid-test
    for _ in range(3):
        assert api.get("/me", world.chair).status_code == 200
    refused = api.get("/me", world.chair)
    assert refused.status_code == 429
    error = error_of(refused)
    assert error["code"] == "rate_limited" and "每小时最多3次" in error["message"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    # Another person has their own allowance.
    assert api.get("/me", world.staff).status_code == 200


def _public_calls_until_refused(client, forwarded_for):
    """How many public searches from the address `forwarded_for` (via one proxy) pass (limit 2)."""
    ok = 0
    while client.get("/api/v1/stations/services",
                     headers={"X-Forwarded-For": forwarded_for}).status_code == 200:
        ok += 1
    return ok


@pytest.mark.parametrize("proxies, per_client", [(1, True), (0, False)])
def test_anonymous_limits_count_the_client_behind_trusted_proxies(config, db, redis_client, proxies,
                                                                    per_client):
    app = create_app(dataclasses.replace(config, trusted_proxy_count=proxies))
    app.config[LIMITS_SETTING] = {Bucket.PUBLIC: (2, 3600)}
    client = app.test_client()
    assert _public_calls_until_refused(client, "203.0.113.7") == 2
    # Another user behind the same nginx has an allowance of their own; a forged header counts
    # for nothing when no proxy is trusted.
    assert _public_calls_until_refused(client, "198.51.100.9") == (2 if per_client else 0)


def test_domain_refusals_map_to_statuses(api, world):
    wrong = api.post("/me/invite", world.chair, json={"code": "NOSUCH22"})
    assert wrong.status_code == 404 and "不存在" in error_of(wrong)["message"]
    empty = api.post("/me/invite", world.chair, json={"code": "--"})
    assert empty.status_code == 422 and error_of(empty)["fields"] == {"code": error_of(empty)["message"]}


def test_a_trailing_newline_does_not_slip_past_a_pattern(api, world):
    response = api.post("/subscriptions", world.chair, json={"results": {"SUB_DEADLINE\n": "accept"}})
    assert response.status_code == 400 and "格式不对" in response.get_json()["error"]["message"]


@pytest.mark.parametrize("params, field", [
    ({"limit": "--5"}, "limit"), ({"limit": "²"}, "limit"), ({"radius": "٣٠٠٠"}, "radius"),
    ({"lat": "3_9.7"}, "lat"), ({"lng": "１１６.１"}, "lng"), ({"limit": "9" * 5000}, "limit"),
])
def test_query_numbers_are_ascii_digits_or_a_400_never_a_500(api, params, field):
    # int("--5"), int("²") and int() of 4300+ digits fail although str.isdigit() let them by;
    # float() reads 3_9.7 as 39.7.
    query = {"lat": 39.7355, "lng": 116.1397, **params}
    response = api.get("/stations/nearby", query_string=query)
    assert response.status_code == 400
    assert error_of(response)["fields"] == {field: {"limit": "最多几个应为整数", "radius": "半径（米）应为整数",
                                                    "lat": "纬度应为数字", "lng": "经度应为数字"}[field]}


def test_paging_numbers_with_a_doubled_sign_are_a_400(api, world):
    response = api.get("/applications", world.chair, query_string={"offset": "--1"})
    assert response.status_code == 400 and error_of(response)["fields"] == {"offset": "跳过条数应为整数"}
