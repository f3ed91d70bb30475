"""`create-admin`: a sign-in account for the admin web, for a new person with a role on an org."""
import click

from miniapp_backend.commands.common import CommandError, org_named, with_db
from miniapp_backend.models import ROLE_LABELS, RoleKind
from miniapp_backend.services import admin_accounts
from miniapp_backend.services.errors import DomainError

ROLE_CHOICES = [kind.value for kind in admin_accounts.ROLE_ORG_KINDS]


@click.command("create-admin", help="创建管理后台账号：为组织设置一位管理员（区总工会管理员、系统工会管理员或基层工会主席）。"
                                    "密码不在命令行中给出时会提示输入。")
@click.argument("full_name")
@click.option("--role", type=click.Choice(ROLE_CHOICES), default=RoleKind.DISTRICT_ADMIN.value,
              show_default=True, help="district_admin 区总工会管理员，system_admin 系统工会管理员，chair 基层工会主席")
@click.option("--name", required=True, help="姓名")
@click.option("--username", required=True, help="登录用户名（3到40位字母、数字或 _ . -）")
@click.option("--password", prompt="密码", hide_input=True, confirmation_prompt="再次输入密码",
              help="至少10位")
@with_db
def create_admin_command(full_name, role, name, username, password):
    """Create the person, role and account; print the username on the last line."""
    org = org_named(full_name)
    try:
        account = admin_accounts.create_admin(org, role, name, username, password)
    except DomainError as exc:
        raise CommandError(exc.message) from None
    click.echo(f"{org.full_name} · {ROLE_LABELS[RoleKind(role)]} · {name}")
    click.echo(account.username)


COMMANDS = (create_admin_command,)
