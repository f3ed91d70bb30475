"""End to end over real HTTP: the stand-in plays WeChat against the app served on loopback."""
import base64
import os

from bench.common import free_port
from bots.console import Console
from miniapp_backend.app import create_app
from miniapp_backend.models import Decision, Notice, StationStatus
from miniapp_backend.services import drafts, evidence, review
from miniapp_backend.storage import FileStore
from standin.callback import CallbackClient
from tests.bots.conftest import PNG
from tests.bots.flows import only_application
from tests.conftest import TEST_WECHAT
from tests.factories import IN_WINDOW, station_for
from workers.queues import deliver_notices


def callback_client(server, aes_key=None):
    """WeChat's side of the callback, aimed at the served app."""
    return CallbackClient(server.url + "/wechat", TEST_WECHAT["WECHAT_TOKEN"], TEST_WECHAT["WECHAT_APPID"],
                          aes_key)


def test_plain_mode_over_http_with_a_retry(world, live_factory):
    server = live_factory()
    wechat = callback_client(server)
    assert wechat.verify("hello-echo") == "hello-echo"
    assert "回复“申报”开始或继续填写" in wechat.event("o-王建国", "subscribe").reply["Content"]
    first = wechat.text("o-王建国", "申报")
    assert "可申报" in first.reply["Content"]
    retry = wechat.resend(first)  # WeChat's identical retry
    assert retry.status == 200 and retry.reply["Content"] == first.reply["Content"]


def test_safe_mode_over_http(world, live_factory):
    aes_key = base64.b64encode(os.urandom(32)).decode()[:43]
    server = live_factory(wechat_aes_key=aes_key)
    wechat = callback_client(server, aes_key)
    result = wechat.text("o-worker", "12351")
    assert result.error is None and result.reply["Content"].startswith("北京12351职工服务热线")
    assert "Encrypt" in result.text  # the reply itself went back encrypted
    wrong = callback_client(server, base64.b64encode(os.urandom(32)).decode()[:43])
    assert wrong.text("o-worker", "12351").status == 400


def _fill_in_the_miniapp(world, config):
    """The chair answers the rest in the mini-program: every item 是 with a photo."""
    application = only_application()
    template = drafts.templates(application)[0]
    stored = evidence.store(FileStore(config.storage_dir), PNG, "photo", "image/png")
    for item in template.items:
        key = f"{template.code}:{item.key}"
        drafts.write_answer(application, world.chair, key, {"done": True}, channel="miniapp", today=IN_WINDOW)
        evidence.attach(application, world.chair, key, stored, today=IN_WINDOW)


def test_console_through_the_standin_with_a_later_notification(
        world, live_factory, standin, jobs, redis_client, config, tmp_path):
    server = live_factory()
    standin.settings.callback_url = server.url + "/wechat"
    station_for(world.unit, name="拱辰大街驿站", status=StationStatus.ACTIVE, hours={"always": True})
    printed = []
    console = Console(standin.url, "o-王建国", echo=printed.append)
    console.send("/sub")
    assert "欢迎关注房山区总工会" in printed[-1]
    for line in ("申报", "1", "确认"):
        console.send(line)
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    console.send(f"/photo {photo}")
    assert "已收到第1项的照片，共1张" in printed[-1]
    console.send("/loc 39.7355 116.1397")
    assert "拱辰大街驿站" in printed[-1]
    console.send("/click HOTLINE")
    assert "12351" in printed[-1]
    jobs()
    _fill_in_the_miniapp(world, config)
    console.send("提交")
    assert "第1版已提交" in printed[-1]
    review.decide(only_application(), world.system_admin, Decision.APPROVE, "同意")
    deliver_notices(redis_client, Notice.select())
    jobs()
    shown = len(printed)
    console.show_sent()  # the approval, then the packet with its opinion printed
    approval = [line for line in printed[shown:] if "审核通过" in line]
    assert len(approval) == 1 and "【2018年示范职工之家】" in approval[0] and "【custom消息】" in approval[0]
    assert "已填入审核意见" in printed[-1]
    # A console started later shows only what arrives from then on, and earlier messages on /history.
    later = []
    again = Console(standin.url, "o-王建国", echo=later.append)
    again.show_sent()
    assert later == [] and again.seen > 0
    again.history(1)
    assert later == [printed[-1]]


def test_chat_command_reads_lines_until_quit(world, live_factory, standin, config, db, redis_client):
    server = live_factory()
    standin.settings.callback_url = server.url + "/wechat"
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["chat", "--openid", "o-worker", "--standin", standin.url],
                                          input="12351\n/history\n/quit\n")
    assert result.exit_code == 0, result.output
    assert "北京12351职工服务热线" in result.output and "/photo" in result.output
    assert "还没有收到过消息" in result.output and "之前收到过" not in result.output
    # A piped script may simply end: that leaves like /quit, not with click's "Aborted!".
    ended = app.test_cli_runner().invoke(args=["chat", "--openid", "o-worker", "--standin", standin.url],
                                         input="帮助\n")
    assert ended.exit_code == 0 and "Aborted" not in ended.output, ended.output
    assert "附近驿站" in ended.output


def test_chat_command_says_what_is_wrong_with_a_line_or_the_standin(world, live_factory, standin, config, db,
                                                                    redis_client, tmp_path):
    server = live_factory()
    standin.settings.callback_url = server.url + "/wechat"
    app = create_app(config)
    lines = f"/photo {tmp_path / 'missing.jpg'}\n/loc 北纬\n/click\n/wait x\n12351\n/quit\n"
    result = app.test_cli_runner().invoke(args=["chat", "--openid", "o-worker", "--standin", standin.url],
                                          input=lines)
    assert result.exit_code == 0, result.output
    assert result.output.count("这一行没有发出") == 4 and "北京12351职工服务热线" in result.output
    unreachable = app.test_cli_runner().invoke(args=["chat", "--openid", "o-worker", "--standin",
                                                     f"http://127.0.0.1:{free_port()}"])
    assert unreachable.exit_code == 1 and "连不上微信模拟服务" in unreachable.output
    assert "Traceback" not in unreachable.output


def test_chat_command_without_a_standin_names_the_demos_command(config, db, redis_client):
    """Plain `flask --app wsgi chat` has no stand-in address; beside `make run` it is flask-demo's."""
    assert not config.wechat_api_base_url
    result = create_app(config).test_cli_runner().invoke(args=["chat", "--openid", "o-worker"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "scripts/flask-demo chat --openid" in result.output



def test_console_sends_a_text_with_a_lone_quote_as_typed(world, live_factory, standin):
    server = live_factory()
    standin.settings.callback_url = server.url + "/wechat"
    printed = []
    Console(standin.url, "o-worker", echo=printed.append).send("I'm lost")
    assert "没看懂“I'm lost”" in printed[-1]  # sent, not refused as a bad command line
