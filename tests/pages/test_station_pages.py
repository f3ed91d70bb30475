"""Public station pages: with and without optional data, internal and closed stations, the QR
code, the APP QR image, and the feedback form (token, rate limit)."""
import io
import re

import zxingcpp
from PIL import Image

from miniapp_backend.models import StationFeedback, StationStatus
from miniapp_backend.models.assets import APP_12351_QR, Asset
from miniapp_backend.packets.qrcodes import qr_png
from miniapp_backend.pages import feedback
from miniapp_backend.services import nearby, stations
from miniapp_backend.storage import FileStore
from tests.factories import station_for

TOKEN = re.compile(r'name="token" value="([^"]+)"')
ALWAYS = {"always": True}


def page(client, code, status=200):
    """GET a station page; return its HTML."""
    response = client.get(f"/s/{code}")
    assert response.status_code == status
    return response.get_data(as_text=True)


def test_public_station_page_has_everything_a_worker_needs(client, world):
    station = station_for(world.unit, hours=ALWAYS, status=StationStatus.ACTIVE, phone="010-69310000",
                          services=["饮水", "充电"])
    html = page(client, station.code)
    assert station.name in html and station.address in html and "24小时开放" in html
    assert "现在开放" in html and "手机充电" in html and 'href="tel:010-69310000"' in html
    assert 'href="tel:12351"' in html and "法律援助" in html and "心理咨询" in html
    assert "应用商店搜索“北京工会12351”" in html and "在浏览器打开" in html
    assert "https://uri.amap.com/marker?position=116.1397,39.7355" in html
    assert "工会主席" not in html and "app-12351.png" not in html
    assert f'src="/s/{station.code}/qr.png"' in html


def test_page_without_optional_data(client, world):
    station = station_for(world.unit, services=[], status=StationStatus.ACTIVE)
    html = page(client, station.code)
    assert "服务项目尚未登记" in html and "开放时间未登记，可到场咨询" in html and "致电" not in html
    # Unknown hours are not a closed station: neither badge is shown.
    assert "现在未开放" not in html and "现在开放" not in html
    assert "驿站电话" not in html


def test_internal_station_shows_the_chairs_contact(client, world):
    world.unit.email = "gh@example.com"
    world.unit.save()
    station = station_for(world.unit, public=False, status=StationStatus.ACTIVE)
    html = page(client, station.code)
    assert "工会主席：王建国" in html and 'href="tel:010-69312345"' in html
    assert 'href="mailto:gh@example.com"' in html


def test_closed_station_says_so_and_lists_the_nearest_open_ones(client, world, redis_client):
    closed = station_for(world.unit, name="已关闭驿站", status=StationStatus.CLOSED)
    near = station_for(world.unit, name="附近开放驿站", lat=39.7360, lng=116.1400, status=StationStatus.ACTIVE,
                       hours=ALWAYS)
    station_for(world.unit, name="内部驿站", lat=39.7358, lng=116.1398, public=False, status=StationStatus.ACTIVE)
    station_for(world.unit, name="另一关闭驿站", lat=39.7356, lng=116.1399, status=StationStatus.CLOSED)
    html = page(client, closed.code)
    assert "本驿站已关闭" in html and f'href="/s/{near.code}"' in html and "现在开放" in html
    assert "内部驿站" not in html and "另一关闭驿站" not in html


def test_a_closed_stations_neighbours_are_listed_as_last_changed(client, world, redis_client):
    closed = station_for(world.unit, name="已关闭驿站", status=StationStatus.CLOSED)
    near = station_for(world.unit, name="附近开放驿站", lat=39.7360, lng=116.1400, status=StationStatus.ACTIVE,
                       hours=ALWAYS)
    assert "附近开放驿站</a>\n      约" in page(client, closed.code)
    stations.update_station(near, name="拱辰大街驿站", address="房山区良乡镇拱辰大街9号", hours={})
    nearby.station_changed(redis_client, near)
    html = page(client, closed.code)
    assert "拱辰大街驿站</a>\n      约" in html and "房山区良乡镇拱辰大街9号" in html
    assert "附近开放驿站" not in html and "现在开放" not in html


def test_a_far_neighbour_is_shown_in_kilometres_as_in_the_chat(client, world, redis_client):
    closed = station_for(world.unit, name="已关闭驿站", status=StationStatus.CLOSED)
    station_for(world.unit, name="远处驿站", lat=39.8596, lng=116.1397, status=StationStatus.ACTIVE)  # 13.8 km
    station_for(world.unit, name="近处驿站", lat=39.7400, lng=116.1397, status=StationStatus.ACTIVE)  # 501 m
    html = page(client, closed.code)
    assert "远处驿站</a>\n      约13.8公里" in html and "近处驿站</a>\n      约501米" in html


def test_moved_station_points_to_its_new_place(client, world):
    new = station_for(world.unit, name="新址驿站", status=StationStatus.ACTIVE)
    old = station_for(world.unit, name="旧址驿站", status=StationStatus.MOVED)
    old.moved_to = new
    old.save()
    html = page(client, old.code)
    assert "本驿站已迁址" in html and f'已迁至：<a href="/s/{new.code}">新址驿站</a>' in html
    assert html.count("新址驿站") == 1  # not listed again among the nearby stations


def test_a_station_whose_new_site_moved_too_points_to_the_last_site(client, world):
    last = station_for(world.unit, name="最终新址驿站", status=StationStatus.ACTIVE)
    middle = station_for(world.unit, name="中间驿站", status=StationStatus.MOVED)
    old = station_for(world.unit, name="旧址驿站", status=StationStatus.MOVED)
    middle.moved_to, old.moved_to = last, middle
    middle.save()
    old.save()
    html = page(client, old.code)
    assert f'已迁至：<a href="/s/{last.code}">最终新址驿站</a>' in html and "中间驿站" not in html


def test_a_moved_station_whose_new_site_closed_is_not_sent_there(client, world):
    new = station_for(world.unit, name="新址驿站", status=StationStatus.CLOSED)
    station_for(world.unit, name="长阳驿站", lat=39.7600, lng=116.2000, status=StationStatus.ACTIVE)
    old = station_for(world.unit, name="旧址驿站", status=StationStatus.MOVED)
    old.moved_to = new
    old.save()
    html = page(client, old.code)
    assert "本驿站已迁址" in html and "已迁至" not in html and "新址驿站" not in html
    assert "长阳驿站</a>" in html


def test_unknown_code_is_a_chinese_404(client, db):
    assert "未找到这个驿站" in page(client, "nosuchcode", 404)


def test_qr_png_encodes_the_page_url_and_is_cached(client, world, config):
    station = station_for(world.unit)
    first = client.get(f"/s/{station.code}/qr.png")
    assert first.mimetype == "image/png"
    texts = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(first.data)))]
    assert texts == [f"{config.public_base_url}/s/{station.code}"]
    assert list((config.storage_dir / "stations" / station.code).glob("qr-*.png"))
    assert client.get(f"/s/{station.code}/qr.png").data == first.data


def test_uploaded_app_qr_is_shown(client, world, config):
    station = station_for(world.unit)
    Asset.put(FileStore(config.storage_dir), APP_12351_QR, qr_png("https://app.example/12351"), "image/png")
    assert "/s/-/app-12351.png" in page(client, station.code)
    assert client.get("/s/-/app-12351.png").status_code == 200


def post_feedback(client, code, token, text="饮水机没有热水了", ip="10.0.0.1"):
    """POST the feedback form as a phone at `ip` would."""
    return client.post(f"/s/{code}/feedback", data={"token": token, "topic": "问题反映", "text": text},
                       environ_base={"REMOTE_ADDR": ip})


def test_feedback_is_recorded_with_a_valid_token_only(client, world):
    station, other = station_for(world.unit), station_for(world.unit, name="另一驿站")
    token = TOKEN.search(page(client, station.code)).group(1)
    sent = post_feedback(client, station.code, token)
    assert sent.status_code == 303 and sent.headers["Location"].endswith(f"/s/{station.code}?sent=1#feedback")
    assert "感谢您的反馈" in page(client, station.code + "?sent=1")
    note = StationFeedback.get()
    assert (note.station_id, note.topic, note.text) == (station.id, "问题反映", "饮水机没有热水了")
    assert "10.0.0.1" not in note.ip_hash
    for bad in ("", "forged", TOKEN.search(page(client, other.code)).group(1)):
        refused = post_feedback(client, station.code, bad)
        assert refused.status_code == 400 and "页面已过期" in refused.get_data(as_text=True)
    assert StationFeedback.select().count() == 1


def test_feedback_is_rate_limited_per_ip(client, world):
    station = station_for(world.unit)
    token = TOKEN.search(page(client, station.code)).group(1)
    for _ in range(feedback.RATE_LIMIT):
        assert post_feedback(client, station.code, token).status_code == 303
    refused = post_feedback(client, station.code, token)
    assert refused.status_code == 400 and "提交太频繁" in refused.get_data(as_text=True)
    assert post_feedback(client, station.code, token, ip="10.0.0.2").status_code == 303
    assert StationFeedback.select().count() == feedback.RATE_LIMIT + 1



def test_feedback_counts_its_zi_without_line_breaks(client, world):
    station = station_for(world.unit)
    token = TOKEN.search(page(client, station.code)).group(1)
    text = "\n".join("饮水机没有热水了" * 5 for _ in range(12))  # 480 字 on 12 lines
    assert post_feedback(client, station.code, token, text=text).status_code == 303
    refused = post_feedback(client, station.code, token, text=text + "饮水机没有热水了" * 3)
    assert refused.status_code == 400 and "反馈内容共504字，超过500字上限，请删减4字后重发" in refused.get_data(as_text=True)
    assert [note.text for note in StationFeedback.select()] == [text]


def test_feedback_with_a_nul_is_refused_and_nothing_is_stored(client, world):
    station = station_for(world.unit)
    token = TOKEN.search(page(client, station.code)).group(1)
    refused = post_feedback(client, station.code, token, text="饮水机\x00没有热水了")
    assert refused.status_code == 400 and "空字符" in refused.get_data(as_text=True)
    assert StationFeedback.select().count() == 0
