"""`orgs` lists the org tree; `invite` issues invite codes for one org or every unit below it."""
import json
from collections import defaultdict

import click

from miniapp_backend.clock import format_local
from miniapp_backend.commands.common import CommandError, org_named, with_db
from miniapp_backend.db import database
from miniapp_backend.models import ROLE_LABELS, Org, RoleKind
from miniapp_backend.services import org_directory, people


def _tree_lines(children, parent_id, depth=0):
    """“全称（类型）#id” lines under `parent_id`, depth first, two spaces per level."""
    for org in children.get(parent_id, []):
        yield f"{'  ' * depth}{org.full_name}（{org.label}）#{org.id}"
        yield from _tree_lines(children, org.id, depth + 1)


@click.command("orgs", help="列出全部组织：默认为缩进的组织树，--json 输出 id、全称、类型和上级 id。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@with_db
def orgs_command(as_json):
    """Print every org as JSON or as an indented tree."""
    every = list(Org.select().order_by(Org.id))
    if as_json:
        rows = [{"id": o.id, "name": o.full_name, "kind": o.kind, "parent_id": o.parent_id} for o in every]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not every:
        click.echo("还没有任何组织，可用 import 导入或用 seed-demo 生成演示数据")
        return
    children = defaultdict(list)
    for org in every:
        children[org.parent_id].append(org)
    for line in _tree_lines(children, None):
        click.echo(line)


@click.command("invite", help="为组织生成一次性邀请码（最后一行是邀请码）；--subtree 为其下每个单位各生成一个，"
                              "每行“全称<TAB>邀请码”。")
@click.argument("full_name")
@click.option("--subtree", is_flag=True, help="为下属每个单位各生成一个邀请码")
@click.option("--role", type=click.Choice([RoleKind.CHAIR.value, RoleKind.STAFF.value]),
              default=RoleKind.CHAIR.value, show_default=True, help="绑定后的角色：chair 工会主席，staff 工会工作人员")
@with_db
def invite_command(full_name, subtree, role):
    """Print a fresh invite code on the last line, or one line per unit below the org."""
    org = org_named(full_name)
    if not subtree:
        chairs = [name for kind, name, _ in org_directory.bound_people([org]).get(org.id, []) if kind == RoleKind.CHAIR]
        if role == RoleKind.CHAIR and chairs:
            click.echo(f"注意：该单位已有工会主席绑定（{'、'.join(chairs)}），使用这个邀请码的人将成为又一位工会主席。",
                       err=True)
        invite = people.create_invite(org, role)
        click.echo(f"{org.full_name} · {ROLE_LABELS[RoleKind(role)]} · 有效期至 {format_local(invite.expires_at)}")
        click.echo(invite.code)
        return
    with database.atomic():
        invites, skipped = people.invite_subtree(org, role=role)
    if skipped:
        click.echo(f"已跳过{skipped}个已有工会主席绑定的单位。", err=True)
    if not invites:
        raise CommandError(f"“{org.full_name}”下没有需要发邀请码的单位")
    for invite in invites:
        click.echo(f"{invite.org.full_name}\t{invite.code}")


COMMANDS = (orgs_command, invite_command)
