"""Station signs in the admin web: made by a job when a station changes, 生成中 until then,
downloadable per station and as a zip of an admin's subtree."""
import io
import re
import zipfile

import pytest
from pypdf import PdfReader
from rq import SimpleWorker
from werkzeug.http import parse_options_header

from miniapp_backend.app import create_app
from miniapp_backend.models import Org
from tests.admin.helpers import make_accounts, post, sign_in
from tests.factories import station_for
from tests.test_downloads import plain_filename
from tests.workers.job_env import job_env  # noqa: F401 (fixture)
from workers.queues import queue


@pytest.fixture
def web(config, db, redis_client, job_env, world):
    """The admin app on the files the jobs of this process write."""
    make_accounts(world)
    return create_app(config).test_client()


def run_jobs(redis_client):
    """Run every queued job in this process."""
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)


def pdf_text(data):
    """The text of a PDF's first page, without whitespace."""
    return re.sub(r"\s+", "", PdfReader(io.BytesIO(data)).pages[0].extract_text())


def test_an_edit_makes_a_new_sign_by_a_job_and_the_list_says_so_until_it_is_done(web, world, redis_client):
    station = station_for(world.unit)
    sign_in(web, "system")
    sign_url = f"/admin/stations/{station.id}/sign.pdf"
    post(web, f"/admin/stations/{station.id}", {"status": "active"}, "/admin/stations")
    html = web.get("/admin/stations").get_data(as_text=True)
    assert "标识牌生成中" in html and sign_url not in html
    run_jobs(redis_client)
    html = web.get("/admin/stations").get_data(as_text=True)
    assert sign_url in html and "标识牌生成中" not in html
    response = web.get(sign_url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "%E6%A0%87%E8%AF%86%E7%89%8C.pdf" in response.headers["Content-Disposition"]  # …_标识牌.pdf
    assert plain_filename(response.headers["Content-Disposition"]) == f"station-{station.id}-sign.pdf"
    text = pdf_text(response.data)
    assert station.name in text and station.address in text and "12351" in text
    post(web, f"/admin/stations/{station.id}", {"public": "0"}, "/admin/stations")  # internal: the chair's contact
    assert "标识牌生成中" in web.get("/admin/stations").get_data(as_text=True)
    run_jobs(redis_client)
    assert "工会主席：王建国" in pdf_text(web.get(sign_url).data)


def test_a_sign_asked_for_before_it_exists_is_made_and_the_page_says_so(web, world, redis_client):
    station = station_for(world.unit)  # made without an edge: no job yet
    sign_in(web, "system")
    response = web.get(f"/admin/stations/{station.id}/sign.pdf", follow_redirects=True)
    assert "标识牌正在生成，请稍后刷新本页再下载" in response.get_data(as_text=True)
    run_jobs(redis_client)
    assert web.get(f"/admin/stations/{station.id}/sign.pdf").mimetype == "application/pdf"


def test_the_batch_holds_the_signs_of_the_admins_subtree_only(web, world, redis_client):
    mine = station_for(world.unit, name="一号驿站")
    theirs = station_for(world.other_unit, name="燕山示例暖心驿站")
    sign_in(web, "system")
    batch_url = f"/admin/stations/signs/{world.system.id}.zip"
    assert batch_url in web.get("/admin/stations").get_data(as_text=True)
    page = web.get(batch_url, follow_redirects=True).get_data(as_text=True)
    assert "驿站标识牌正在打包" in page and "生成中，请稍后刷新本页" in page
    run_jobs(redis_client)
    response = web.get(batch_url)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert zipfile.ZipFile(io.BytesIO(response.data)).namelist() == [f"{mine.code}_一号驿站.pdf"]
    for other in (f"/admin/stations/signs/{world.other_system.id}.zip", f"/admin/stations/signs/{world.district.id}.zip",
                  f"/admin/stations/{theirs.id}/sign.pdf"):
        assert web.get(other).status_code == 404


LONG_NAME = "良乡镇拱辰街道/" + "暖心" * 45 + "驿站"  # 100 characters, 300 UTF-8 bytes


def saved_name(response):
    """The (UTF-8) name a browser saves the download under."""
    return parse_options_header(response.headers["Content-Disposition"])[1]["filename"]


def test_a_long_station_or_unit_name_still_names_a_file_that_can_be_saved(web, world, redis_client):
    """Linux and macOS take at most 255 bytes in a file name: a 100-字 name (300 bytes) is cut at a
    whole character with …, its suffix kept, and a slash names no folder."""
    station = station_for(world.unit, name=LONG_NAME)
    Org.update(full_name="北京市房山区" + "某某" * 45 + "工会").where(Org.id == world.system.id).execute()
    sign_in(web, "system")
    web.get(f"/admin/stations/{station.id}/sign.pdf")  # made by its job on first ask
    run_jobs(redis_client)
    sign = saved_name(web.get(f"/admin/stations/{station.id}/sign.pdf"))
    assert len(sign.encode()) <= 255 and sign.startswith("良乡镇拱辰街道／暖心") and sign.endswith("…_标识牌.pdf")
    batch_url = f"/admin/stations/signs/{world.system.id}.zip"
    web.get(batch_url)
    run_jobs(redis_client)
    batch = saved_name(web.get(batch_url))
    assert len(batch.encode()) <= 255 and batch.startswith("北京市房山区某某") and batch.endswith("…_驿站标识牌.zip")


def test_a_sign_made_while_wechat_refuses_carries_the_web_link_code_and_the_list_says_so(web, world, redis_client,
                                                                                        monkeypatch):
    """The official account's secret is wrong: Tencent refuses every code. The sign is made anyway,
    with the code of the station's page alone, and the list tells the admin so and why."""
    from workers import context
    monkeypatch.setenv("WECHAT_SECRET", "not-the-secret")
    context._cached.clear()
    station = station_for(world.unit)
    sign_in(web, "system")
    web.get(f"/admin/stations/{station.id}/sign.pdf")
    run_jobs(redis_client)
    assert web.get(f"/admin/stations/{station.id}/sign.pdf").mimetype == "application/pdf"
    page = web.get("/admin/stations").get_data(as_text=True)
    assert "此标识牌上只有驿站网页的链接二维码，不是公众号二维码（微信接口拒绝了请求（错误码" in page
    assert "请检查公众号和小程序的AppID、密钥" in page and "微信接口恢复后系统会自动重新生成" in page


def _block_storage(config, folder):
    """A file stands where the storage folder `folder` goes: nothing can be written under it."""
    blocked = config.storage_dir / folder
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"not a folder")


def test_a_sign_whose_job_failed_says_why_when_asked_for_again(web, world, redis_client, config):
    """The server cannot write the sign: asked for again, the page says why instead of “正在生成”
    for ever."""
    station = station_for(world.unit)
    _block_storage(config, "stations")
    sign_in(web, "system")
    web.get(f"/admin/stations/{station.id}/sign.pdf")
    run_jobs(redis_client)
    page = web.get(f"/admin/stations/{station.id}/sign.pdf", follow_redirects=True).get_data(as_text=True)
    assert "标识牌上次未能生成：服务器上的文件读写出错" in page, page[page.find("标识牌"):][:200]
    assert "已重新开始生成" in page


def test_a_batch_whose_job_failed_says_why_when_asked_for_again(web, world, redis_client, config):
    station_for(world.unit, name="一号驿站")
    _block_storage(config, "signs")
    sign_in(web, "system")
    batch_url = f"/admin/stations/signs/{world.system.id}.zip"
    web.get(batch_url)
    run_jobs(redis_client)
    page = web.get(batch_url, follow_redirects=True).get_data(as_text=True)
    assert "驿站标识牌上次未能打包：服务器上的文件读写出错" in page, page[page.find("标识牌"):][:200]
