"""Command-line tools: `flask --app wsgi <command>`."""
import json

import click

from miniapp_backend.db import database


def register(app):
    """Attach every command to `app`."""
    app.cli.add_command(migrate_command)


@click.command("migrate")
def migrate_command():
    """Apply pending database migrations."""
    from miniapp_backend.migrate import apply_migrations
    applied = apply_migrations(database.obj)
    click.echo(json.dumps({"applied": applied}, ensure_ascii=False))
