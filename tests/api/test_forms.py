"""Form templates as data: everything the mini-program needs to render a form."""


def test_checklist_template_has_items_with_evidence_flags_and_answer_keys(api, world):
    body = api.get("/forms/2018/model_home_checklist", world.staff).get_json()
    assert body["kind"] == "checklist" and len(body["items"]) == 21
    first = body["items"][0]
    assert first["answer_key"] == "model_home_checklist:item.1" and first["evidence_required"] is True
    phone = next(f for f in body["header"] if f["key"] == "phone")
    assert phone["type"] == "phone" and phone["answer_key"] == "model_home_checklist:phone"
    assert body["approvals"][0]["mode"] in ("digital", "paper")


def test_registration_template_has_sections_rosters_choices_and_rules(api, world):
    body = api.get("/forms/2018/district_home_registration", world.chair).get_json()
    fields = [f for s in body["sections"] for f in s["fields"]] + body["cover"]
    rosters = [f for f in fields if f["type"] == "roster"]
    assert rosters and rosters[0]["columns"] and rosters[0]["max_rows"]
    assert rosters[0]["columns"][0]["answer_key"] == ""
    assert any(f["choices"] for f in fields)
    assert all("/" in r["fraction"] for r in body["checks"] if r["fraction"])


def test_unknown_form_is_404(api, world):
    response = api.get("/forms/2018/nonexistent_form", world.chair)
    assert response.status_code == 404 and "nonexistent_form" in response.get_json()["error"]["message"]
    assert api.get("/forms/1999/model_home_checklist", world.chair).status_code == 404
    assert api.get("/forms/2018/..%2Fsecret", world.chair).status_code == 404
