"""The CLI through Flask's test runner: output shapes, the invite line, exit codes."""
import json
import re

import pytest
import yaml
from openpyxl import load_workbook

from miniapp_backend.models import ApplicationKind, InviteCode, Org, OrgKind, RoleKind
from miniapp_backend.services import campaigns, drafts, nearby, orgs
from tests.factories import IN_WINDOW, build_world, station_for
from tests.nearby_index import assert_index_matches_database
from tests.services.test_importer import UNIT, good_sheets, write_book

CODE_RE = re.compile(r"[2-9A-HJKMNP-Z]{8}")


@pytest.fixture
def run(app):
    """Invoke one command; return click's result."""
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=list(args))


def last_line(result):
    """The last line of a command's output."""
    return result.output.rstrip("\n").splitlines()[-1]


def test_orgs_json_lists_every_org_with_its_parent(run):
    world = build_world()
    result = run("orgs", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == Org.select().count()
    assert set(rows[0]) == {"id", "name", "kind", "parent_id"}
    by_name = {row["name"]: row for row in rows}
    assert by_name[world.district.full_name]["parent_id"] is None
    assert by_name[world.branch.full_name] == {
        "id": world.branch.id, "name": world.branch.full_name, "kind": "branch", "parent_id": world.unit.id}


def test_orgs_without_json_is_an_indented_tree(run):
    world = build_world()
    lines = run("orgs").output.splitlines()
    assert lines[0] == f"{world.district.full_name}（区总工会）#{world.district.id}"
    assert f"      {world.branch.full_name}（工会分会/车间）#{world.branch.id}" in lines


def test_invite_prints_a_fresh_code_on_its_last_line(run):
    world = build_world()
    result = run("invite", world.unit.full_name)
    assert result.exit_code == 0, result.output
    code = last_line(result)
    assert CODE_RE.fullmatch(code) and "已有工会主席绑定（王建国）" in result.stderr
    invite = InviteCode.get(code=code)
    assert (invite.org_id, invite.role, invite.used_at) == (world.unit.id, RoleKind.CHAIR, None)
    staff = InviteCode.get(code=last_line(run("invite", "--role", "staff", world.unit.full_name)))
    assert staff.role == RoleKind.STAFF and staff.code != code


def test_invite_subtree_prints_one_line_per_unit_without_a_chair(run):
    world = build_world()
    new_unit = orgs.create_org(world.system, OrgKind.GRASSROOTS, "北京良乡新建示例公司工会委员会")
    result = run("invite", "--subtree", world.system.full_name)
    assert result.exit_code == 0, result.output
    assert "已跳过2个已有工会主席绑定的单位" in result.stderr
    pairs = [line.split("\t") for line in result.stdout.splitlines()]
    assert {name for name, _ in pairs} == {new_unit.full_name}
    assert all(CODE_RE.fullmatch(code) for _, code in pairs)
    assert InviteCode.get(code=pairs[-1][1]).org.full_name == pairs[-1][0]


def test_unknown_org_names_are_refused_in_chinese(run):
    build_world()
    result = run("invite", "良乡")
    assert result.exit_code == 1
    assert "找不到全称为“良乡”的组织" in result.output and "房山区良乡镇总工会" in result.output
    assert InviteCode.select().count() == 0


def test_submissions_json_has_progress_per_application(run):
    world = build_world()
    application = drafts.start_or_resume(world.chair, world.unit, world.campaign,
                                         ApplicationKind.MODEL_HOME, today=IN_WINDOW)
    drafts.write_answer(application, world.chair, "model_home_checklist:item.1", {"done": False},
                        today=IN_WINDOW)
    drafts.start_or_resume(world.chair, world.unit, world.campaign, ApplicationKind.WARM_STATION,
                           station=station_for(world.unit), today=IN_WINDOW)
    result = run("submissions", "--json")
    assert result.exit_code == 0, result.output
    model, station = json.loads(result.output)
    assert model == {
        "id": application.id, "org": world.unit.full_name, "station": None, "kind": "model_home",
        "campaign": 2018, "round": "上半年", "status": "draft", "items_answered": 1,
        "items_total": 21, "photos": 0}
    assert station["station"] == "良乡示例暖心驿站" and station["items_total"] == 6
    assert "验收项 1/21" in run("submissions").output


def test_import_reports_counts_and_invites(run, tmp_path):
    result = run("import", str(write_book(tmp_path / "good.xlsx", good_sheets())))
    assert result.exit_code == 0, result.output
    assert "组织：新建 4，更新 0" in result.output and "驿站：新建 1，更新 0" in result.output
    name, code = last_line(result).split("\t")
    assert name == UNIT and InviteCode.get(code=code).org.full_name == UNIT


def test_import_with_row_errors_exits_1_and_writes_nothing(run, tmp_path):
    sheets = good_sheets()
    sheets["组织"][2][4] = 999
    result = run("import", str(write_book(tmp_path / "bad.xlsx", sheets)))
    assert result.exit_code == 1
    assert "没有写入任何数据" in result.output and "组织 第3行：会员数（999）不应多于职工数（150）" in result.output
    assert Org.select().count() == 0


def test_import_template_writes_the_headers_once(run, tmp_path):
    path = tmp_path / "模板.xlsx"
    assert run("import-template", str(path)).exit_code == 0
    assert load_workbook(path).sheetnames == ["组织", "主席", "荣誉", "驿站"]
    again = run("import-template", str(path))
    assert again.exit_code == 1 and "已存在" in again.output


def test_seed_demo_twice_prints_the_same_summary_and_a_code_last(run, redis_client):
    first, second = run("seed-demo"), run("seed-demo")
    assert first.exit_code == 0, first.output
    assert first.output == second.output
    assert CODE_RE.fullmatch(last_line(first))
    assert "demo-district-admin" in first.output and "组织 11 个" in first.output
    assert "/admin/login 用户名 demo-district 密码 " in first.output  # the same password both times
    assert redis_client.hlen(nearby.CARDS_KEY) == 3  # the demo's public, open stations
    assert_index_matches_database(redis_client)


def test_check_forms_passes_on_the_shipped_files(run):
    result = run("check-forms")
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_check_forms_lists_campaign_problems_and_exits_1(run, tmp_path, monkeypatch):
    data = yaml.safe_load((campaigns.CAMPAIGNS_DIR / "2018.yaml").read_text(encoding="utf-8"))
    data["kinds"]["model_home"]["parts"] = ["no_such_form"]
    data["kinds"]["small_home"]["chain"] = ["district", "somewhere"]
    (tmp_path / "2018.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    (tmp_path / "2019.yaml").write_text("year: [", encoding="utf-8")
    monkeypatch.setattr(campaigns, "CAMPAIGNS_DIR", tmp_path)
    result = run("check-forms")
    assert result.exit_code == 1
    assert "small_home: 未知的审核层级 ['somewhere']" in result.output
    assert "2019.yaml" in result.output


def test_check_forms_finds_a_missing_form(run, tmp_path, monkeypatch):
    data = yaml.safe_load((campaigns.CAMPAIGNS_DIR / "2018.yaml").read_text(encoding="utf-8"))
    data["kinds"]["model_home"]["parts"] = ["no_such_form"]
    (tmp_path / "2018.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(campaigns, "CAMPAIGNS_DIR", tmp_path)
    result = run("check-forms")
    assert result.exit_code == 1 and "model_home 的表单 no_such_form" in result.output


def test_load_campaign_loads_the_shipped_files_or_one_path(run, tmp_path):
    result = run("load-campaign")
    assert result.exit_code == 0, result.output
    assert "已载入 2018年度" in result.output
    one = run("load-campaign", str(campaigns.CAMPAIGNS_DIR / "2018.yaml"))
    assert one.exit_code == 0 and one.output == result.output
    broken = tmp_path / "broken.yaml"
    broken.write_text("year: 2019\ntitle: x\nkinds:\n  nonsense: {}\n", encoding="utf-8")
    refused = run("load-campaign", str(broken))
    assert refused.exit_code == 1 and "申报活动文件有误" in refused.output
