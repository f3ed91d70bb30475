"""`check-forms` checks the shipped form and campaign files; `load-campaign` loads campaign files."""
from pathlib import Path

import click
import yaml

from miniapp_backend.commands.common import CommandError, with_db
from miniapp_backend.forms import FormCatalog, FormDataError
from miniapp_backend.models import Round
from miniapp_backend.services import campaigns
from miniapp_backend.services.errors import DomainError

# What a malformed campaign file raises while being read: bad YAML, missing keys, wrong shapes.
CAMPAIGN_ERRORS = (DomainError, yaml.YAMLError, OSError, KeyError, TypeError, ValueError, AttributeError)


def _explain(exc):
    """A campaign file error in words."""
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, KeyError):
        return f"缺少 {exc.args[0]}"
    return f"格式不对（{exc}）"


def _has_form(catalog, year, code):
    """Whether the catalog has form `code` for `year` (a broken file counts: check() lists it)."""
    try:
        catalog.get(year, code)
    except KeyError:
        return False
    except FormDataError:
        pass  # present but broken: check() reports it
    return True


def _campaign_problems(catalog, paths):
    """Problems of each campaign file, including parts that name a form the catalog lacks."""
    problems = []
    for path in paths:
        try:
            data = campaigns.read_campaign_file(path)
            year = int(data["year"])
        except CAMPAIGN_ERRORS as exc:
            problems.append(f"{path}: {_explain(exc)}")
            continue
        problems += [f"{path}: {kind} 的表单 {code} 在 {year} 年的表单中不存在"
                     for kind, spec in data["kinds"].items() for code in spec["parts"]
                     if not _has_form(catalog, year, code)]
    return problems


@click.command("check-forms", help="检查全部表单文件和申报活动文件；有问题时逐条列出并以状态 1 退出。")
def check_forms_command():
    """Check every form file and campaign file; exit 1 listing the problems."""
    catalog = FormCatalog()
    paths = sorted(campaigns.CAMPAIGNS_DIR.glob("*.yaml"))
    problems = catalog.check() + _campaign_problems(catalog, paths)
    if problems:
        click.echo(f"发现 {len(problems)} 个问题：", err=True)
        for problem in problems:
            click.echo(f"  {problem}", err=True)
        raise click.exceptions.Exit(1)
    forms = sum(len(catalog.for_year(year)) for year in catalog.years())
    click.echo(f"检查通过：表单文件 {forms} 个，申报活动文件 {len(paths)} 个")


@click.command("load-campaign", help="载入（或更新）申报活动文件；不给路径时载入随程序发布的全部活动文件。")
@click.argument("path", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_db
def load_campaign_command(path):
    """Load one campaign file, or every shipped one, and say what was loaded."""
    try:
        loaded = [campaigns.load_campaign(path)] if path else campaigns.load_all_campaigns()
    except CAMPAIGN_ERRORS as exc:
        raise CommandError(f"申报活动文件有误：{_explain(exc)}") from None
    if not loaded:
        click.echo(f"{campaigns.CAMPAIGNS_DIR} 下没有申报活动文件")
    for campaign in loaded:
        rounds = Round.select().where(Round.campaign == campaign).count()
        click.echo(f"已载入 {campaign.year}年度：{campaign.title}（{len(campaign.data['kinds'])} 类申报，{rounds} 个申报批次）")


COMMANDS = (check_forms_command, load_campaign_command)
