"""`submissions` lists every application with its status and how far it is filled in."""
import json

import click

from miniapp_backend.commands.common import with_db
from miniapp_backend.models import APP_STATUS_LABELS, Application, AppStatus, Campaign, Org, Round
from miniapp_backend.services import campaigns
from miniapp_backend.services.progress import progress


def _describe(application):
    """The JSON-able facts of one application, with its progress counts."""
    done = progress(application)
    return {
        "id": application.id,
        "org": application.org.full_name,
        "station": application.station.name if application.station_id else None,
        "kind": application.kind,
        "campaign": application.campaign.year,
        "round": application.round.name,
        "status": application.status,
        "items_answered": done.items_answered,
        "items_total": done.items_total,
        "photos": done.photos,
    }


def _line(application, facts):
    """One readable line for an application."""
    label = campaigns.kind_spec(application.campaign, application.kind).label
    subject = facts["org"] + (f"（{facts['station']}）" if facts["station"] else "")
    return (f"#{facts['id']} {subject} · {label} · {facts['campaign']}年{facts['round']} · "
            f"{APP_STATUS_LABELS[AppStatus(facts['status'])]} · "
            f"验收项 {facts['items_answered']}/{facts['items_total']} · 照片 {facts['photos']} 张")


@click.command("submissions", help="列出全部申报：单位、类别、年度、批次、状态、已答验收项和照片数；--json 以 JSON 输出。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@with_db
def submissions_command(as_json):
    """Print every application, as JSON or one line each."""
    applications = list(Application.select(Application, Org, Campaign, Round)
                        .join(Org).switch(Application).join(Campaign)
                        .switch(Application).join(Round).order_by(Application.id))
    described = [(application, _describe(application)) for application in applications]
    if as_json:
        click.echo(json.dumps([facts for _, facts in described], ensure_ascii=False, indent=2))
        return
    if not described:
        click.echo("还没有任何申报")
    for application, facts in described:
        click.echo(_line(application, facts))


COMMANDS = (submissions_command,)
