"""`flask --app wsgi chat --openid <id>`: talk to the bot from a terminal through the stand-in.

Each line goes to the stand-in's inbound endpoint, which delivers it to /wechat exactly as
WeChat would; the reply is printed, then any messages sent to the user later (notifications).
"""
import base64
import shlex
import time
from pathlib import Path

import click
import requests
from flask import current_app
from flask.cli import with_appcontext

HTTP_TIMEOUT = 15
IMAGE_TYPES = {".png": "image/png", ".gif": "image/gif"}
HISTORY_DEFAULT = 5

CLI_CHAT = "以指定用户的身份，通过微信模拟服务与公众号对话（/quit 退出）。"
CLI_CHAT_OPENID = "扮演的微信用户 openid。"
CLI_CHAT_STANDIN = "微信模拟服务地址（默认取 WECHAT_API_BASE_URL）。"
CLI_CHAT_NO_STANDIN = ("没有微信模拟服务：请加 --standin 或设置 WECHAT_API_BASE_URL；"
                       "与 make run 的演示对话请用 scripts/flask-demo chat --openid <用户>。")
CONSOLE_HELP = ("直接输入文字发送；/photo 路径 发照片；/loc 纬度 经度 发位置；/click 菜单键；/scan 场景值；"
                "/sub [场景值] 关注；/wait 秒数 等待通知；/history [条数] 看之前收到的消息；/quit 退出。")
CONSOLE_NO_REPLY = "（没有回复）"
CONSOLE_EARLIER = "（之前收到过{count}条消息，输入 /history 查看最近几条）"
CONSOLE_NO_HISTORY = "（还没有收到过消息）"
CONSOLE_HANDED_OVER = "（已转人工客服）"
CONSOLE_ERROR = "（发送失败：{error}）"
CONSOLE_NOTICE = "【{kind}消息】{text}"
CONSOLE_UNREACHABLE = "连不上微信模拟服务 {url}（{error}）：请先用 make run 启动系统，或用 --standin 指定地址。"
CONSOLE_BAD_LINE = "（这一行没有发出：{error}）\n" + CONSOLE_HELP


class Console:
    """One user's terminal session against the stand-in at `base_url`."""

    def __init__(self, base_url, openid, echo=click.echo):
        self.base_url, self.openid, self.echo = base_url.rstrip("/"), openid, echo
        self.seen = len(self._sent())

    def _sent(self):
        """Messages the stand-in recorded as sent to this user."""
        response = requests.get(f"{self.base_url}/standin/sent", params={"openid": self.openid},
                                timeout=HTTP_TIMEOUT)
        return response.json()

    def describe(self, line):
        """The stand-in's description of what the user did, from one console line."""
        # Only a command line is split like a shell's: a text is sent as typed (I'm, 否，"在建).
        words = shlex.split(line) if line.startswith("/") else []
        command, args = (words[0], words[1:]) if words else ("", [])
        if command == "/photo":
            path = Path(args[0])
            return {"type": "image", "file_b64": base64.b64encode(path.read_bytes()).decode(),
                    "content_type": IMAGE_TYPES.get(path.suffix.lower(), "image/jpeg")}
        if command == "/loc":
            return {"type": "location", "lat": float(args[0]), "lng": float(args[1])}
        if command == "/click":
            return {"type": "event", "event": "CLICK", "event_key": args[0]}
        if command == "/scan":
            return {"type": "event", "event": "SCAN", "event_key": args[0]}
        if command == "/sub":
            return {"type": "event", "event": "subscribe",
                    "event_key": f"qrscene_{args[0]}" if args else ""}
        return {"type": "text", "content": line}

    def send(self, line):
        """Deliver one line and print the reply and any later messages."""
        description = {"openid": self.openid, **self.describe(line)}
        result = requests.post(f"{self.base_url}/standin/inbound", json=description,
                               timeout=HTTP_TIMEOUT).json()
        self.echo(self.reply_text(result))
        self.show_sent()

    @staticmethod
    def reply_text(result):
        """The bot's answer in a stand-in delivery result."""
        if result.get("error"):
            return CONSOLE_ERROR.format(error=result["error"])
        reply = result.get("reply") or {}
        if reply.get("MsgType") == "transfer_customer_service":
            return CONSOLE_HANDED_OVER
        return reply.get("Content") or CONSOLE_NO_REPLY

    def show_sent(self):
        """Print messages sent to the user since the last look (customer-service, template…)."""
        sent = self._sent()
        self._print(sent[self.seen:])
        self.seen = len(sent)

    def history(self, count=HISTORY_DEFAULT):
        """Print the last `count` messages sent to the user, from before this session too."""
        sent = self._sent()
        self._print(sent[-count:] if count > 0 else [])
        if not sent:
            self.echo(CONSOLE_NO_HISTORY)
        self.seen = len(sent)

    def _print(self, entries):
        """One line per message sent to the user."""
        for entry in entries:
            payload = entry.get("payload", {})
            text = (payload.get("text") or {}).get("content") or payload.get("data") or payload
            self.echo(CONSOLE_NOTICE.format(kind=entry.get("kind"), text=text))

    def wait(self, seconds):
        """Watch for later messages for a while."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.show_sent()
            time.sleep(1)


@click.command("chat", help=CLI_CHAT)
@click.option("--openid", required=True, help=CLI_CHAT_OPENID)
@click.option("--standin", "standin_url", default="", help=CLI_CHAT_STANDIN)
@with_appcontext
def chat_command(openid, standin_url):
    """Chat with the bot as `openid` through the WeChat stand-in (/quit to leave)."""
    base_url = standin_url or current_app.config["ZGZJ"].wechat_api_base_url
    if not base_url:
        raise click.UsageError(CLI_CHAT_NO_STANDIN)
    try:
        console = Console(base_url, openid)
    except requests.RequestException as exc:
        raise click.ClickException(CONSOLE_UNREACHABLE.format(url=base_url, error=type(exc).__name__))
    click.echo(CONSOLE_HELP)
    if console.seen:
        click.echo(CONSOLE_EARLIER.format(count=console.seen))
    while True:
        try:
            line = click.prompt(">", prompt_suffix=" ", default="", show_default=False).strip()
        except click.Abort:  # end of input (Ctrl-D, the end of a piped script) or Ctrl-C
            click.echo()
            return
        if line in ("/quit", "/exit"):
            return
        try:
            _run_line(console, line)
        except requests.RequestException as exc:
            click.echo(CONSOLE_UNREACHABLE.format(url=base_url, error=type(exc).__name__))
        except (OSError, ValueError, IndexError) as exc:  # a missing file, a bad number or argument
            click.echo(CONSOLE_BAD_LINE.format(error=exc or type(exc).__name__))


def _run_line(console, line):
    """One console line: /wait, /history, or something the user sends."""
    words = line.split()
    if words[:1] == ["/wait"]:
        console.wait(float(words[1]) if len(words) > 1 else 10)
    elif words[:1] == ["/history"]:
        console.history(int(words[1]) if len(words) > 1 else HISTORY_DEFAULT)
    elif line:
        console.send(line)
