"""The strict YAML loader, the catalog and the template accessors."""

import os
import textwrap
import time

import pytest

from miniapp_backend.forms import FormCatalog, FormDataError, FormTemplate, load_form

GOOD = """\
code: {code}
year: 2018
kind: checklist
attachment: "附件：9"
title: 测试验收单
header:
  - {{key: union_full_name, label: 工会名称（全称）, type: text, max_len: 100}}
  - {{key: member_count, label: 会员数, type: int, min: 0}}
  - {{key: present, label: 实到人数, type: int, min: 0}}
items:
  - {{no: 1, category: 组织机构, text: 第一项。}}
  - {{no: 2, category: 组织机构, text: 第二项。, boxes: false}}
extra:
  - {{no: 3, key: other_facilities, label: 其他配套设施设备或服务, type: longtext, max_chars: 500,
      required: false}}
approvals:
  - {{key: union_opinion, label: 意见, levels: [system], mode: digital, stamp: 加盖公章}}
checks:
  - {{rule: not_greater, field: present, than: member_count, message: 实到人数不能多于会员人数}}
"""


def write(tmp_path, text, code="sample", year="2018"):
    """Write a form file under tmp_path/<year>/<code>.yaml and return its path."""
    folder = tmp_path / year
    folder.mkdir(exist_ok=True)
    path = folder / f"{code}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def good(code="sample"):
    """A valid checklist file text for the given code."""
    return GOOD.format(code=code)


def broken(old, new, code="sample"):
    """The valid file text with one fragment replaced."""
    text = good(code)
    assert old in text
    return text.replace(old, new, 1)


def test_valid_file_loads_with_defaults(tmp_path):
    """Defaults: required, evidence and boxes true unless said; `no:` stays a key (not False)."""
    form = load_form(write(tmp_path, good()))
    assert isinstance(form, FormTemplate)
    assert form.item(1).boxes is True and form.item(2).boxes is False
    assert form.item(1).evidence_required is True
    assert form.field("union_full_name").required is True
    assert form.extra[0].no == 3
    assert form.item_keys() == ("item.1", "item.2")
    assert form.answer_keys() == ("union_full_name", "member_count", "present",
                                  "item.1", "item.2", "other_facilities")
    assert form.checks[0].other == "member_count"


def test_accessors_raise_for_unknown(tmp_path):
    """field() and item() raise KeyError for what the form does not have."""
    form = load_form(write(tmp_path, good()))
    with pytest.raises(KeyError):
        form.field("nope")
    with pytest.raises(KeyError):
        form.item(9)


def test_loading_is_cached(tmp_path):
    """The same unchanged file gives the same object."""
    path = write(tmp_path, good())
    assert load_form(path) is load_form(str(path))


@pytest.mark.parametrize("old, new, expected", [
    ("title: 测试验收单", "title: 测试验收单\ncolour: red", "unknown key 'colour'"),
    ("year: 2018", "year: \"2018\"", "year: expected int"),
    ("year: 2018", "year: 2019", "does not match the folder"),
    ("code: sample", "code: other", "must equal the file name stem"),
    ("{no: 2, category", "{no: 3, category", "non-consecutive item number 3"),
    ("{no: 2, category", "{no: 1, category", "duplicate item number 1"),
    ("type: longtext", "type: essay", "unknown field type 'essay'"),
    ("key: present, label: 实到人数, type: int", "key: member_count, label: 实到人数, type: int",
     "duplicate key 'member_count'"),
    ("type: int, min: 0}\n  - {key: present", "type: choice}\n  - {key: present",
     "type choice needs choices"),
    ("type: text, max_len: 100", "type: text, min: 1", "not allowed for type text"),
    ("{no: 3, key", "{no: 4, key", "expected 3 (after the items)"),
    ("levels: [system]", "levels: [county]", "levels"),
    ("mode: digital", "mode: fax", "expected 'paper' or 'digital'"),
    ("than: member_count", "than: union_full_name", "not a numeric field"),
    ("rule: not_greater", "rule: at_most", "unknown rule"),
    ("text: 第一项。", "text: 第一项。, text: 又一项。", "duplicate key 'text'"),
    ("kind: checklist", "kind: survey", "unknown kind"),
    ("text: 第一项。", "text: ''", "must not be empty"),
])
def test_schema_errors_name_file_and_place(tmp_path, old, new, expected):
    """Each schema violation raises FormDataError naming the file."""
    path = write(tmp_path, broken(old, new))
    with pytest.raises(FormDataError) as info:
        load_form(path)
    assert str(path) in str(info.value)
    assert expected in str(info.value)


def test_broken_yaml_names_file_and_line(tmp_path):
    """A syntax error is reported with the file and the line."""
    path = write(tmp_path, good() + "items: [unclosed\n")
    with pytest.raises(FormDataError) as info:
        load_form(path)
    assert info.value.path == str(path)
    assert "line" in info.value.place
    assert "invalid YAML" in str(info.value)


def test_roster_columns_are_fields(tmp_path):
    """A roster's columns are checked like fields, and nested rosters are refused."""
    roster = ("  - {key: chairs, label: 主席, type: roster, max_rows: 2, columns: "
              "[{key: name, label: 姓名, type: name}, "
              "{key: age, label: 年龄, type: int, min: 18, max: 100}]}\n")
    text = good().replace("items:\n", roster + "items:\n", 1)
    form = load_form(write(tmp_path, text))
    assert [c.key for c in form.field("chairs").columns] == ["name", "age"]
    nested = text.replace("type: name}", "type: roster, max_rows: 1, columns: []}").replace(
        "code: sample", "code: nested")
    with pytest.raises(FormDataError, match="a roster column cannot itself be a roster"):
        load_form(write(tmp_path, nested, code="nested"))


def test_catalog_over_a_root(tmp_path):
    """years(), for_year(), get() and check() over a custom root; check() lists the broken file."""
    write(tmp_path, good("alpha"), code="alpha")
    bad = write(tmp_path, broken("mode: digital", "mode: fax", code="beta"), code="beta")
    catalog = FormCatalog(root=tmp_path)
    assert catalog.years() == [2018]
    assert catalog.get(2018, "alpha").code == "alpha"
    problems = catalog.check()
    assert len(problems) == 1 and str(bad) in problems[0]
    with pytest.raises(KeyError):
        catalog.get(2018, "missing")
    with pytest.raises(KeyError):
        catalog.get(2018, "../2018/alpha")
    with pytest.raises(FormDataError):
        catalog.for_year(2018)


def test_package_catalog_years():
    """The package ships the 2018 forms."""
    catalog = FormCatalog()
    assert 2018 in catalog.years()
    assert catalog.get(2018, "model_home_checklist").title == "2018年示范职工之家验收单"


def test_an_edited_file_is_read_again(tmp_path, monkeypatch):
    """Edits are picked up once the modification time is looked at again."""
    from miniapp_backend.forms import catalog
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 3600)
    path = write(tmp_path, good())
    before = load_form(path)
    path.write_text(good().replace("title: 测试验收单", "title: 测试验收单（修订）"), encoding="utf-8")
    os.utime(path, ns=(time.time_ns(), time.time_ns() + 10**9))
    assert load_form(path) is before  # within the recheck interval the known version serves
    monkeypatch.setattr(catalog, "RECHECK_SECONDS", 0)
    assert load_form(path).title == "测试验收单（修订）"
