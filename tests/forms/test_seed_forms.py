"""The 2018 form files against the seed notice they were transcribed from."""

import os
import re
from pathlib import Path

import pytest

from miniapp_backend.forms import FormCatalog
from miniapp_backend.forms.validation import FieldError, parse_field

# The repository's parent holds shared/ (locally and in CI); SEED_PATH overrides.
DEFAULT_SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "000_4cfdfbdc4ffa3d04.txt"
SEED_PATH = Path(os.environ.get("SEED_PATH") or DEFAULT_SEED)

CHECKLISTS = {
    "model_home_checklist": ("附件：1", "2018年示范职工之家验收单", 21),
    "new_union_home_checklist": ("附件：2", "2018年百人以上新建会企业职工之家验收单", 16),
    "warm_station_checklist": ("附件：3", "2018年职工暖心驿站验收单", 6),
    "district_home_checklist": ("附件：4", "2018年区级先进年职工之家验收单", 14),
}
REGISTRATIONS = {
    "district_home_registration": ("附件：5-1", "房山区先进职工之家登记表"),
    "small_home_registration": ("附件5-2", "房山区先进职工小家登记表"),
}
# One checklist row of the seed: number, category cell (maybe empty or line-broken), text, boxes.
ROW_RE = re.compile(r"\n\t(\d+)\n\t((?:[^\t]|\n(?!\t))*?)\n\t([^\n]*)\n\t(是[^\n]*)")


def squash(text: str) -> str:
    """Text without any whitespace, for comparing labels laid out with spaces and line breaks."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def seed() -> str:
    """The seed notice's text."""
    assert SEED_PATH.is_file(), f"seed notice not found at {SEED_PATH} (set SEED_PATH)"
    return SEED_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def forms():
    """The 2018 templates by code."""
    return FormCatalog().for_year(2018)


def block(seed: str, start: str) -> str:
    """The seed's text from an attachment's heading up to the next attachment."""
    begin = seed.index(start)
    end = seed.find("\n附件", begin + len(start))
    return seed[begin:] if end < 0 else seed[begin:end]


def checklist_block(seed: str, code: str) -> str:
    """The seed's text of one checklist attachment."""
    attachment, title, _ = CHECKLISTS[code]
    return block(seed, f"{attachment}\n{title}")


def assert_in_order(haystack: str, needles: list[str]):
    """Each needle occurs in the haystack after the previous one."""
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        assert found >= 0, f"{needle!r} not found after position {pos}"
        pos = found + len(needle)


def test_catalog_has_exactly_the_six_forms_and_no_problems(forms):
    """The 2018 folder holds the six attachments and every file passes the strict loader."""
    assert set(forms) == set(CHECKLISTS) | set(REGISTRATIONS)
    assert FormCatalog().check() == []


@pytest.mark.parametrize("code", sorted(CHECKLISTS))
def test_checklist_heading(forms, code):
    """Attachment number and title as printed, the odd 附件4 title included."""
    attachment, title, count = CHECKLISTS[code]
    form = forms[code]
    assert (form.kind, form.year) == ("checklist", 2018)
    assert (form.attachment, form.title) == (attachment, title)
    assert len(form.items) == count
    assert [item.no for item in form.items] == list(range(1, count + 1))


@pytest.mark.parametrize("code", sorted(CHECKLISTS))
def test_items_verbatim_with_filled_down_categories(seed, forms, code):
    """Every row of the seed table matches an item: text, category (filled down) and boxes."""
    rows = ROW_RE.findall(checklist_block(seed, code))
    items = forms[code].items
    assert len(rows) == len(items)
    category = None
    for (no, cell, text, boxes), item in zip(rows, items):
        category = squash(cell) or category
        assert (int(no), category, text) == (item.no, item.category, item.text)
        assert item.text in seed
        assert item.boxes == ("□" in boxes)


@pytest.mark.parametrize("code", sorted(CHECKLISTS))
def test_header_extra_note_and_evidence(seed, forms, code):
    """Header labels in seed order, the numbered free-text row, the 备注, evidence on every item."""
    form = forms[code]
    text = squash(checklist_block(seed, code))
    assert [f.key for f in form.header] == [
        "union_full_name", "chair_name", "employee_count", "phone", "member_count"]
    assert_in_order(text, [f.label for f in form.header])
    (extra,) = form.extra
    assert (extra.label, extra.type, extra.required) == ("其他配套设施设备或服务", "longtext", False)
    assert extra.no == len(form.items) + 1
    assert f"\n\t{extra.no}\n\t其他配套设施设备或服务\n" in checklist_block(seed, code)
    assert form.note == "备注：以上验收标准需有图片资料留存本级备查。" and form.note in text
    assert form.evidence_item_nos() == tuple(range(1, len(form.items) + 1))
    assert all(item.evidence_required for item in form.items)


def test_checklist_categories_as_written(forms):
    """Category names keep each attachment's own wording."""
    def categories(code):
        """The distinct categories of a checklist, in order."""
        return list(dict.fromkeys(item.category for item in forms[code].items))
    assert categories("model_home_checklist") == [
        "组织机构", "制作悬挂标识", "服务设备配备", "人员配备", "完善制度机制", "职工服务工作", "经费保障运行"]
    assert categories("new_union_home_checklist")[-1] == "经费运行保障"
    assert categories("warm_station_checklist") == [
        "活动场所建设", "服务设备设施", "服务职工工作", "经费运行保障制度"]
    assert categories("district_home_checklist")[-1] == "经费运行保障"
    assert [i.category for i in forms["model_home_checklist"].items[1:3]] == ["组织机构", "组织机构"]
    assert {i.category for i in forms["model_home_checklist"].items[15:20]} == {"职工服务工作"}


def test_district_checklist_quirks(forms):
    """附件4 item 10 ends with an ASCII full stop and item 11 has no boxes; all others have boxes."""
    form = forms["district_home_checklist"]
    assert form.item(10).text.endswith("定期发布服务项目、活动信息和宣传职工之家工作.")
    assert form.item(11).boxes is False
    others = [item for code in CHECKLISTS for item in forms[code].items
              if not (code == "district_home_checklist" and item.no == 11)]
    assert all(item.boxes for item in others)


def test_checklist_approvals(forms):
    """One digital, stamped opinion block; 附件4's is the system unions' alone."""
    for code in ("model_home_checklist", "new_union_home_checklist", "warm_station_checklist"):
        (block_,) = forms[code].approvals
        assert (block_.label, block_.levels, block_.mode, block_.stamp) == (
            "区总工会，局，集团、公司工会意见", ("system", "district"), "digital", "加盖公章")
    (block_,) = forms["district_home_checklist"].approvals
    assert block_.label == "燕山总工会，各乡镇、街道总工会，开发区，委，局，公司及直属工会意见"
    assert block_.levels == ("system",)


@pytest.mark.parametrize("code", sorted(REGISTRATIONS))
def test_registration_labels_follow_the_seed(seed, forms, code):
    """Heading, cover, section titles, fields, roster columns and approvals in seed order."""
    attachment, title = REGISTRATIONS[code]
    form = forms[code]
    assert (form.kind, form.attachment, form.title) == ("registration", attachment, title)
    text = squash(block(seed, attachment))
    labels = [title] + [f.label for f in form.cover]
    for section in form.sections:
        # A roster's label repeats its section's title; look for that text once.
        if section.title and section.title != section.fields[0].label:
            labels.append(section.title)
        for field in section.fields:
            labels += [field.label] + [c.label for c in field.columns]
    labels += [a.label for a in form.approvals]
    assert_in_order(text, labels)


def test_district_registration_fields(forms):
    """5-1: field keys in order, 3-row roster in the seed's column order, 800-character deeds."""
    form = forms["district_home_registration"]
    assert [f.key for f in form.cover] == ["system_union_name", "applicant_full_name", "filled_on"]
    assert [s.title for s in form.sections] == [
        "", "工会组织基本情况", "职工之家建设基本情况", "工会正副主席情况", "主要事迹", "会员代表大会审议情况"]
    chairs = form.field("chairs")
    assert (chairs.type, chairs.min_rows, chairs.max_rows) == ("roster", 1, 3)
    assert [c.label for c in chairs.columns] == ["姓名", "性别", "年龄", "政治面貌", "职务", "专兼职情况"]
    assert form.field("chair_rank_matched").choices == ("是", "否")
    assert form.field("qualified_home_since").type == "date"
    assert form.field("satisfaction").type == "percent"
    assert [f.prefill for f in form.cover] == ["org.system_union_name", "org.full_name", "today"]


def test_small_registration_fields(forms):
    """5-2: a 2-row roster with 职务 before 政治面貌, and 会员人数 twice under distinct keys."""
    form = forms["small_home_registration"]
    assert [f.label for f in form.cover] == ["乡镇、街道、委局、公司", "企（事）业单位", "申报单位全称", "填表日期"]
    chairs = form.field("chairs")
    assert (chairs.min_rows, chairs.max_rows) == (1, 2)
    assert [c.label for c in chairs.columns] == ["姓名", "性别", "年龄", "职务", "政治面貌", "兼职情况"]
    assert form.field("member_count").label == form.field("member_total").label == "会员人数"
    assert form.field("qualified_small_home_since").prefill == "org.qualified_small_home_since"
    assert form.field("honors").required is False


@pytest.mark.parametrize("code", sorted(REGISTRATIONS))
def test_main_deeds_limit(forms, code):
    """主要事迹文字要求在800字以内 on both registration forms."""
    deeds = forms[code].field("main_deeds")
    assert (deeds.type, deeds.max_chars, deeds.required) == ("longtext", 800, True)
    assert deeds.hint == "限800字以内"


def test_registration_approvals_in_order(forms):
    """Approval blocks in the seed's order, paper for the unit's own stamps, digital above."""
    def blocks(code):
        """(label, levels, mode) of each approval block of a form."""
        return [(a.label, a.levels, a.mode) for a in forms[code].approvals]
    assert blocks("district_home_registration") == [
        ("同级行政意见", ("unit_admin",), "paper"),
        ("同级党委意见", ("unit_party",), "paper"),
        ("乡镇街道委局公司工会意见", ("system",), "digital"),
        ("区总工会审批意见", ("district",), "digital"),
    ]
    assert blocks("small_home_registration") == [
        ("基层工会委员会意见", ("base_union",), "digital"),
        ("同级党政意见", ("unit_party_admin",), "paper"),
        ("乡镇街道委局公司工会意见", ("system",), "digital"),
        ("区总工会审批意见", ("district",), "digital"),
    ]


def test_registration_rules(forms):
    """The meeting counts are checked against each other; 5-2 counts against 会员人数; more members
    than workers is flagged."""
    def pairs(rules):
        """(rule, field, other, fraction) of each rule."""
        return [(r.rule, r.field, r.other, str(r.fraction) if r.fraction else None) for r in rules]
    district, small = forms["district_home_registration"], forms["small_home_registration"]
    assert pairs(district.checks) == [("not_greater", "present", "expected", None),
                                      ("not_greater", "agreed", "present", None)]
    assert pairs(district.warnings) == [("at_least_fraction", "present", "expected", "2/3"),
                                        ("more_than_fraction", "agreed", "present", "1/2"),
                                        ("not_greater", "member_count", "employee_count", None)]
    assert pairs(small.checks)[0] == ("not_greater", "present", "member_total", None)
    assert pairs(small.warnings)[0] == ("at_least_fraction", "present", "member_total", "2/3")


@pytest.mark.parametrize("code, key", [("district_home_registration", "expected"),
                                       ("small_home_registration", "member_total")])
def test_a_meeting_expects_at_least_one_person(forms, code, key):
    """0 expected at the meeting makes the 2/3 quorum meaningless: refused, saying what to send."""
    field = forms[code].field(key)
    for refused in (0, "0人", "零", -3):
        with pytest.raises(FieldError) as error:
            parse_field(field, refused)
        assert error.value.message.startswith(f"{field.label}至少为1人，不能为")
        assert error.value.message.endswith(f"：请填写实际的{field.label}，如 60")
    assert parse_field(field, 1) == 1
