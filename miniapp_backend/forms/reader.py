"""Reading one form file strictly: YAML 1.2 booleans, no duplicate keys, every key and value
checked against the schema, problems reported with the file and the place."""
import re
from fractions import Fraction
from pathlib import Path

import yaml

from miniapp_backend.forms.template import (
    ApprovalBlock, Field, FormDataError, FormTemplate, Item, Rule, Section)

FIELD_TYPES = frozenset({
    "text", "name", "int", "date", "phone", "email", "credit_code",
    "choice", "percent", "longtext", "roster",
})
# Options a field may carry besides the common ones, per type.
TYPE_OPTIONS = {
    "text": {"max_len"}, "name": set(), "int": {"min", "max"}, "date": {"past_only"},
    "phone": set(), "email": set(), "credit_code": set(), "choice": {"choices"},
    "percent": set(), "longtext": {"max_chars"},
    "roster": {"columns", "min_rows", "max_rows"},
}
TYPE_REQUIRES = {
    "choice": {"choices"}, "longtext": {"max_chars"}, "roster": {"columns", "max_rows"},
}
APPROVAL_LEVELS = frozenset({
    "unit_admin", "unit_party", "unit_party_admin", "base_union", "system", "district",
})
APPROVAL_MODES = frozenset({"paper", "digital"})
# Each rule names the key that holds its other field.
RULE_OTHER_KEY = {"not_greater": "than", "at_least_fraction": "of", "more_than_fraction": "of"}
NUMERIC_TYPES = frozenset({"int", "percent"})

KEY_RE = re.compile(r"[a-z][a-z0-9_]*")
_PREFILL_RE = re.compile(r"today|org\.[a-z][a-z0-9_]*")

_COMMON = {"key": str, "label": str, "type": str, "required": bool, "hint": str,
           "prefill": str, "unit": str}
_FIELD_KEYS = {**_COMMON, "max_len": int, "min": int, "max": int, "choices": list,
               "max_chars": int, "columns": list, "min_rows": int, "max_rows": int, "past_only": bool}
_ITEM_KEYS = {"no": int, "category": str, "text": str, "evidence_required": bool, "boxes": bool}
_SECTION_KEYS = {"title": str, "fields": list}
_APPROVAL_KEYS = {"key": str, "label": str, "levels": list, "mode": str, "stamp": str}
_RULE_KEYS = {"rule": str, "field": str, "than": str, "of": str, "fraction": str, "message": str}
_BASE_KEYS = {"code": str, "year": int, "kind": str, "attachment": str, "title": str,
              "approvals": list, "checks": list, "warnings": list, "note": str}
# Top-level keys per kind: (required, optional).
_KIND_KEYS = {
    "checklist": ({"header": list, "items": list}, {"extra": list}),
    "registration": ({"cover": list, "sections": list}, {}),
}
_BASE_REQUIRED = {"code", "year", "kind", "attachment", "title", "approvals"}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 booleans (so `no:` stays a key) that refuses duplicate keys."""

    def construct_mapping(self, node, deep=False):
        """Build a mapping, refusing a key given twice."""
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# PyYAML follows YAML 1.1, where yes/no/on/off are booleans; an item's `no:` would become False.
_BOOL_TAG = "tag:yaml.org,2002:bool"
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL_TAG]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    _BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class _Reader:
    """Turns the parsed YAML of one file into dataclasses, raising FormDataError with the place."""

    def __init__(self, path: Path):
        """Remember the file for error messages."""
        self.path = path
        self.field_keys: set[str] = set()

    def fail(self, place: str, problem: str):
        """Raise the error for a problem at a place of this file."""
        raise FormDataError(self.path, place, problem)

    def mapping(self, raw, place: str, allowed: dict, required) -> dict:
        """Check a mapping's keys and value types; return it."""
        if not isinstance(raw, dict):
            self.fail(place, "expected a mapping")
        for key, value in raw.items():
            if key not in allowed:
                self.fail(place, f"unknown key {key!r}")
            expected = allowed[key]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                got = type(value).__name__
                self.fail(f"{place}.{key}", f"expected {expected.__name__}, got {got}")
        missing = sorted(set(required) - set(raw))
        if missing:
            self.fail(place, f"missing key(s): {', '.join(missing)}")
        return raw

    def text(self, value: str, place: str) -> str:
        """A non-blank string."""
        if not value.strip():
            self.fail(place, "must not be empty")
        return value

    def key(self, value: str, place: str) -> str:
        """A snake_case key."""
        if not KEY_RE.fullmatch(value):
            self.fail(place, f"key {value!r} must be snake_case ([a-z][a-z0-9_]*)")
        return value

    def unique_key(self, value: str, place: str) -> str:
        """A snake_case key not used before in this form."""
        self.key(value, place)
        if value in self.field_keys:
            self.fail(place, f"duplicate key {value!r}")
        self.field_keys.add(value)
        return value

    def form(self, raw) -> FormTemplate:
        """The whole template."""
        if not isinstance(raw, dict) or "kind" not in raw:
            self.fail("top level", "expected a mapping with a 'kind'")
        kind = raw["kind"]
        if not isinstance(kind, str) or kind not in _KIND_KEYS:
            self.fail("kind", f"unknown kind {kind!r}; expected one of {sorted(_KIND_KEYS)}")
        needed, optional = _KIND_KEYS[kind]
        allowed = {**_BASE_KEYS, **needed, **optional}
        self.mapping(raw, "top level", allowed, _BASE_REQUIRED | set(needed))
        self.code_and_year(raw)
        cover = self.field_list(raw.get("cover", []), "cover")
        header = self.field_list(raw.get("header", []), "header")
        items = self.items(raw.get("items", []))
        sections = tuple(
            self.section(s, f"sections[{i}]") for i, s in enumerate(raw.get("sections", [])))
        extra = self.field_list(raw.get("extra", []), "extra", numbered_after=len(items))
        approvals = self.approvals(raw["approvals"])
        in_sections = tuple(f for s in sections for f in s.fields)
        numeric = {f.key for f in cover + header + in_sections + extra if f.type in NUMERIC_TYPES}
        return FormTemplate(
            code=raw["code"], year=raw["year"], kind=kind,
            attachment=self.text(raw["attachment"], "attachment"),
            title=self.text(raw["title"], "title"),
            cover=cover, header=header, sections=sections, items=items, extra=extra,
            approvals=approvals,
            checks=self.rules(raw.get("checks", []), "checks", numeric),
            warnings=self.rules(raw.get("warnings", []), "warnings", numeric),
            note=raw.get("note", ""), source_path=str(self.path))

    def code_and_year(self, raw: dict):
        """The code equals the file stem; the year equals a numeric parent folder."""
        self.key(raw["code"], "code")
        if raw["code"] != self.path.stem:
            self.fail("code", f"{raw['code']!r} must equal the file name stem {self.path.stem!r}")
        folder = self.path.parent.name
        if folder.isdigit() and raw["year"] != int(folder):
            self.fail("year", f"{raw['year']} does not match the folder {folder!r}")

    def field_list(self, raw: list, place: str,
                   numbered_after: int | None = None) -> tuple[Field, ...]:
        """A list of top-level fields; extra rows continue the item numbering."""
        fields = []
        for i, entry in enumerate(raw):
            where = f"{place}[{i}]"
            no = None
            if numbered_after is not None and isinstance(entry, dict) and "no" in entry:
                entry = dict(entry)
                no = entry.pop("no")
                expected = numbered_after + len(fields) + 1
                if no != expected or isinstance(no, bool):
                    self.fail(f"{where}.no", f"expected {expected} (after the items), got {no!r}")
            fields.append(self.field(entry, where, no=no))
        return tuple(fields)

    def field(self, raw, place: str, no: int | None = None, in_roster: bool = False) -> Field:
        """One field, with its type-specific options."""
        self.mapping(raw, place, _FIELD_KEYS, {"key", "label", "type"})
        ftype = raw["type"]
        if ftype not in FIELD_TYPES:
            self.fail(f"{place}.type",
                      f"unknown field type {ftype!r}; expected one of {sorted(FIELD_TYPES)}")
        if in_roster and ftype == "roster":
            self.fail(f"{place}.type", "a roster column cannot itself be a roster")
        extra_keys = set(raw) - set(_COMMON) - TYPE_OPTIONS[ftype]
        if extra_keys:
            self.fail(place, f"key(s) {', '.join(sorted(extra_keys))} not allowed for type {ftype}")
        missing = TYPE_REQUIRES.get(ftype, set()) - set(raw)
        if missing:
            self.fail(place, f"type {ftype} needs {', '.join(sorted(missing))}")
        if "prefill" in raw and not _PREFILL_RE.fullmatch(raw["prefill"]):
            self.fail(f"{place}.prefill", f"{raw['prefill']!r} must be 'today' or 'org.<attr>'")
        # Column keys only need to be unique within their roster (checked by columns()).
        check_key = self.key if in_roster else self.unique_key
        key = check_key(raw["key"], f"{place}.key")
        self.bounds(raw, place)
        return Field(
            key=key, label=self.text(raw["label"], f"{place}.label"), type=ftype,
            required=raw.get("required", True), hint=raw.get("hint", ""),
            prefill=raw.get("prefill"),
            max_len=raw.get("max_len"), min=raw.get("min"), max=raw.get("max"),
            choices=self.choices(raw.get("choices", []), f"{place}.choices"),
            max_chars=raw.get("max_chars"), columns=self.columns(raw.get("columns", []), place),
            min_rows=raw.get("min_rows"), max_rows=raw.get("max_rows"),
            unit=raw.get("unit", ""), no=no, past_only=raw.get("past_only", False))

    def bounds(self, raw: dict, place: str):
        """Limits must be positive where they are sizes and ordered where they are ranges."""
        for name in ("max_len", "max_chars", "max_rows"):
            if name in raw and raw[name] < 1:
                self.fail(f"{place}.{name}", "must be at least 1")
        if raw.get("min_rows", 0) < 0:
            self.fail(f"{place}.min_rows", "must not be negative")
        for low, high in (("min", "max"), ("min_rows", "max_rows")):
            if low in raw and high in raw and raw[low] > raw[high]:
                self.fail(place, f"{low} {raw[low]} is greater than {high} {raw[high]}")

    def choices(self, raw: list, place: str) -> tuple[str, ...]:
        """Distinct, non-blank option texts."""
        if any(not isinstance(c, str) or not c.strip() for c in raw):
            self.fail(place, "every choice must be a non-empty string")
        if len(set(raw)) != len(raw):
            self.fail(place, "duplicate choice")
        return tuple(raw)

    def columns(self, raw: list, place: str) -> tuple[Field, ...]:
        """The columns of a roster, with keys unique within it."""
        columns = tuple(
            self.field(c, f"{place}.columns[{i}]", in_roster=True) for i, c in enumerate(raw))
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            self.fail(f"{place}.columns", "duplicate column key")
        return columns

    def items(self, raw: list) -> tuple[Item, ...]:
        """Checklist items, numbered 1, 2, 3 ... without gaps or repeats."""
        items = []
        for i, entry in enumerate(raw):
            where = f"items[{i}]"
            self.mapping(entry, where, _ITEM_KEYS, {"no", "category", "text"})
            if entry["no"] != i + 1:
                seen = {it.no for it in items}
                problem = "duplicate" if entry["no"] in seen else "non-consecutive"
                self.fail(f"{where}.no", f"{problem} item number {entry['no']}; expected {i + 1}")
            items.append(Item(
                no=entry["no"], category=self.text(entry["category"], f"{where}.category"),
                text=self.text(entry["text"], f"{where}.text"),
                evidence_required=entry.get("evidence_required", True),
                boxes=entry.get("boxes", True)))
        return tuple(items)

    def section(self, raw, place: str) -> Section:
        """A section with at least one field; its title may be empty."""
        self.mapping(raw, place, _SECTION_KEYS, {"title", "fields"})
        if not raw["fields"]:
            self.fail(f"{place}.fields", "a section needs at least one field")
        return Section(title=raw["title"], fields=self.field_list(raw["fields"], f"{place}.fields"))

    def approvals(self, raw: list) -> tuple[ApprovalBlock, ...]:
        """Approval blocks with known levels and modes and keys unique in the form."""
        blocks = []
        for i, entry in enumerate(raw):
            where = f"approvals[{i}]"
            self.mapping(entry, where, _APPROVAL_KEYS, set(_APPROVAL_KEYS))
            unknown = [lv for lv in entry["levels"] if lv not in APPROVAL_LEVELS]
            if not entry["levels"] or unknown:
                known, got = sorted(APPROVAL_LEVELS), entry["levels"]
                self.fail(f"{where}.levels", f"expected levels from {known}, got {got!r}")
            if entry["mode"] not in APPROVAL_MODES:
                self.fail(f"{where}.mode", f"expected 'paper' or 'digital', got {entry['mode']!r}")
            blocks.append(ApprovalBlock(
                key=self.unique_key(entry["key"], f"{where}.key"),
                label=self.text(entry["label"], f"{where}.label"),
                levels=tuple(entry["levels"]), mode=entry["mode"], stamp=entry["stamp"]))
        return tuple(blocks)

    def rules(self, raw: list, place: str, numeric: set[str]) -> tuple[Rule, ...]:
        """Cross-field rules over numeric fields of this form."""
        return tuple(self.rule(entry, f"{place}[{i}]", numeric) for i, entry in enumerate(raw))

    def rule(self, raw, place: str, numeric: set[str]) -> Rule:
        """One rule: not_greater needs `than`; the fraction rules need `of` and `fraction`."""
        self.mapping(raw, place, _RULE_KEYS, {"rule", "field", "message"})
        other_key = RULE_OTHER_KEY.get(raw["rule"])
        if other_key is None:
            self.fail(f"{place}.rule",
                      f"unknown rule {raw['rule']!r}; expected one of {sorted(RULE_OTHER_KEY)}")
        wanted = {"rule", "field", "message", other_key}
        if other_key == "of":
            wanted.add("fraction")
        if set(raw) != wanted:
            self.fail(place, f"rule {raw['rule']} takes exactly: {', '.join(sorted(wanted))}")
        for name in ("field", other_key):
            if raw[name] not in numeric:
                self.fail(f"{place}.{name}", f"{raw[name]!r} is not a numeric field of this form")
        fraction = None
        if "fraction" in raw:
            fraction = self.fraction(raw["fraction"], f"{place}.fraction")
        return Rule(rule=raw["rule"], field=raw["field"], other=raw[other_key],
                    message=self.text(raw["message"], f"{place}.message"), fraction=fraction)

    def fraction(self, value: str, place: str) -> Fraction:
        """A fraction such as "2/3", between 0 and 1."""
        try:
            result = Fraction(value)
        except (ValueError, ZeroDivisionError):
            self.fail(place, f"{value!r} is not a fraction like \"2/3\"")
        if not 0 < result <= 1:
            self.fail(place, f"{value!r} must be above 0 and at most 1")
        return result


def _read_yaml(path: Path):
    """Parse one file, turning I/O and YAML errors into FormDataError."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDataError(path, "", f"cannot read the file: {exc}") from exc
    try:
        return yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        place = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "YAML"
        problem = getattr(exc, "problem", None) or str(exc)
        raise FormDataError(path, place, f"invalid YAML: {problem}") from exc


def read_form(path: Path) -> FormTemplate:
    """The form in one file, checked (FormDataError otherwise)."""
    return _Reader(path).form(_read_yaml(path))
