"""Form templates (验收单, 登记表) as frozen dataclasses: what a form asks, in its printed order."""
from dataclasses import dataclass
from fractions import Fraction


class FormDataError(ValueError):
    """A form file that cannot be read or does not follow the schema."""

    def __init__(self, path, place, problem):
        """Keep the file, the place inside it and the problem for the message."""
        self.path, self.place, self.problem = str(path), place, problem
        super().__init__(f"{self.path}: {place}: {problem}" if place else f"{self.path}: {problem}")


@dataclass(frozen=True)
class Field:
    """One answerable blank of a form; `columns` for rosters, `no` for numbered extra rows."""

    key: str
    label: str
    type: str
    required: bool = True
    hint: str = ""
    prefill: str | None = None
    max_len: int | None = None
    min: int | None = None
    max: int | None = None
    choices: tuple[str, ...] = ()
    max_chars: int | None = None
    columns: tuple["Field", ...] = ()
    min_rows: int | None = None
    max_rows: int | None = None
    unit: str = ""
    no: int | None = None
    past_only: bool = False  # a date that cannot lie after the day it is written


@dataclass(frozen=True)
class Item:
    """One numbered row (具体要求) of a checklist, answered 是/否."""

    no: int
    category: str
    text: str
    evidence_required: bool = True
    boxes: bool = True

    @property
    def key(self) -> str:
        """The answer key of this item."""
        return f"item.{self.no}"


@dataclass(frozen=True)
class Section:
    """A titled group of fields of a registration form; the title may be empty."""

    title: str
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class ApprovalBlock:
    """An opinion-and-stamp box: who fills it (levels) and whether on paper or in the app."""

    key: str
    label: str
    levels: tuple[str, ...]
    mode: str
    stamp: str


@dataclass(frozen=True)
class Rule:
    """A cross-field rule comparing `field` with `other` (optionally scaled by `fraction`)."""

    rule: str
    field: str
    other: str
    message: str
    fraction: Fraction | None = None


@dataclass(frozen=True)
class FormTemplate:
    """One form of one year, as printed in the notice."""

    code: str
    year: int
    kind: str
    attachment: str
    title: str
    cover: tuple[Field, ...]
    header: tuple[Field, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    extra: tuple[Field, ...]
    approvals: tuple[ApprovalBlock, ...]
    checks: tuple[Rule, ...]
    warnings: tuple[Rule, ...]
    note: str
    source_path: str

    def _section_fields(self) -> tuple[Field, ...]:
        """Every field of every section, in order."""
        return tuple(f for section in self.sections for f in section.fields)

    def fields(self) -> tuple[Field, ...]:
        """Every top-level field in document order: cover, header, sections, extra."""
        return self.cover + self.header + self._section_fields() + self.extra

    def field(self, key: str) -> Field:
        """The top-level field with this key; KeyError if there is none."""
        for f in self.fields():
            if f.key == key:
                return f
        raise KeyError(f"{self.code}: no field {key!r}")

    def item(self, no: int) -> Item:
        """The checklist item with this number; KeyError if there is none."""
        for item in self.items:
            if item.no == no:
                return item
        raise KeyError(f"{self.code}: no item {no!r}")

    def item_keys(self) -> tuple[str, ...]:
        """The answer keys of the items ("item.1", ...)."""
        return tuple(item.key for item in self.items)

    def answer_keys(self) -> tuple[str, ...]:
        """Field and item keys in document order (items sit between header and extra rows)."""
        leading = tuple(f.key for f in self.cover + self.header)
        trailing = tuple(f.key for f in self._section_fields() + self.extra)
        return leading + self.item_keys() + trailing

    def evidence_item_nos(self) -> tuple[int, ...]:
        """Numbers of the items that need a photo kept as evidence."""
        return tuple(item.no for item in self.items if item.evidence_required)


class FieldError(ValueError):
    """A value to correct; `message` says in Chinese what is wrong and what to send instead."""

    def __init__(self, message: str, key: str | None = None):
        """Keep the message and, when known, the key of the field it concerns."""
        super().__init__(message)
        self.message = message
        self.key = key
