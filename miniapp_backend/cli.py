"""Command-line tools: `flask --app wsgi <command>`; the commands live in miniapp_backend.commands."""
import json

import click

from bots import commands as bot_commands
from miniapp_backend.commands import data, imports, orgs, seed, submissions
from miniapp_backend.commands import admin as admin_commands
from miniapp_backend.commands import evaluations as evaluation_commands
from miniapp_backend.db import database

COMMAND_MODULES = (orgs, submissions, imports, seed, data, bot_commands, evaluation_commands, admin_commands)


def register(app):
    """Attach every command to `app`."""
    app.cli.add_command(migrate_command)
    for module in COMMAND_MODULES:
        for command in module.COMMANDS:
            app.cli.add_command(command)


@click.command("migrate", help="执行尚未执行的数据库迁移。")
def migrate_command():
    """Apply pending database migrations."""
    from miniapp_backend.migrate import apply_migrations
    applied = apply_migrations(database.obj)
    click.echo(json.dumps({"applied": applied}, ensure_ascii=False))
