"""/n/<token>: the H5 page a template message links shows the whole notice to its person; a
tampered, foreign or old link gets a Chinese page saying so, never a server error."""
import time
from urllib.parse import urlsplit

import pytest
from itsdangerous import TimestampSigner

from miniapp_backend import wechat
from miniapp_backend.models import Notice
from miniapp_backend.services import notice_links, notifications
from miniapp_backend.services.notice_links import ReaderLinks

TEXT = ("【职工之家建设通知】请各基层工会于5月20日前完成验收单的填报。\n"
        "第二行：<script>alert(1)</script> 逾期未报的单位视为放弃本年度评选。")


@pytest.fixture
def messenger(official, miniapp):
    return wechat.WeChatMessenger(official, miniapp)


def sent_link(world, config, messenger, control):
    """Send a broadcast by template message as the worker does; the path its url leads to."""
    notice = notifications.queue(world.chair, "b1", "broadcast",
                                 {"text": TEXT, "title": "职工之家建设通知", "detail": TEXT, "time": "2018-05-10 10:00"})
    notifications.deliver(notice.id, messenger, links=ReaderLinks(config.public_base_url, config.secret_key))
    url = control.sent(kind="template")[0]["payload"]["url"]
    assert url.startswith(config.public_base_url + "/n/")
    return notice, urlsplit(url).path


def test_the_linked_page_shows_the_whole_notice_and_marks_it_read(client, world, config, messenger, control):
    notice, path = sent_link(world, config, messenger, control)
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "请各基层工会于5月20日前完成验收单的填报。" in html and "逾期未报的单位视为放弃本年度评选。" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html
    assert "群发通知" in html
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert Notice.get_by_id(notice.id).read_at is not None


def test_a_tampered_link_is_refused_with_a_chinese_page(client, world, config, messenger, control):
    notice, path = sent_link(world, config, messenger, control)
    token = path.rsplit("/", 1)[1]
    other_id = notice_links.reader_token("someone-elses-key", notice.id + 1).split(".")[0]
    # The last character of a base64 signature carries two padding bits, which decoding ignores:
    # changing only those ("B" → "A") leaves the signature valid, so tamper with the one before.
    flipped = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    for bad in (flipped, other_id + token[token.index("."):],
                notice_links.reader_token("someone-elses-key", notice.id), "abc"):
        response = client.get(f"/n/{bad}")
        assert response.status_code == 404
        assert "链接无效" in response.get_data(as_text=True)
    assert Notice.get_by_id(notice.id).read_at is None


def test_an_old_link_says_it_expired(client, world, config, monkeypatch):
    notice = notifications.queue(world.chair, "old", "broadcast", {"text": TEXT, "title": "t"})
    issued_long_ago = int(time.time()) - notice_links.LINK_LIFETIME - 60
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: issued_long_ago)
        token = notice_links.reader_token(config.secret_key, notice.id)
    response = client.get(f"/n/{token}")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "链接已过期" in html and "我的通知" in html and "请各基层工会" not in html


def test_a_link_to_a_notice_that_is_gone(client, world, config):
    notice = notifications.queue(world.chair, "gone", "broadcast", {"text": TEXT, "title": "t"})
    token = notice_links.reader_token(config.secret_key, notice.id)
    notice.delete_instance()
    response = client.get(f"/n/{token}")
    assert response.status_code == 404 and "这条通知已不存在" in response.get_data(as_text=True)
