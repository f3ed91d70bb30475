"""`seed-demo` creates the demo district (idempotently) and prints who to log in as."""
import click
from flask import current_app

from miniapp_backend.commands.common import refresh_nearby_index, with_db
from miniapp_backend.services import demo


@click.command("seed-demo", help="载入全部申报活动并生成演示用的区总工会组织树、驿站和管理员（可重复运行）；最后一行是演示邀请码。")
@with_db
def seed_demo_command():
    """Seed the demo and print its summary, the demo invite code on the last line."""
    config = current_app.config["ZGZJ"]
    summary = demo.seed_demo(config.secret_key)
    refresh_nearby_index()
    years = "、".join(f"{year}年度" for year in summary["campaigns"])
    click.echo(f"演示数据已就绪：{summary['district']}，组织 {summary['orgs']} 个，驿站 {summary['stations']} 个，"
               f"荣誉 {summary['honours']} 项；已载入申报活动：{years}")
    for admin in summary["admins"]:
        click.echo(f"{admin['role']}：{admin['name']}（{admin['org']}，openid {admin['openid']}）")
        if admin["sign_in"]:
            username, password = admin["sign_in"]
            click.echo(f"  管理后台 {config.public_base_url}/admin/login 用户名 {username} 密码 {password}"
                       "（在后台“修改密码”改过或由区总工会管理员重置后，以新密码为准）")
    invite = summary["invite"]
    click.echo(f"演示邀请码：{invite['org']} · {invite['role']} · 有效期至 {invite['expires_at']}")
    click.echo(invite["code"])


COMMANDS = (seed_demo_command,)
