"""What the commands share: one database connection per command, finding an org by full name."""
import functools

import click
from flask.cli import with_appcontext

from miniapp_backend.db import database
from miniapp_backend.models import Org

NEAR_NAMES = 5


class CommandError(click.ClickException):
    """A refusal shown as “错误：…” on stderr, exit status 1 (click's own prefix is English)."""

    def show(self, file=None):
        """Print the Chinese message."""
        click.echo(f"错误：{self.format_message()}", file=file, err=True)


def with_db(func):
    """Run the command inside the app context and one database connection, closed at the end."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        """The command, connected."""
        with database.connection_context():
            return func(*args, **kwargs)
    return with_appcontext(wrapper)


def org_named(full_name):
    """The org of that full name; a CommandError naming close matches when there is none."""
    name = full_name.strip()
    org = Org.get_or_none(Org.full_name == name)
    if org is not None:
        return org
    near = [o.full_name for o in Org.select().where(Org.full_name.contains(name))
            .order_by(Org.id).limit(NEAR_NAMES)] if name else []
    hint = f"名称相近的有：{'、'.join(near)}" if near else "可用 orgs 命令查看全部组织的全称"
    raise CommandError(f"找不到全称为“{name}”的组织。{hint}")


def refresh_nearby_index():
    """Rebuild the nearby-station index after bulk station changes (import, demo data)."""
    from flask import current_app
    from redis import RedisError

    from miniapp_backend.services import nearby
    try:
        nearby.rebuild(current_app.extensions["redis"])
    except RedisError as exc:
        click.echo(f"提示：Redis 暂不可用（{exc}），附近驿站索引将在系统启动后重建", err=True)
