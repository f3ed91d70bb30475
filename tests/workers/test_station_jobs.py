"""Station jobs: every generated QR code decodes (zxing-cpp) to the right URL; the WeChat code
falls back past the 100,000 cap or on an unverified account; signs and batches of signs."""
import datetime as dt
import io
import re
import socket
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader
from rq import SimpleWorker

from miniapp_backend.clock import utcnow
from miniapp_backend.models import CodeKind, QrQuota, StationWechatCode
from miniapp_backend.models.assets import APP_12351_QR, Asset
from miniapp_backend.models.station_pages import PERMANENT_QR_LIMIT
from miniapp_backend.packets.qr_files import page_qr_path
from miniapp_backend.storage import FileStore
from tests.factories import station_for
from tests.workers.job_env import job_env  # noqa: F401 (fixture)
from workers import context, station_codes as stations_codes, stations
from workers.queues import queue

SVG_RECT = re.compile(rb'x="([\d.]+)mm" y="([\d.]+)mm" width="([\d.]+)mm" height="([\d.]+)mm"')
PIXELS_PER_MM = 8


def decode(image):
    """The texts of every QR code zxing-cpp finds in a PIL image."""
    return [result.text for result in zxingcpp.read_barcodes(image)]


def decode_png(data):
    """The texts of the QR codes in PNG or JPEG bytes."""
    return decode(Image.open(io.BytesIO(data)))


def decode_svg(data):
    """Rasterize our SVG (one rect per dark module) and decode it."""
    rects = [tuple(float(v) for v in match) for match in SVG_RECT.findall(data)]
    size = int((max(x + w for x, _, w, _ in rects) + 4) * PIXELS_PER_MM)
    image = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(image)
    for x, y, w, h in rects:
        draw.rectangle([x * PIXELS_PER_MM, y * PIXELS_PER_MM,
                        (x + w) * PIXELS_PER_MM - 1, (y + h) * PIXELS_PER_MM - 1], fill=0)
    return decode(image)


def sign_codes(pdf):
    """The texts of every QR code among the images of a sign PDF, and its text."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    texts = [text for image in page.images for text in decode(image.image.convert("L"))]
    return texts, re.sub(r"\s+", "", page.extract_text())


@pytest.fixture
def station(world):
    """A public station with services."""
    return station_for(world.unit, services=["饮水", "热饭", "充电"])


def test_page_qr_png_and_svg_encode_the_page_url(config, station):
    url = f"{config.public_base_url}/s/{station.code}"
    assert decode_png(page_qr_path(config.storage_dir, config.public_base_url, station.code).read_bytes()) == [url]
    svg = page_qr_path(config.storage_dir, config.public_base_url, station.code, "svg").read_bytes()
    assert decode_svg(svg) == [url]


def test_verified_account_gets_a_permanent_official_code_on_the_sign(job_env, redis_client, station, config):
    stations.enqueue_station_assets(redis_client, config, station)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    code = StationWechatCode.get(StationWechatCode.station == station)
    assert code.kind == CodeKind.OFFICIAL and code.scene == f"st.{station.code}"
    assert QrQuota.get(QrQuota.appid == config.wechat_appid).used == 1
    texts, text = sign_codes(stations.sign_path(config, station).read_bytes())
    assert sorted(texts) == sorted([f"{config.public_base_url}/s/{station.code}", code.url])
    assert "北京工会职工暖心驿站" in text and station.name in text and "12351" in text
    assert "饮水热饭手机充电" in text and "应用商店搜索“北京工会12351”" in text
    assert "工会主席" not in text  # a public station shows no internal contact


def test_past_the_cap_the_sign_carries_a_mini_program_code(job_env, station, config, standin):
    standin.settings.permanent_qrcode_limit = 0  # Tencent refuses (45029)
    stations.compile_station_assets(station.id)
    code = StationWechatCode.get(StationWechatCode.station == station)
    assert code.kind == CodeKind.MINIAPP
    assert QrQuota.get(QrQuota.appid == config.wechat_appid).used == PERMANENT_QR_LIMIT
    texts, _ = sign_codes(stations.sign_path(config, station).read_bytes())
    assert any(f"scene=st.{station.code}" in t for t in texts)


def test_our_own_count_stops_before_tencent_has_to(job_env, station, config, control):
    QrQuota.create(appid=config.wechat_appid, used=PERMANENT_QR_LIMIT)
    stations.compile_station_assets(station.id)
    assert StationWechatCode.get(StationWechatCode.station == station).kind == CodeKind.MINIAPP
    assert control.calls("/cgi-bin/qrcode/create") == []


def test_unverified_account_without_mini_program_prints_the_url_code_alone(job_env, monkeypatch, world, config):
    monkeypatch.setenv("WECHAT_ACCOUNT_KIND", "subscription")
    monkeypatch.setenv("MINIAPP_APPID", "")
    context._cached.clear()
    internal = station_for(world.unit, name="车间内部驿站", public=False)
    stations.compile_station_assets(internal.id)
    assert StationWechatCode.get(StationWechatCode.station == internal).kind == CodeKind.URL
    texts, text = sign_codes(stations.sign_path(config, internal).read_bytes())
    assert texts == [f"{config.public_base_url}/s/{internal.code}"]
    assert "工会主席：王建国" in text and "电话：010-69312345" in text


def test_uploaded_app_qr_replaces_the_placeholder(job_env, station, config):
    Asset.put(FileStore(config.storage_dir), APP_12351_QR, _app_qr(), "image/png")
    stations.compile_station_assets(station.id)
    texts, text = sign_codes(stations.sign_path(config, station).read_bytes())
    assert "https://app.example/12351" in texts and "应用商店搜索" not in text


def _app_qr():
    """A stand-in for the official APP QR image."""
    from miniapp_backend.packets.qrcodes import qr_png
    return qr_png("https://app.example/12351")


def test_batch_of_an_org_and_of_the_district(job_env, world, config):
    first = station_for(world.unit, name="一号驿站")
    second = station_for(world.direct_unit, name="二号驿站")
    unit_zip = zipfile.ZipFile(stations.compile_batch_signs(world.unit.id, stations.batch_key(config, stations.batch_stations(world.unit))))
    assert unit_zip.namelist() == [f"{first.code}_一号驿站.pdf"]
    district = stations.compile_batch_signs(world.district.id, stations.batch_key(config, stations.batch_stations(world.district)))
    names = zipfile.ZipFile(district).namelist()
    assert names == [f"{first.code}_一号驿站.pdf", f"{second.code}_二号驿站.pdf"]
    texts, _ = sign_codes(zipfile.ZipFile(district).read(names[1]))
    assert f"{config.public_base_url}/s/{second.code}" in texts


def test_a_change_to_what_the_sign_shows_makes_a_new_sign_and_drops_the_old(job_env, station, config):
    from miniapp_backend.services import stations as station_service
    first = stations.sign_path(config, station)
    assert stations.compile_station_assets(station.id) == str(first) and first.exists()
    station_service.update_station(station, lat=39.74)  # the sign shows no coordinates
    assert stations.sign_path(config, station) == first
    station_service.update_station(station, name="拱辰大街驿站", hours={"always": True})
    second = stations.sign_path(config, station)
    assert second != first and not second.exists()
    stations.compile_station_assets(station.id)
    assert second.exists() and not first.exists()
    _, text = sign_codes(second.read_bytes())
    assert "拱辰大街驿站" in text and "24小时开放" in text


def test_a_sign_leaves_out_hours_and_services_not_registered(job_env, world, config):
    """A sign on a wall does not advertise missing data: no 开放时间未登记, no 提供服务：—; the
    station's phone, which a reader can call, still prints."""
    station = station_for(world.unit, name="拱辰大街驿站", hours={}, services=[], phone="010-69312345")
    _, text = sign_codes(Path(stations.compile_station_assets(station.id)).read_bytes())
    assert "拱辰大街驿站" in text and "驿站电话：010-69312345" in text and "12351" in text
    assert "未登记" not in text and "开放时间" not in text.replace("查看开放时间", "")
    assert "提供服务" not in text
    from miniapp_backend.services import stations as station_service
    station_service.update_station(station, hours={"always": True}, services=["饮水"])
    _, text = sign_codes(Path(stations.compile_station_assets(station.id)).read_bytes())
    assert "开放时间：24小时开放" in text and "提供服务：饮水" in text


def test_the_sweep_enqueues_a_job_for_each_station_without_its_current_sign(job_env, world, redis_client, config):
    signed, unsigned = station_for(world.unit, name="一号驿站"), station_for(world.unit, name="二号驿站")
    stations.compile_station_assets(signed.id)
    assert stations.sweep_signs() == {"enqueued": 1}
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert stations.sign_path(config, unsigned).exists()
    assert stations.sweep_signs() == {"enqueued": 0}


def _line_positions(pdf):
    """(x, baseline) in points of every text line of a one-page PDF."""
    lines = []
    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=lambda text, cm, tm, *_: lines.append(
        (cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5])) if text.strip() else None)
    return lines


def test_a_sign_with_long_texts_keeps_everything_on_the_page(job_env, world, config):
    """A long station name and address, three opening spans a day and every service: the hotline,
    the APP code's caption and the station number still print on the page, nothing over another."""
    from miniapp_backend.services.stations import vocabulary
    spans = [["07:00", "09:00"], ["11:30", "13:30"], ["17:00", "20:30"]]
    station = station_for(
        world.unit, name="北京市房山区长阳镇中关村科技园区房山园高端制造业基地北京某某新能源汽车零部件制造有限公司第二车间职工暖心驿站",
        address="北京市房山区长阳镇中关村科技园区房山园高端制造业基地长阳路" + "十八号院" * 12 + "一号楼一层大厅东侧",
        services=list(vocabulary()), public=False,
        hours={day: spans for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")})
    pdf = Path(stations.compile_station_assets(station.id)).read_bytes()
    texts, text = sign_codes(pdf)
    assert f"{config.public_base_url}/s/{station.code}" in texts
    assert "职工服务热线12351" in text and "北京工会12351APP" in text and f"驿站编号{station.code}" in text
    lines = _line_positions(pdf)
    footer = min(y for _, y in lines)  # 房山区总工会　驿站编号 …, at the foot of the page
    assert footer >= 10 * 2.83
    assert all(y >= footer + 12 for _, y in lines if y != footer), sorted(y for _, y in lines)[:5]


def test_a_batch_of_signs_leaves_out_closed_and_moved_stations(job_env, world, config):
    """The district prints the zip and posts the signs: a closed station or one that has moved
    gets none (its QR code would lead to a page saying so); a station being built gets its sign,
    which it must hang before its acceptance."""
    from miniapp_backend.models import StationStatus
    from miniapp_backend.services import stations as station_service
    open_, planned, closed, moved = (station_for(world.unit, name=name) for name in ("开放驿站", "在建驿站", "关闭驿站", "旧址驿站"))
    station_service.update_station(open_, status=StationStatus.ACTIVE)
    station_service.update_station(closed, status=StationStatus.CLOSED)
    station_service.update_station(moved, status=StationStatus.MOVED)
    members = stations.batch_stations(world.district)
    assert [s.name for s in members] == ["开放驿站", "在建驿站"]
    names = zipfile.ZipFile(stations.compile_batch_signs(world.district.id, stations.batch_key(config, members))).namelist()
    assert names == [f"{open_.code}_开放驿站.pdf", f"{planned.code}_在建驿站.pdf"]


def test_a_batch_names_each_sign_file_even_with_a_slash_in_the_station_name(job_env, world, config):
    station = station_for(world.unit, name="良乡镇政府/便民中心驿站")
    members = stations.batch_stations(world.unit)
    names = zipfile.ZipFile(stations.compile_batch_signs(world.unit.id, stations.batch_key(config, members))).namelist()
    assert names == [f"{station.code}_良乡镇政府／便民中心驿站.pdf"]


def test_the_sign_prints_the_station_phone_and_a_new_phone_makes_a_new_sign(job_env, world, config):
    """The station page lists 驿站电话; the sign on the wall should too, and follow its changes."""
    from miniapp_backend.services import stations as station_service
    station = station_for(world.unit, phone="010-69301234")
    first = Path(stations.compile_station_assets(station.id))
    assert "驿站电话：010-69301234" in sign_codes(first.read_bytes())[1]
    station_service.update_station(station, phone="13800138000")
    second = Path(stations.compile_station_assets(station.id))
    assert second != first and "驿站电话：13800138000" in sign_codes(second.read_bytes())[1]


def test_a_public_home_sign_is_not_labelled_as_a_station(job_env, world, config):
    """A 公共区域职工之家 (in a station, a mall, a hospital) hangs a 北京工会职工之家 sign: its number is
    not a 驿站编号."""
    from miniapp_backend.models import StationKind
    home = station_for(world.unit, name="良乡地铁站公共区域职工之家", kind=StationKind.PUBLIC_HOME)
    _, text = sign_codes(Path(stations.compile_station_assets(home.id)).read_bytes())
    assert text.startswith("北京工会职工之家") and f"职工之家编号{home.code}" in text and "驿站编号" not in text


def test_a_sign_drawn_by_an_older_layout_is_drawn_again(job_env, world, config, monkeypatch):
    """Signs are kept by what they show; a change to how signs are drawn (a fix) must reach the
    signs already made, or a station keeps printing the old one."""
    from miniapp_backend.packets import sign_pdf
    station = station_for(world.unit)
    made = Path(stations.compile_station_assets(station.id))
    monkeypatch.setattr(stations, "SIGN_LAYOUT", sign_pdf.SIGN_LAYOUT + 1)
    assert stations.sign_path(config, station) != made
    assert stations.sweep_signs() == {"enqueued": 1}


def _wechat_down(monkeypatch, control):
    """WeChat cannot be reached at all: nothing listens where its API should be."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("WECHAT_API_BASE_URL", f"http://127.0.0.1:{port}")
    context._cached.clear()


def _wechat_refuses(monkeypatch, control):
    """WeChat answers the code requests of the sign job and of a batch with an error (-1: busy)."""
    control("POST", "/standin/faults", json={"path": "cgi-bin/qrcode/create", "errcode": -1, "times": 2})


@pytest.mark.parametrize("outage, why", [(_wechat_down, "连不上微信接口"), (_wechat_refuses, "微信接口拒绝了请求（错误码-1")])
def test_without_wechat_the_sign_carries_the_web_link_code_until_wechat_answers(
        job_env, monkeypatch, control, redis_client, world, config, outage, why):
    """A sign is printed even while WeChat is down or refuses: with the code of the station's page
    (the link the chat's station card gives), marked so that the admin is told and the sweep draws it
    again with the account's code once WeChat answers; a batch made meanwhile is made again too."""
    from miniapp_backend.packets.qrcodes import station_url
    station = station_for(world.unit, name="一号驿站")
    outage(monkeypatch, control)
    stations.enqueue_station_assets(redis_client, config, station)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    sign = stations.sign_path(config, station)
    assert sign_codes(sign.read_bytes())[0] == [station_url(config.public_base_url, station.code)]
    assert stations.sign_state(redis_client, config, station)[0] == stations.SignState.READY
    note = stations.fallback_note(redis_client, config, station)
    assert "只有驿站网页的链接二维码，不是公众号二维码" in note and why in note, note
    key = stations.batch_key(config, [station])
    batch = stations.compile_batch_signs(world.unit.id, key)
    assert sign_codes(zipfile.ZipFile(batch).read(f"{station.code}_一号驿站.pdf"))[0] == [
        station_url(config.public_base_url, station.code)]

    monkeypatch.setenv("WECHAT_API_BASE_URL", job_env["WECHAT_API_BASE_URL"])  # WeChat is back
    context._cached.clear()
    assert stations.sweep_signs() == {"enqueued": 1}
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    code = StationWechatCode.get(StationWechatCode.station == station)
    assert code.kind == CodeKind.OFFICIAL and stations.fallback_note(redis_client, config, station) == ""
    page_url = station_url(config.public_base_url, station.code)
    assert sorted(sign_codes(sign.read_bytes())[0]) == sorted([page_url, code.url])
    assert stations.batch_key(config, [station]) != key
    again = stations.compile_batch_signs(world.unit.id, stations.batch_key(config, [station]))
    assert code.url in sign_codes(zipfile.ZipFile(again).read(f"{station.code}_一号驿站.pdf"))[0]
    assert stations.sweep_signs() == {"enqueued": 0}


def test_a_batch_asks_wechat_once_while_it_does_not_answer(job_env, world, config, control):
    """Hundreds of signs would each wait out WeChat's timeout: after WeChat fails for one sign of a
    batch, the rest carry the web link code without asking, and the sweep asks again later."""
    first, second = station_for(world.unit, name="一号驿站"), station_for(world.unit, name="二号驿站")
    _wechat_refuses(monkeypatch=None, control=control)
    stations.compile_batch_signs(world.unit.id, stations.batch_key(config, [first, second]))
    assert len(control.calls("/cgi-bin/qrcode/create")) == 1
    assert stations.fallback_station_ids() == {first.id, second.id}


def test_a_mini_program_code_wechat_was_too_busy_to_make_is_asked_for_again(
        job_env, monkeypatch, control, redis_client, world, config):
    """On an account whose signs carry the mini-program code, Tencent busy (-1) for that call is
    an outage like any other: the sign carries the web link code meanwhile, the admin is told, and
    the code is asked for again (it was kept as “URL code only” for good, and nobody was told)."""
    monkeypatch.setenv("WECHAT_ACCOUNT_KIND", "subscription")
    context._cached.clear()
    station = station_for(world.unit, name="一号驿站")
    control("POST", "/standin/faults", json={"path": "wxa/getwxacodeunlimit", "errcode": -1})
    stations.enqueue_station_assets(redis_client, config, station)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert "微信接口拒绝了请求（错误码-1" in stations.fallback_note(redis_client, config, station)
    assert stations.sweep_signs() == {"enqueued": 1}
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert StationWechatCode.get(StationWechatCode.station == station).kind == CodeKind.MINIAPP
    texts, _ = sign_codes(stations.sign_path(config, station).read_bytes())
    assert any(f"scene=st.{station.code}" in t for t in texts)


def test_a_mini_program_page_not_published_yet_gives_a_sign_with_the_web_link_code_alone(
        job_env, monkeypatch, world, config, standin):
    monkeypatch.setenv("WECHAT_ACCOUNT_KIND", "subscription")
    context._cached.clear()
    standin.settings.miniapp_pages = ["pages/index/index"]  # the station page is not published (41030)
    station = station_for(world.unit, name="一号驿站")
    stations.compile_station_assets(station.id)
    assert StationWechatCode.get(StationWechatCode.station == station).kind == CodeKind.UNRELEASED
    assert sign_codes(stations.sign_path(config, station).read_bytes())[0] == [
        f"{config.public_base_url}/s/{station.code}"]


def _age_code(station, hours):
    """The station's code row as last asked about `hours` ago."""
    StationWechatCode.update(updated_at=utcnow() - dt.timedelta(hours=hours)).where(
        StationWechatCode.station == station).execute()


def test_a_sign_made_before_the_mini_program_page_was_released_gets_its_code_once_it_is(
        job_env, monkeypatch, world, config, standin, redis_client, control):
    """The sweep asks WeChat again now and then (not every few minutes) and draws the sign anew
    with the mini-program code once the page is released; a batch made meanwhile is made again."""
    monkeypatch.setenv("WECHAT_ACCOUNT_KIND", "subscription")
    context._cached.clear()
    standin.settings.miniapp_pages = ["pages/index/index"]
    station = station_for(world.unit, name="一号驿站")
    stations.compile_station_assets(station.id)
    key = stations.batch_key(config, [station])
    stations.compile_batch_signs(world.unit.id, key)
    assert stations.sweep_signs() == {"enqueued": 0}  # just asked: not again every few minutes
    _age_code(station, 7)
    assert stations.sweep_signs() == {"enqueued": 1}
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert StationWechatCode.get(StationWechatCode.station == station).kind == CodeKind.UNRELEASED  # still
    assert stations.sweep_signs() == {"enqueued": 0}
    standin.settings.miniapp_pages = ["pages/index/index", stations_codes.STATION_PAGE]  # released
    _age_code(station, 7)
    assert stations.sweep_signs() == {"enqueued": 1}
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)
    assert StationWechatCode.get(StationWechatCode.station == station).kind == CodeKind.MINIAPP
    texts, _ = sign_codes(stations.sign_path(config, station).read_bytes())
    assert any(f"scene=st.{station.code}" in t for t in texts)
    assert stations.batch_key(config, [station]) != key
    batch = stations.compile_batch_signs(world.unit.id, stations.batch_key(config, [station]))
    texts, _ = sign_codes(zipfile.ZipFile(batch).read(f"{station.code}_一号驿站.pdf"))
    assert any(f"scene=st.{station.code}" in t for t in texts)
    _age_code(station, 7)
    assert stations.sweep_signs() == {"enqueued": 0}


def test_a_batch_of_stations_with_100_character_names_unpacks_on_linux(job_env, world, config, tmp_path):
    name = "北京市房山区良乡镇拱辰街道" + "示例科技发展有限责任公司职工暖心驿站" * 4 + "一号站点驿站十五号院内东侧两间"
    assert len(name) == 100
    first, second = station_for(world.unit, name=name), station_for(world.unit, name=name)
    members = stations.batch_stations(world.unit)
    archive = zipfile.ZipFile(stations.compile_batch_signs(world.unit.id, stations.batch_key(config, members)))
    names = archive.namelist()
    assert [n.split("_")[0] for n in names] == [first.code, second.code]  # still told apart
    assert all(n.startswith(f"{first.code}_北京市房山区") or n.startswith(f"{second.code}_北京市房山区") for n in names)
    assert all(len(n.encode()) <= 255 and n.endswith("….pdf") for n in names)
    archive.extractall(tmp_path / "unzipped")  # what unzipping does: refused as too long before
    assert sorted(p.name for p in (tmp_path / "unzipped").iterdir()) == sorted(names)


def test_a_sign_job_past_its_time_limit_says_so_in_chinese():
    from rq.timeouts import JobTimeoutException
    reason = stations.sign_failure_reason(JobTimeoutException("Task exceeded maximum timeout value (180 seconds)"))
    assert reason.startswith("生成超时") and "JobTimeoutException" not in reason
