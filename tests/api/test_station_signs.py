"""A station's A4 sign in the mini-program: its state, asking for it, downloading it (PDF and page QR),
for the chair and staff of the station's org only; the sign job runs in a real rq worker."""
import io
import re

import pytest
from pypdf import PdfReader
from rq import SimpleWorker
from werkzeug.http import parse_options_header

from miniapp_backend.models import Station, StationStatus
from miniapp_backend.services import stations
from tests.factories import station_for
from tests.workers.job_env import job_env  # noqa: F401 (fixture)
from workers.queues import queue


@pytest.fixture
def signs(api, job_env):
    """The API, with jobs run in this process seeing the test backends."""
    return api


def run_jobs(redis_client):
    """Run every queued job in this process."""
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)


def pdf_text(data):
    """The text of a PDF's first page, without whitespace."""
    return re.sub(r"\s+", "", PdfReader(io.BytesIO(data)).pages[0].extract_text())


def test_the_chair_asks_for_the_sign_follows_it_and_downloads_it(signs, world, redis_client):
    station = station_for(world.unit)  # made without an edge: no job, no sign yet
    url = f"/stations/{station.id}/sign"
    missing = signs.get(url, world.chair)
    assert missing.status_code == 200
    assert missing.get_json()["state"] == "missing" and missing.get_json()["pdf_url"] is None
    not_yet = signs.get(f"{url}.pdf", world.chair)
    assert not_yet.status_code == 404 and "标识牌" in not_yet.get_json()["error"]["message"]

    asked = signs.post(url, world.chair)
    assert asked.status_code == 202 and asked.get_json()["state"] == "running"
    assert asked.get_json()["message"] == "标识牌正在生成，请稍后再看"
    again = signs.post(url, world.staff)  # idempotent: the same job, not a second one
    assert again.status_code == 202 and len(queue(redis_client).jobs) == 1

    run_jobs(redis_client)
    ready = signs.get(url, world.staff).get_json()
    assert ready["state"] == "ready" and ready["posted"] is True
    assert ready["pdf_url"] == f"/api/v1/stations/{station.id}/sign.pdf"
    assert ready["qr_url"] == f"/api/v1/stations/{station.id}/qr.png"
    pdf = signs.get(f"{url}.pdf", world.staff)
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    # …_标识牌.pdf, named as the admin web names it
    assert "%E6%A0%87%E8%AF%86%E7%89%8C.pdf" in pdf.headers["Content-Disposition"]
    # The URL stays while the file behind it changes with every edit: revalidate, never shared.
    assert pdf.cache_control.no_cache and pdf.cache_control.private and not pdf.cache_control.public
    text = pdf_text(pdf.data)
    assert station.name in text and "12351" in text
    assert signs.post(url, world.chair).get_json()["state"] == "ready"
    assert len(queue(redis_client).jobs) == 0  # a sign in place asks for nothing

    qr = signs.get(f"/stations/{station.id}/qr.png", world.chair)
    assert qr.status_code == 200 and qr.mimetype == "image/png" and qr.data.startswith(b"\x89PNG")


def test_a_long_station_name_names_a_sign_file_that_can_be_saved(signs, world, redis_client):
    """A 100-字 name is 300 UTF-8 bytes; a file name takes at most 255: cut at a whole character."""
    station = station_for(world.unit, name="良乡" + "暖心" * 48)
    signs.post(f"/stations/{station.id}/sign", world.chair)
    run_jobs(redis_client)
    pdf = signs.get(f"/stations/{station.id}/sign.pdf", world.chair)
    name = parse_options_header(pdf.headers["Content-Disposition"])[1]["filename"]
    assert len(name.encode()) <= 255 and name.startswith("良乡暖心") and name.endswith("…_标识牌.pdf")


def test_another_orgs_station_answers_404_like_a_missing_one(signs, world):
    theirs = station_for(world.other_unit, status=StationStatus.ACTIVE)  # public and open: listed
    for path in (f"/stations/{theirs.id}/sign", f"/stations/{theirs.id}/sign.pdf",
                 f"/stations/{theirs.id}/qr.png", "/stations/999999/sign"):
        response = signs.get(path, world.chair)
        assert response.status_code == 404, path
        assert response.get_json()["error"]["message"] == "没有这个驿站，或您不是它所在单位的工会主席或工作人员"
    assert signs.post(f"/stations/{theirs.id}/sign", world.chair).status_code == 404
    assert signs.get(f"/stations/{theirs.id}/sign").status_code == 401


def test_a_failed_sign_says_why_and_asking_again_makes_a_new_run(signs, world, redis_client, config):
    """A file stands where the station's folder goes: the server cannot write the sign."""
    blocked = config.storage_dir / "stations"
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"not a folder")
    station = station_for(world.unit)
    url = f"/stations/{station.id}/sign"
    signs.post(url, world.chair)
    run_jobs(redis_client)
    failed = signs.get(url, world.chair).get_json()
    assert failed["state"] == "failed" and failed["pdf_url"] is None
    assert failed["message"].startswith("标识牌上次未能生成：服务器上的文件读写出错")
    pdf = signs.get(f"{url}.pdf", world.chair)
    assert pdf.status_code == 404 and pdf.get_json()["error"]["message"] == failed["message"]
    blocked.unlink()  # fixed: the new run makes it
    assert signs.post(url, world.chair).get_json()["state"] == "running"
    run_jobs(redis_client)
    assert signs.get(url, world.chair).get_json()["state"] == "ready"


def test_a_sign_made_while_wechat_refuses_says_it_carries_the_web_link_code(signs, world, redis_client,
                                                                           monkeypatch, job_env):  # noqa: F811
    """The official account's secret is wrong: Tencent refuses the WeChat code. The sign is ready with
    the code of the station's page alone, and says so; once WeChat answers, asking again draws it with
    the account's code."""
    from workers import context
    monkeypatch.setenv("WECHAT_SECRET", "not-the-secret")
    context._cached.clear()
    station = station_for(world.unit)
    url = f"/stations/{station.id}/sign"
    signs.post(url, world.chair)
    run_jobs(redis_client)
    fallback = signs.get(url, world.chair).get_json()
    assert fallback["state"] == "ready" and fallback["web_link_only"] is True and fallback["pdf_url"]
    assert fallback["message"].startswith("此标识牌上只有驿站网页的链接二维码，不是公众号二维码（微信接口拒绝了请求")
    assert signs.get(f"{url}.pdf", world.chair).mimetype == "application/pdf"
    monkeypatch.setenv("WECHAT_SECRET", job_env["WECHAT_SECRET"])
    context._cached.clear()
    assert signs.post(url, world.chair).get_json()["web_link_only"] is True  # asked again: a new run
    run_jobs(redis_client)
    ready = signs.get(url, world.chair).get_json()
    assert ready["web_link_only"] is False and ready["message"] == "标识牌已生成，可下载打印"


def test_a_closed_stations_sign_still_downloads_but_says_it_is_closed(signs, world, redis_client):
    station = station_for(world.unit)
    stations.update_station(Station.get_by_id(station.id), status=StationStatus.CLOSED)
    url = f"/stations/{station.id}/sign"
    signs.post(url, world.chair)
    run_jobs(redis_client)
    state = signs.get(url, world.chair).get_json()
    assert state["state"] == "ready" and state["posted"] is False
    assert state["message"] == "驿站已关闭，标识牌不必再张贴；仍可下载存档"
    assert signs.get(f"{url}.pdf", world.chair).mimetype == "application/pdf"
