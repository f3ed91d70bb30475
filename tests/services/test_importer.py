"""XLSX import: a good workbook, parents after children, re-import, row errors, the template."""
import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from miniapp_backend.forms.credit_code import check_char
from miniapp_backend.forms.validation import FieldError
from miniapp_backend.models import (
    AuditLog, Honour, HonourKind, HonourStatus, InviteCode, Org, OrgKind, RoleKind, Station, StationStatus)
from miniapp_backend.services import import_sheets, importer, people
from tests.factories import person

BODY = "91110111MA01ABCD1"
GOOD_CODE = BODY + check_char(BODY)
BAD_CODE = BODY + ("0" if check_char(BODY) != "0" else "1")
DISTRICT, SYSTEM = "北京市房山区总工会", "房山区示例镇总工会"
UNIT, BRANCH = "北京示例精工有限公司工会委员会", "北京示例精工有限公司工会一车间分会"
# Deliberately not in template order: headers are matched by text.
ORG_HEADER = ["类型", "全称", "上级全称", "职工数", "会员数", "联系电话", "统一社会信用代码", "建会日期", "建家模式"]
STATION_HEADER = ["单位全称", "驿站名称", "地址", "纬度", "经度", "场所类型", "对外开放", "服务项目", "开放时间", "状态"]
STATION_ROW = [UNIT, "示例精工暖心驿站", "房山区良乡镇示例路1号", 39.7355, 116.1397, "园区", "否",
               "饮水、热饭、手机充电", "周一至周五 08:00-18:00；周六 9:00-12:00", "开放"]


def org_rows():
    """Children before parents, on purpose."""
    return [
        list(ORG_HEADER),
        ["工会分会", BRANCH, UNIT, None, 30, None, None, None, None],
        ["基层工会", UNIT, SYSTEM, 150, 140, "010-69312345", GOOD_CODE, dt.datetime(2017, 6, 1), "单独建家"],
        ["系统工会", SYSTEM, DISTRICT, None, None, None, None, None, None],
        ["区总工会", DISTRICT, None, None, None, None, None, None, None],
    ]


def good_sheets():
    """One row or more on every sheet, fresh lists each time (cases change cells in place)."""
    return {
        "组织": org_rows(),
        "主席": [["单位全称", "姓名", "联系电话"], [UNIT, "李娜", 13800138002]],
        "荣誉": [["单位全称", "荣誉称号", "年度", "授予日期", "状态"],
                 [UNIT, "合格职工之家", 2017, dt.datetime(2017, 12, 20), "有效"],
                 [BRANCH, "区级先进职工小家", 2016, None, "撤销"]],
        "驿站": [list(STATION_HEADER), list(STATION_ROW)],
    }


def write_book(path, sheets):
    """Save `sheets` ({name: rows, header first}) as an XLSX file; return its path."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def counts():
    """Rows that an import may write."""
    return (Org.select().count(), Honour.select().count(), Station.select().count(),
            InviteCode.select().count())


def test_good_workbook_writes_every_sheet_with_parents_resolved(db, tmp_path):
    result = importer.import_workbook(write_book(tmp_path / "good.xlsx", good_sheets()))
    assert result.ok, [str(e) for e in result.errors]
    assert result.created == {"组织": 4, "荣誉": 2, "驿站": 1}
    unit, branch = Org.get(full_name=UNIT), Org.get(full_name=BRANCH)
    assert branch.parent_id == unit.id and unit.parent.full_name == SYSTEM
    assert branch.path.startswith(unit.path) and unit.parent.parent.path == "/%d/" % unit.parent.parent.id
    assert (unit.kind, unit.credit_code, unit.founded_on) == (OrgKind.GRASSROOTS, GOOD_CODE, dt.date(2017, 6, 1))
    assert (unit.chair_name, unit.phone, unit.building_mode) == ("李娜", "13800138002", "单独")
    [(name, code)] = result.invites
    assert name == UNIT and InviteCode.get(code=code).role == RoleKind.CHAIR
    revoked = Honour.get(org=branch)
    assert (revoked.kind, revoked.status) == (HonourKind.DISTRICT_SMALL_HOME, HonourStatus.REVOKED)
    station = Station.get(name="示例精工暖心驿站")
    assert (station.public, station.status, station.services) == (False, StationStatus.ACTIVE, ["饮水", "热饭", "充电"])
    assert station.hours["fri"] == [["08:00", "18:00"]] and station.hours["sat"] == [["09:00", "12:00"]]
    assert station.hours["sun"] == []


def test_reimport_updates_in_place_and_reuses_the_chair_invite(db, tmp_path):
    first = importer.import_workbook(write_book(tmp_path / "a.xlsx", good_sheets()))
    sheets = good_sheets()
    sheets["组织"][2][3] = 160
    second = importer.import_workbook(write_book(tmp_path / "b.xlsx", sheets))
    assert second.ok and not second.created
    assert second.updated == {"组织": 4, "主席": 1, "荣誉": 2, "驿站": 1}
    assert Org.select().count() == 4 and Org.get(full_name=UNIT).employee_count == 160
    assert second.invites == first.invites


def test_reimport_updates_the_live_title_of_a_year_that_also_holds_a_revoked_one(db, tmp_path):
    importer.import_workbook(write_book(tmp_path / "a.xlsx", good_sheets()))
    unit = Org.get(full_name=UNIT)
    first = Honour.get(org=unit)
    first.status, first.revoked_reason = HonourStatus.REVOKED, "复查发现职工之家已停用"
    first.save()
    again = Honour.create(org=unit, kind=HonourKind.QUALIFIED_HOME, year=2017, status=HonourStatus.DECLARED,
                          congress_date=dt.date(2017, 11, 1))
    result = importer.import_workbook(write_book(tmp_path / "b.xlsx", good_sheets()))
    assert result.ok, [str(e) for e in result.errors]
    assert Honour.get_by_id(again.id).status == HonourStatus.ACTIVE
    assert Honour.get_by_id(first.id).revoked_reason == "复查发现职工之家已停用"


def test_imported_stations_are_audited_with_the_import_as_their_actor(db, tmp_path):
    """No person acts in `flask import`: the audit row has no actor, as for anything the system did."""
    importer.import_workbook(write_book(tmp_path / "a.xlsx", good_sheets()))
    station = Station.get(name="示例精工暖心驿站")
    created = AuditLog.get(AuditLog.object_type == "station", AuditLog.object_id == station.id)
    assert (created.action, created.actor_id) == ("station.create", None)
    assert created.detail["address"] == "房山区良乡镇示例路1号" and created.detail["status"] == "active"
    importer.import_workbook(write_book(tmp_path / "same.xlsx", good_sheets()))  # nothing changed: no row
    sheets = good_sheets()
    sheets["驿站"][1][2] = "房山区良乡镇示例路2号"
    importer.import_workbook(write_book(tmp_path / "b.xlsx", sheets))
    rows = AuditLog.select().where(AuditLog.object_type == "station").order_by(AuditLog.id)
    assert [(a.action, a.actor_id, a.detail) for a in rows][1:] == [
        ("station.change", None, {"address": {"from": "房山区良乡镇示例路1号", "to": "房山区良乡镇示例路2号"}})]


def test_a_bound_chair_gets_no_new_invite(db, tmp_path):
    importer.import_workbook(write_book(tmp_path / "a.xlsx", good_sheets()))
    people.grant_role(person("李娜"), Org.get(full_name=UNIT), RoleKind.CHAIR)
    result = importer.import_workbook(write_book(tmp_path / "b.xlsx", good_sheets()))
    assert result.ok and result.invites == [] and result.bound == [UNIT]


def test_parents_may_already_exist_in_the_database(world, tmp_path):
    rows = [ORG_HEADER, ["基层工会", "北京良乡新设示例有限公司工会委员会", world.system.full_name,
                         120, 100, "13800138009", None, None, None]]
    result = importer.import_workbook(write_book(tmp_path / "x.xlsx", {"组织": rows}))
    assert result.ok and result.created == {"组织": 1}
    assert Org.get(full_name="北京良乡新设示例有限公司工会委员会").parent_id == world.system.id


def replace_org_cell(row_index, column, value):
    """The org sheet with one cell changed (row_index counts the header as 0)."""
    def change(sheets):
        sheets["组织"][row_index][ORG_HEADER.index(column)] = value
    return change


def append_row(sheet, row):
    """A change that adds one row to `sheet`."""
    def change(sheets):
        sheets[sheet].append(row)
    return change


def change_station(column, value):
    """The station row with one cell changed."""
    def change(sheets):
        sheets["驿站"][1][STATION_HEADER.index(column)] = value
    return change


ROW_ERRORS = {
    "credit_code": (replace_org_cell(2, "统一社会信用代码", BAD_CODE), "组织 第3行：统一社会信用代码校验位不对"),
    "phone": (replace_org_cell(2, "联系电话", "12345"), "组织 第3行：联系电话格式不对"),
    "kind": (replace_org_cell(3, "类型", "总公司"), "组织 第4行：类型“总公司”不认识"),
    "members": (replace_org_cell(2, "会员数", 200), "组织 第3行：会员数（200）不应多于职工数（150）"),
    "date": (replace_org_cell(2, "建会日期", "2017-02-30"), "组织 第3行：建会日期：2017年2月30日不是有效日期"),
    "unknown_parent": (replace_org_cell(3, "上级全称", "不存在的区总工会"),
                       "组织 第4行：上级“不存在的区总工会”不在组织表中，也不在系统里"),
    "wrong_parent_kind": (replace_org_cell(1, "上级全称", SYSTEM), "组织 第2行：“北京示例精工有限公司工会一车间分会”是工会分会/车间，不能挂在系统工会之下"),
    "no_parent": (replace_org_cell(3, "上级全称", None), "组织 第4行：上级全称不能为空"),
    "cycle": (replace_org_cell(4, "上级全称", UNIT), "上级关系形成循环"),
    "duplicate": (append_row("组织", ["系统工会", SYSTEM, DISTRICT]), "组织 第6行：全称“房山区示例镇总工会”与第4行重复"),
    "chair_org": (append_row("主席", ["没有这个单位", "张三"]), "主席 第3行：单位“没有这个单位”不在组织表中，也不在系统里"),
    "chair_name": (append_row("主席", [BRANCH, "张3"]), "主席 第3行：姓名应为2到20个汉字或字母"),
    "honour_label": (append_row("荣誉", [UNIT, "优秀职工之家", 2017]), "荣誉 第4行：荣誉称号“优秀职工之家”不认识"),
    "honour_year": (append_row("荣誉", [UNIT, "合格职工之家", None]), "荣誉 第4行：年度不能为空"),
    "service": (change_station("服务项目", "饮水、按摩"), "驿站 第2行：服务项目中“按摩”不在服务清单中"),
    "hours": (change_station("开放时间", "工作时间"), "驿站 第2行：开放时间应写成"),
    "hours_order": (change_station("开放时间", "周一 18:00-08:00"), "驿站 第2行：周一的开始时间应早于结束时间"),
    "latitude": (change_station("纬度", "三十九"), "驿站 第2行：纬度应为数字"),
    "outside_district": (change_station("经度", 116.3975), "驿站 第2行：这个位置不在房山区范围内（收到纬度39.7355，经度116.3975）"),
    "public": (change_station("对外开放", "也许"), "驿站 第2行：对外开放请填“是”或“否”"),
    "missing_column": (lambda sheets: sheets["驿站"][0].__setitem__(2, "地点"), "驿站 第1行：不认识的列“地点”"),
}


@pytest.mark.parametrize("case", ROW_ERRORS)
def test_a_row_error_names_sheet_and_row_and_nothing_is_written(db, tmp_path, case):
    change, expected = ROW_ERRORS[case]
    sheets = good_sheets()
    change(sheets)
    result = importer.import_workbook(write_book(tmp_path / f"{case}.xlsx", sheets))
    assert not result.ok
    assert any(str(error).startswith(expected) or expected in str(error) for error in result.errors), \
        [str(e) for e in result.errors]
    assert counts() == (0, 0, 0, 0)
    assert not result.created and not result.updated and not result.invites


def test_an_error_in_an_update_leaves_the_earlier_import_untouched(db, tmp_path):
    importer.import_workbook(write_book(tmp_path / "a.xlsx", good_sheets()))
    before = counts()
    sheets = good_sheets()
    sheets["组织"][2][3] = 300
    sheets["组织"][1][0] = "基层工会"
    result = importer.import_workbook(write_book(tmp_path / "b.xlsx", sheets))
    assert [str(e) for e in result.errors] == ["组织 第2行：“北京示例精工有限公司工会一车间分会”在系统里是工会分会/车间，导入不能改变类型"]
    assert counts() == before and Org.get(full_name=UNIT).employee_count == 150


def test_errors_are_listed_in_sheet_order_without_repeats_for_dependent_rows(db, tmp_path):
    sheets = good_sheets()
    for case in ("service", "phone", "chair_org"):
        ROW_ERRORS[case][0](sheets)
    result = importer.import_workbook(write_book(tmp_path / "many.xlsx", sheets))
    # The station's bad service is its own error; the unit's bad phone is not repeated by the
    # branch, chair, honour and station rows that depend on the unit.
    assert [(e.sheet, e.row) for e in result.errors] == [("组织", 3), ("主席", 3), ("驿站", 2)]


def test_a_file_that_is_not_a_workbook_or_has_no_known_sheet(db, tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert "无法读取" in str(importer.import_workbook(text).errors[0])
    other = write_book(tmp_path / "other.xlsx", {"Sheet1": [["a"]]})
    assert "没有“组织”" in str(importer.import_workbook(other).errors[0])


def test_the_template_has_every_header_and_imports_as_empty(db, tmp_path):
    path = tmp_path / "template.xlsx"
    importer.write_template(path)
    book = load_workbook(path)
    assert book.sheetnames == ["组织", "主席", "荣誉", "驿站"]
    headers = [cell.value for cell in book["组织"][1]]
    assert headers[:3] == ["全称", "上级全称", "类型"] and "建家模式" in headers
    assert "统一社会信用代码" in headers and "职工之家电话" in headers
    result = importer.import_workbook(path)
    assert result.ok and not result.created and not result.updated


@pytest.mark.parametrize("text, expected", [
    ("24小时", {"always": True}),
    ("周一至周五 08:00-18:00", {"mon": [["08:00", "18:00"]], "fri": [["08:00", "18:00"]], "sat": []}),
    ("每天 6:30-9:00、17:00-20:00", {"sun": [["06:30", "09:00"], ["17:00", "20:00"]]}),
    ("星期六、星期日 09:00-12:00", {"fri": [], "sat": [["09:00", "12:00"]], "sun": [["09:00", "12:00"]]}),
    ("工作日 08:00～17:00；周末 10:00-16:00", {"tue": [["08:00", "17:00"]], "sun": [["10:00", "16:00"]]}),
    ("周一至周五 18:00-24:00；周六 全天", {"fri": [["18:00", "24:00"]], "sat": [["00:00", "24:00"]], "sun": []}),
    ("周日 0:00-24:00", {"sun": [["00:00", "24:00"]]}),
])
def test_hours_text(text, expected):
    hours = import_sheets.parse_hours_text(text)
    assert {key: hours.get(key) for key in expected} == expected


@pytest.mark.parametrize("text", ["周五至周一 08:00-18:00", "周一至周五", "周一至周五 08:00-18:00 午休",
                                  "周一 18:00-00:00", "周一 24:00-24:00", "周一至周五 08:00-18:00全天"])
def test_hours_text_refused(text):
    with pytest.raises(FieldError):
        import_sheets.parse_hours_text(text)
