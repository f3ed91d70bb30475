"""`import` reads an XLSX workbook into the database (all or nothing); `import-template` writes a blank one."""
from pathlib import Path

import click

from miniapp_backend.commands.common import CommandError, refresh_nearby_index, with_db
from miniapp_backend.services import importer

BIND_HINT = "请把邀请码发给各单位工会主席，在公众号回复“绑定 邀请码”完成绑定："


def _report_lines(result):
    """The readable report of a successful import."""
    counts = {sheet: f"新建 {result.created[sheet]}，更新 {result.updated[sheet]}"
              for sheet in (importer.ORGS, importer.HONOURS, importer.STATIONS)}
    counts[importer.CHAIRS] = f"登记 {result.updated[importer.CHAIRS]}"
    lines = ["导入完成："] + [f"  {sheet}：{counts[sheet]}" for sheet in importer.SHEETS]
    if result.invites:
        lines += [BIND_HINT] + [f"{name}\t{code}" for name, code in result.invites]
    if result.bound:
        lines += ["已有主席绑定、未发邀请码的单位：" + "、".join(result.bound)]
    return lines


@click.command("import", help="从 Excel 工作簿（组织、主席、荣誉、驿站四张表）导入；有任何错误时不写入任何数据。")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_db
def import_command(path):
    """Import the workbook; list the errors and exit 1 when any row is wrong."""
    result = importer.import_workbook(path)
    if not result.ok:
        click.echo(f"导入失败：发现 {len(result.errors)} 处错误，没有写入任何数据。请改正后重新导入：", err=True)
        for error in result.errors:
            click.echo(f"  {error}", err=True)
        raise click.exceptions.Exit(1)
    refresh_nearby_index()
    for line in _report_lines(result):
        click.echo(line)


@click.command("import-template", help="生成空白的导入模板（.xlsx），列名上的批注说明填写要求。")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def import_template_command(path):
    """Write the blank import workbook, refusing to overwrite a file."""
    if path.exists():
        raise CommandError(f"文件 {path} 已存在，为免覆盖已填写的内容，请换一个文件名")
    importer.write_template(path)
    click.echo(f"导入模板已写入 {path}：{'、'.join(importer.SHEETS)} 四张表")


COMMANDS = (import_command, import_template_command)
