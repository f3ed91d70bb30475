"""The served OpenAPI document covers every route, and a bounded schemathesis run finds no fault."""
import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, negative_data_rejection, response_schema_conformance,
    status_code_conformance)

from miniapp_backend.api import bp
from miniapp_backend.api.ratelimit import LIMITS_SETTING, Bucket
from tests.api.conftest import Api, model_home

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, negative_data_rejection]
ERROR_REF = {"$ref": "#/components/schemas/Error"}
# Enough examples per operation to walk valid and invalid inputs, few enough for ~15 s in all.
EXAMPLES = 8


def test_every_api_route_is_documented(api):
    document = api.get("/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    documented = {(path, method.upper()) for path, ops in document["paths"].items() for method in ops}
    routed = set()
    for rule in api.app.url_map.iter_rules():
        if rule.endpoint.startswith(f"{bp.name}.") and rule.endpoint != f"{bp.name}.unrouted":
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(path, m) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed and len(documented) >= 30
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            assert op["summary"] and op["tags"], (method, path)
            assert "500" in op["responses"] and "400" in op["responses"]
            for status, response in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert response["content"]["application/json"]["schema"] == ERROR_REF
    upload = document["paths"]["/api/v1/drafts/{application_id}/evidence"]["post"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert document["components"]["schemas"]["AnswersPatch"]["additionalProperties"] is False


@pytest.fixture
def api_schema(wx_app, world):
    """The served document, loaded by schemathesis against the app (WeChat on the stand-in)."""
    wx_app.config[LIMITS_SETTING] = {bucket: (100_000, 60) for bucket in Bucket}
    model_home(world)  # a draft with id 1 for the generated ids to find
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wx_app)


@pytest.fixture
def chair_token(wx_app, world):
    """A bearer token of the unit's chair (owner of draft 1)."""
    return Api(wx_app).token(world.chair)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])
def test_api_keeps_its_contract(case, chair_token):
    """No 500s; statuses, media types and bodies as documented; invalid input refused."""
    response = case.call(headers={"Authorization": f"Bearer {chair_token}"})
    case.validate_response(response, checks=CHECKS)
