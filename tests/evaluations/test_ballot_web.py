"""/b/<code> as a web page and as JSON: the form, its token, refusals, limits, and a live race."""
import datetime as dt
import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from werkzeug.serving import make_server

from miniapp_backend.ballot import guard
from miniapp_backend.clock import last_local_day
from miniapp_backend.services import ballots, evaluations
from miniapp_backend.services.codes import ALPHABET
from tests.evaluations.helpers import SECRET, counts, open_round, roster, vote

TOKEN_RE = re.compile(r'name="token" value="([^"]+)"')


def form_for(standards, agree="yes", score="4", comment=""):
    """A complete form post for `standards`."""
    data = {"agree": agree, "comment": comment}
    data.update({f"s{index}": score for index in range(len(standards))})
    return data


def page_token(client, scene):
    """The token the page at /b/<scene> hands out."""
    return TOKEN_RE.search(client.get(f"/b/{scene}").get_data(as_text=True)).group(1)


@pytest.fixture
def ballot(world):
    """An open round of world.unit with six codes."""
    return open_round(world.unit, world.chair)


def test_the_page_shows_the_ballot_privately(client, ballot):
    round_, issued = ballot
    response = client.get(f"/b/{issued[0].scene}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert round_.motion in html and "会员1，您好" in html and "组织健全" in html and "非常满意" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert '<meta name="referrer" content="no-referrer">' in html


def test_a_round_ending_with_a_day_shows_that_day_not_the_next_midnight(client, world):
    closes_at = evaluations.closes_at_end_of(dt.date(2099, 5, 10))  # as the CLI and the API set it
    round_, issued = evaluations.open_round(world.chair, world.unit, roster(2), closes_at, SECRET)
    assert "请在 2099-05-10 24:00 前完成投票" in client.get(f"/b/{issued[0].scene}").get_data(as_text=True)
    assert client.get(f"/b/{issued[0].scene}.json").get_json()["closes_text"] == "2099-05-10 24:00"
    assert ballots.closed_message(round_) == "本次评议已于2099-05-10 24:00结束，不能再投票"
    assert last_local_day(closes_at) == dt.date(2099, 5, 10)  # the report's period ends that day


def test_voting_through_the_page_then_the_link_is_spent(client, ballot):
    round_, issued = ballot
    scene = issued[0].scene
    data = form_for(round_.standards, comment="办得很好") | {"token": page_token(client, scene)}
    done = client.post(f"/b/{scene}", data=data)
    assert done.status_code == 200 and "投票成功" in done.get_data(as_text=True)
    assert counts(round_) == (1, 1)
    again = client.post(f"/b/{scene}", data=data)
    assert again.status_code == 409 and "只能投一次" in again.get_data(as_text=True)
    assert "您已投过票" in client.get(f"/b/{scene}").get_data(as_text=True)
    assert counts(round_) == (1, 1)


def test_a_post_without_this_pages_token_is_refused_with_entries_kept(client, ballot):
    round_, issued = ballot
    foreign = guard.page_token("test-secret", issued[1].scene)  # a real token, for another page
    for token in ("", "forged", foreign):
        response = client.post(f"/b/{issued[0].scene}", data=form_for(round_.standards, agree="no") | {"token": token})
        html = response.get_data(as_text=True)
        assert response.status_code == 400 and "页面已过期或来源无法确认" in html
        assert 'value="no" checked' in html
    assert counts(round_) == (0, 0)


def test_an_unanswered_standard_comes_back_with_a_message(client, ballot):
    round_, issued = ballot
    data = form_for(round_.standards) | {"token": page_token(client, issued[0].scene)}
    del data["s2"]
    response = client.post(f"/b/{issued[0].scene}", data=data)
    assert response.status_code == 400
    assert "“工作规范”的满意度请选择1到5分" in response.get_data(as_text=True)
    assert counts(round_) == (0, 0)


@pytest.mark.parametrize("path, status, fragment", [
    ("/b/bt.ABCDEFGHJKMNPQRS", 404, "不在评议名单中"),
    ("/b/bt.ABC", 404, "投票链接不完整或有误"),
])
def test_forged_links_get_a_page_saying_why(client, ballot, path, status, fragment):
    response = client.get(path)
    assert response.status_code == status and fragment in response.get_data(as_text=True)
    assert client.post(path, data={}).status_code == status
    assert counts(ballot[0]) == (0, 0)


def test_after_closing_the_page_says_so_and_refuses(client, world, ballot):
    round_, issued = ballot
    token = page_token(client, issued[0].scene)
    vote(issued[1])
    evaluations.close_round(world.chair, round_)
    assert "评议已结束" in client.get(f"/b/{issued[0].scene}").get_data(as_text=True)
    response = client.post(f"/b/{issued[0].scene}", data=form_for(round_.standards) | {"token": token})
    assert response.status_code == 409 and "不能再投票" in response.get_data(as_text=True)
    assert counts(round_) == (1, 1)


def test_the_json_endpoint_for_the_mini_program(client, world, ballot):
    round_, issued = ballot
    described = client.get(f"/b/{issued[0].scene}.json").get_json()
    assert described["state"] == "open" and described["standards"] == list(evaluations.DEFAULT_STANDARDS)
    assert described["scale"][0] == {"value": 5, "label": "非常满意"}
    body = {"agree": True, "scores": {s: 5 for s in round_.standards}, "comment": ""}
    created = client.post(f"/b/{issued[0].scene}.json", json=body)
    assert created.status_code == 201 and created.get_json()["ok"] is True
    again = client.post(f"/b/{issued[0].scene}.json", json=body)
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "already_voted"
    assert client.post(f"/b/{issued[1].scene}.json", data="agree=1").status_code == 415
    assert client.post(f"/b/{issued[1].scene}.json", json=[body]).status_code == 400
    bad = client.post(f"/b/{issued[1].scene}.json", json={"agree": True, "scores": [5, 5]})
    assert bad.status_code == 400 and bad.get_json()["error"]["details"]["key"] == "scores"
    forged = client.post("/b/bt.ABCDEFGHJKMNPQRS.json", json=body)
    assert forged.status_code == 404 and forged.get_json()["error"]["code"] == "not_on_roster"
    evaluations.close_round(world.chair, round_)
    closed = client.post(f"/b/{issued[2].scene}.json", json=body)
    assert closed.status_code == 409 and closed.get_json()["error"]["code"] == "round_closed"
    assert counts(round_) == (1, 1)


def test_bad_json_is_400_and_no_log_line_names_the_code(client, ballot, caplog):
    _round, issued = ballot
    caplog.set_level(logging.DEBUG)
    deep = client.post(f"/b/{issued[0].scene}.json", data="[" * 5000 + "]" * 5000,
                       content_type="application/json")
    assert deep.status_code == 400 and deep.get_json()["error"]["message"].startswith("请以 JSON 提交")
    broken = client.post(f"/b/{issued[0].scene}.json", data="{", content_type="application/json")
    assert broken.status_code == 400
    assert "/b/" not in caplog.text and issued[0].scene not in caplog.text


def test_a_fault_is_answered_and_logged_without_the_path(client, app, ballot, caplog):
    _round, issued = ballot
    app.config["SECRET_KEY"] = None  # a broken configuration: every keyed hash fails
    for path in (f"/b/{issued[0].scene}.json", f"/b/{issued[0].scene}"):
        response = client.get(path)
        assert response.status_code == 500 and "请稍后再试" in response.get_data(as_text=True)
    assert client.get(f"/b/{issued[0].scene}.json").get_json()["error"]["code"] == "server_error"
    faults = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert faults and all(r.exc_info for r in faults)
    assert "/b/" not in caplog.text and issued[0].scene not in caplog.text


def test_guessing_codes_from_one_address_is_stopped(client, ballot):
    round_, issued = ballot
    for n in range(guard.PER_ADDRESS_FAILURES):
        assert client.get(f"/b/bt.ABCDEFGHJKMNPQ{ALPHABET[n // 31]}{ALPHABET[n % 31]}").status_code == 404
    limited = client.get(f"/b/{issued[0].scene}.json")
    assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "rate_limited"
    assert "请10分钟后再试" in client.get(f"/b/{issued[0].scene}").get_data(as_text=True)


def test_hammering_one_code_is_stopped(client, ballot):
    _, issued = ballot
    statuses = [client.get(f"/b/{issued[0].scene}.json").status_code for _ in range(guard.PER_CODE + 1)]
    assert statuses[:guard.PER_CODE] == [200] * guard.PER_CODE and statuses[-1] == 429
    assert client.get(f"/b/{issued[1].scene}.json").status_code == 200  # other voters unaffected


@pytest.fixture
def live(app):
    """The app on a real threaded HTTP server on 127.0.0.1:<free port>."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(10)


def test_a_double_vote_racing_over_http_counts_once(live, ballot):
    round_, issued = ballot
    body = {"agree": False, "scores": [3, 3, 3, 3, 3], "comment": ""}
    barrier = threading.Barrier(10)

    def post(_):
        """Send the same ballot as nine others at the same moment."""
        barrier.wait()
        return requests.post(f"{live}/b/{issued[0].scene}.json", json=body, timeout=30).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = sorted(pool.map(post, range(10)))
    assert statuses == [201] + [409] * 9
    assert counts(round_) == (1, 1)
    vote(issued[1])
    assert counts(round_) == (2, 2)


def test_a_nul_in_the_comment_is_refused_with_entries_kept(client, ballot):
    # PostgreSQL cannot store U+0000: without the check the vote ended in a 500 there.
    round_, issued = ballot
    data = form_for(round_.standards, agree="no", comment="很好\x00") | {"token": page_token(client, issued[0].scene)}
    response = client.post(f"/b/{issued[0].scene}", data=data)
    assert response.status_code == 400 and "空字符" in response.get_data(as_text=True)
    assert 'value="no" checked' in response.get_data(as_text=True)
    as_json = client.post(f"/b/{issued[1].scene}.json",
                          json={"agree": True, "scores": [5] * len(round_.standards), "comment": "\x00"})
    assert as_json.status_code == 400 and "空字符" in as_json.get_json()["error"]["message"]
    assert counts(round_) == (0, 0)


def test_a_comment_in_paragraphs_is_not_cut_by_the_browser_and_a_long_one_comes_back(client, ballot):
    round_, issued = ballot
    html = client.get(f"/b/{issued[0].scene}").get_data(as_text=True)
    assert "不超过200字" in html and 'maxlength="400"' in html  # breaks and spaces are no 字
    long = "很好" * 101
    data = form_for(round_.standards, comment=long) | {"token": page_token(client, issued[0].scene)}
    response = client.post(f"/b/{issued[0].scene}", data=data)
    assert response.status_code == 400
    assert "意见建议共202字，超过200字上限，请删减2字后重发" in response.get_data(as_text=True)
    assert long in response.get_data(as_text=True)  # what the voter wrote is kept
    assert counts(round_) == (0, 0)


def test_a_comment_with_half_an_emoji_is_refused(client, ballot):
    # JSON may carry a lone surrogate (an emoji cut at a length limit); it cannot be stored.
    round_, issued = ballot
    body = '{"agree": true, "scores": %s, "comment": "\\u5f88\\u597d\\ud83d"}' % ([5] * len(round_.standards))
    as_json = client.post(f"/b/{issued[0].scene}.json", data=body, content_type="application/json")
    assert as_json.status_code == 400 and "不完整的字符" in as_json.get_json()["error"]["message"]
    assert counts(round_) == (0, 0)
