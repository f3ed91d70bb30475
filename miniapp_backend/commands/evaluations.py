"""`evaluation …`: open, extend, inspect and close a 会员评家 round from the terminal.

Beside the mini-program (api/evaluations.py, where the chair runs it), an operator can run a round
for a unit here; the commands act as the org's chair (or, without one, its staff). Ballot codes
are printed once, into a CSV file to hand to the chair, who hands them out.
"""
import csv
import json
from pathlib import Path

from contextlib import contextmanager

import click
from flask import current_app
from flask.cli import AppGroup

from miniapp_backend.clock import format_deadline, format_local
from miniapp_backend.commands.common import CommandError, org_named, with_db
from miniapp_backend.models import Person, Role, RoleKind
from miniapp_backend.models.evaluations import Electorate, EvaluationRound, Voter
from miniapp_backend.services import ballots, evaluation_report, evaluation_roster, evaluations
from miniapp_backend.services.errors import DomainError
from miniapp_backend.storage import FileStore

CODES_HEADER = ("姓名", "联系方式", "投票码", "投票链接")


def _actor(org):
    """The org's chair, else a staff member: whom the command acts as."""
    for kind in (RoleKind.CHAIR, RoleKind.STAFF):
        person = (Person.select().join(Role).where(Role.org == org, Role.kind == kind)
                  .order_by(Role.id).first())
        if person is not None:
            return person
    raise CommandError(f"“{org.full_name}”还没有绑定工会主席或工作人员，请先用 invite 发邀请码")


def _round(round_id):
    """The round of that id, or a CommandError."""
    round_ = EvaluationRound.get_or_none(EvaluationRound.id == round_id)
    if round_ is None:
        raise CommandError(f"没有编号为 {round_id} 的会员评家，可用 evaluation rounds 查看")
    return round_


def _entries(roster, voters):
    """Roster entries from a file and/or --voter "姓名,联系方式" options."""
    entries = evaluation_roster.read_roster(roster.name, roster.read_bytes()) if roster else []
    typed = [tuple((v.replace("，", ",").split(",", 1) + [""])[:2]) for v in voters]
    entries += evaluation_roster.entered(typed) if typed else []
    if not entries:
        raise CommandError("请用 --roster 指定名单文件，或用 --voter 逐个填写投票人")
    return entries


@contextmanager
def _codes_file(out):
    """Claim `out` before any code exists (never overwrite), yield a writer; remove it on failure."""
    try:
        handle = out.open("x", newline="", encoding="utf-8-sig")  # BOM: Excel opens it as UTF-8
    except FileExistsError:
        raise CommandError(f"文件 {out} 已存在，为免覆盖已发放的投票码，请换一个文件名") from None
    base = current_app.config["ZGZJ"].public_base_url

    def write(issued):
        """Write the codes and say where."""
        writer = csv.writer(handle)
        writer.writerow(CODES_HEADER)
        writer.writerows((i.name, i.contact, i.scene, ballots.link_for(base, i.scene)) for i in issued)
        click.echo(f"{len(issued)} 个投票码已写入 {out}：投票码只显示这一次，请妥善分发给本人")
    try:
        with handle:
            yield write
    except BaseException:
        out.unlink(missing_ok=True)
        raise


def _call(func, *args, **kwargs):
    """Run a service call, turning its refusal into a CommandError."""
    try:
        return func(*args, **kwargs)
    except DomainError as exc:
        raise CommandError(exc.message) from None


evaluation_group = AppGroup("evaluation", help="会员评家（仅在命令行操作，以单位工会主席的名义）：开始、补充名单、查看和结束一轮会员评议职工之家。")


ROSTER = click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                      help="名单文件（.xlsx 或 .csv，第一行表头含“姓名”，可有“联系方式”或“部门”）")
VOTER = click.option("--voter", multiple=True, help="逐个填写投票人：“姓名,联系方式”，可重复")
OUT = click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path),
                   help="投票码写入的 CSV 文件")


@evaluation_group.command("open", help="为单位开始一轮会员评家，并把每人的投票码写入 CSV 文件。")
@click.argument("full_name")
@click.option("--closes", required=True, type=click.DateTime(["%Y-%m-%d"]), help="截止日期（含当天），如 2018-06-30")
@ROSTER
@VOTER
@OUT
@click.option("--standards", help="评家标准，用逗号分隔；默认：" + "、".join(evaluations.DEFAULT_STANDARDS))
@click.option("--representatives", is_flag=True, help="投票人为会员代表（默认为全体会员）")
@click.option("--title", help="评议名称，默认如“2018年度会员评议职工之家”")
@click.option("--motion", help="表决事项，默认按本单位正在填写的申报类别，如“您是否同意…申报区级先进职工之家？”")
@with_db
def open_command(full_name, closes, roster, voter, out, standards, representatives, title, motion):
    """Open a round and write its codes."""
    org = org_named(full_name)
    entries = _call(_entries, roster, voter)
    closes_at = _call(evaluations.closes_at_end_of, closes.date())
    parts = [s for s in (standards or "").replace("，", ",").replace("、", ",").split(",") if s.strip()]
    electorate = Electorate.REPRESENTATIVES if representatives else Electorate.MEMBERS
    with _codes_file(out) as write:
        round_, issued = _call(evaluations.open_round, _actor(org), org, entries, closes_at,
                               current_app.config["SECRET_KEY"], standards=parts or None, title=title,
                               motion=motion, electorate=electorate)
        click.echo(f"已开始：#{round_.id} {round_.title}，{len(issued)} 人，截止 {format_deadline(round_.closes_at)}")
        write(issued)


@evaluation_group.command("add", help="向进行中的一轮补充投票人，新投票码写入 CSV 文件。")
@click.argument("round_id", type=int)
@ROSTER
@VOTER
@OUT
@with_db
def add_command(round_id, roster, voter, out):
    """Add voters and write their codes."""
    round_ = _round(round_id)
    entries = _call(_entries, roster, voter)
    with _codes_file(out) as write:
        write(_call(evaluations.add_voters, _actor(round_.org), round_, entries, current_app.config["SECRET_KEY"]))


def _voter_named(round_, name, contact):
    """The roster entry of that name (and contact)."""
    voter = Voter.get_or_none(Voter.round == round_, Voter.name == name, Voter.contact == contact)
    if voter is None:
        raise CommandError(f"名单中没有“{name}”" + (f"（{contact}）" if contact else ""))
    return voter


@evaluation_group.command("reissue", help="为丢失投票码的人重新发放，旧投票码立即作废；新码写入 CSV 文件。")
@click.argument("round_id", type=int)
@click.argument("name")
@click.option("--contact", default="", help="同名时用联系方式区分")
@OUT
@with_db
def reissue_command(round_id, name, contact, out):
    """Replace one voter's code."""
    round_ = _round(round_id)
    voter = _voter_named(round_, name, contact)
    with _codes_file(out) as write:
        write([_call(evaluations.reissue_code, _actor(round_.org), round_, voter, current_app.config["SECRET_KEY"])])


@evaluation_group.command("remove", help="把误加的人移出名单（仅限尚未投票的人）。")
@click.argument("round_id", type=int)
@click.argument("name")
@click.option("--contact", default="", help="同名时用联系方式区分")
@with_db
def remove_command(round_id, name, contact):
    """Take one voter off the roster."""
    round_ = _round(round_id)
    _call(evaluations.remove_voter, _actor(round_.org), round_, _voter_named(round_, name, contact))
    click.echo(f"已将{name}移出名单")


@evaluation_group.command("rounds", help="列出会员评家（可指定单位全称）。")
@click.argument("full_name", required=False)
@with_db
def rounds_command(full_name):
    """One line per round."""
    query = EvaluationRound.select().order_by(EvaluationRound.id)
    if full_name:
        query = query.where(EvaluationRound.org == org_named(full_name))
    rounds = list(query)
    if not rounds:
        click.echo("还没有会员评家")
    for round_ in rounds:
        state = "进行中" if round_.accepting() else "已结束"
        click.echo(f"#{round_.id} {round_.org.full_name} · {round_.title} · {state} · 截止 {format_deadline(round_.closes_at)}")


def _summary_lines(result):
    """Turnout, and the count once the round has ended."""
    lines = [f"应到 {result.expected} 人，已投票 {result.present} 人"]
    if result.tally is None:
        return lines + ["投票进行中：结束后才显示计票结果"]
    t = result.tally
    rate = f"{t.satisfaction}%" if t.satisfaction is not None else "—"
    lines.append(f"实到 {t.present}，同意 {t.agreed}，群众满意率 {rate}")
    lines += [f"  {r.name}：均分 {r.average if r.average is not None else '—'}，满意率 "
              f"{r.satisfaction if r.satisfaction is not None else '—'}%" for r in t.standards]
    return lines


@evaluation_group.command("status", help="查看谁已投票（不显示投了什么）和汇总；--json 以 JSON 输出。")
@click.argument("round_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出")
@with_db
def status_command(round_id, as_json):
    """Who has voted, and the summary."""
    round_ = _round(round_id)
    actor = _actor(round_.org)
    voted = _call(evaluations.who_voted, actor, round_)
    result = _call(evaluations.summary, actor, round_)
    if as_json:
        rows = [{"name": v.name, "contact": v.contact, "voted_at": format_local(v.voted_at) or None}
                for v in voted]
        click.echo(json.dumps({"voters": rows, "summary": _summary_lines(result)}, ensure_ascii=False, indent=2))
        return
    for v in voted:
        at = format_local(v.voted_at) if v.voted_at else "未投票"
        click.echo(f"{v.name}{f'（{v.contact}）' if v.contact else ''}\t{at}")
    for line in _summary_lines(result):
        click.echo(line)


@evaluation_group.command("close", help="结束一轮评议：把计票结果填入申报表中尚未填写的审议情况（已填写的保留，与计票结果不一致时列出请核对），生成会员评家报告并附到申报材料。")
@click.argument("round_id", type=int)
@click.option("--yes", is_flag=True, help="不再询问，直接结束")
@with_db
def close_command(round_id, yes):
    """Close (if open) and deliver the results to the org's applications."""
    round_ = _round(round_id)
    expected, present = evaluations.turnouts([round_])[round_.id]
    notice = evaluations.close_notice(round_, expected, present)
    if notice and present and not yes:
        click.confirm(notice, abort=True)
    store = FileStore(current_app.config["ZGZJ"].storage_dir)
    results = _call(evaluation_report.finish_round, _actor(round_.org), round_, store)
    click.echo(f"#{round_.id} 已结束")
    for line in _summary_lines(evaluations.RoundSummary(results.round, False, results.tally.expected,
                                                        results.tally.present, results.tally)):
        click.echo(line)
    if not results.deliveries:
        click.echo("本单位没有可填写的申报：开始申报后再运行一次 evaluation close 即可填入")
    for delivery in results.deliveries:
        outcome = delivery.error or "已填入审议情况并附上会员评家报告"
        click.echo(f"申报 #{delivery.application.id}：{outcome}")
        for line in (delivery.prefill.mismatch_lines() if delivery.prefill else []):
            click.echo(f"  请核对：{line}")
        for warning in (delivery.prefill.warnings if delivery.prefill else []):
            click.echo(f"  提醒：{warning}")


COMMANDS = (evaluation_group,)
