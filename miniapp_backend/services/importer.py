"""Bulk import from one XLSX workbook (组织, 主席, 荣誉, 驿站), all or nothing.

The workbook is read and checked first (services/import_sheets); only a workbook without errors
is written, in one transaction.
"""
from collections import Counter
from dataclasses import dataclass, field

from miniapp_backend.db import database
from miniapp_backend.models import ENDED, Honour, HonourStatus, InviteCode, Org, OrgKind, Role, RoleKind, Station
from miniapp_backend.services import people, station_changes
from miniapp_backend.services import orgs as org_tree
from miniapp_backend.services.errors import DomainError, ValidationFailed
from miniapp_backend.services.import_sheets import (
    CHAIRS, HONOURS, IMPORT_NOTE, ORG_FACTS, ORGS, SHEETS, STATION_FIELDS, STATIONS,
    RowError, read_workbook, write_template)

# The template and sheet names are part of this module's interface for the CLI and the admin web.
__all__ = ["ImportResult", "import_workbook", "write_template", "SHEETS", "CHAIRS", "STATIONS"]


@dataclass
class ImportResult:
    """What an import did: counts per sheet, the chairs' invite codes, and every error."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    invites: list = field(default_factory=list)  # (org full name, code) for chairs still to bind
    bound: list = field(default_factory=list)  # org full names whose chair has bound already
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        """True when nothing went wrong (and so everything was written)."""
        return not self.errors

    def forget_writes(self):
        """Clear counts and codes after a rollback: none of it exists any more."""
        self.created.clear()
        self.updated.clear()
        self.invites.clear()
        self.bound.clear()


class _Undo(Exception):
    """Raised inside the transaction to roll back an import that found errors."""


@dataclass
class _Run:
    """One import while it writes: the result, org rows by name, orgs settled, names that failed."""

    result: ImportResult
    created_by: object
    rows: dict
    failed: set
    orgs: dict = field(default_factory=dict)

    def fail(self, row, message, name=None):
        """Record a row error (and a failed org name); return None for the caller to pass on."""
        self.result.errors.append(RowError(row.sheet, row.number, message))
        if name:
            self.failed.add(name)

    def org_named(self, row, name):
        """The org a chair, honour or station row names; None when absent or failed.

        A row naming a failed org adds no error of its own: the org's row already has one.
        """
        if name in self.failed:
            return None
        org = self.orgs.get(name) or Org.get_or_none(Org.full_name == name)
        if org is None:
            self.fail(row, f"单位“{name}”不在组织表中，也不在系统里")
        return org


def _settle(run, name, trail=()):
    """The org called `name`, written first (after its parent) when the sheet has it."""
    if name in run.orgs or name in run.failed:
        return run.orgs.get(name)
    row = run.rows.get(name)
    if row is None:
        return Org.get_or_none(Org.full_name == name)
    if name in trail:
        loop = " → ".join(trail[trail.index(name):] + (name,))
        return run.fail(row, f"上级关系形成循环：{loop}", name)
    parent_name = row.values.get("parent")
    parent = _settle(run, parent_name, trail + (name,)) if parent_name else None
    if name in run.failed:
        return None
    if parent_name in run.failed:
        # The parent's row reports the problem; its children would only repeat it.
        run.failed.add(name)
        return None
    if parent_name and parent is None:
        return run.fail(row, f"上级“{parent_name}”不在组织表中，也不在系统里", name)
    try:
        run.orgs[name] = _upsert_org(run.result, row.values, parent)
    except DomainError as exc:
        return run.fail(row, exc.message, name)
    return run.orgs[name]


def _upsert_org(result, values, parent):
    """Create the org under `parent`, or update the one of that name (which must stay in place)."""
    facts = {key: values[key] for key in ORG_FACTS if values.get(key) is not None}
    kind, name = values["kind"], values["full_name"]
    existing = Org.get_or_none(Org.full_name == name)
    if existing is None:
        if parent is None and kind != OrgKind.DISTRICT:
            raise ValidationFailed("上级全称不能为空（只有区总工会没有上级）")
        result.created[ORGS] += 1
        return org_tree.create_org(parent, kind, name, **facts)
    if existing.kind != kind:
        raise ValidationFailed(f"“{name}”在系统里是{existing.label}，导入不能改变类型")
    if parent is not None and existing.parent_id != parent.id:
        raise ValidationFailed(f"“{name}”在系统里的上级不是“{parent.full_name}”，导入不能移动组织")
    for key, value in facts.items():
        setattr(existing, key, value)
    existing.save()
    result.updated[ORGS] += 1
    return existing


def _chair_invite(org, created_by):
    """An outstanding chair invite of `org`, else a fresh one (re-imports reuse codes)."""
    invite = (InviteCode.outstanding().where(InviteCode.org == org, InviteCode.role == RoleKind.CHAIR)
              .order_by(InviteCode.id.desc()).first())
    return invite or people.create_invite(org, RoleKind.CHAIR, created_by=created_by, batch="import")


def _write_chair(run, row):
    """Record the chair's name and phone on the org; an invite code unless a chair has bound."""
    org = run.org_named(row, row.values["org"])
    if org is None:
        return
    changes = {"chair_name": row.values["name"]}
    if row.values.get("phone"):
        changes["phone"] = row.values["phone"]
    Org.update(**changes).where(Org.id == org.id).execute()
    run.result.updated[CHAIRS] += 1
    if Role.select().where(Role.org == org, Role.kind == RoleKind.CHAIR).exists():
        run.result.bound.append(org.full_name)
    else:
        run.result.invites.append((org.full_name, _chair_invite(org, run.created_by).code))


def _write_honour(run, row):
    """Create or update a past honour; history is recorded as it was, without today's prerequisites."""
    values = row.values
    org = run.org_named(row, values["org"])
    if org is None:
        return
    status = values.get("status") or HonourStatus.ACTIVE
    changes = {"status": status, "revoked_reason": IMPORT_NOTE if status == HonourStatus.REVOKED else ""}
    if values.get("awarded_on"):
        changes["awarded_on"] = values["awarded_on"]
    # A year may hold a revoked title (or a refused declaration) beside the one declared again after
    # it: the live one is updated.
    honour = (Honour.select().where(Honour.org == org, Honour.kind == values["kind"], Honour.year == values["year"])
              .order_by(Honour.status.in_(ENDED), Honour.id.desc()).first())
    if honour is None:
        Honour.create(org=org, kind=values["kind"], year=values["year"], **changes)
        run.result.created[HONOURS] += 1
    else:
        Honour.update(**changes).where(Honour.id == honour.id).execute()
        run.result.updated[HONOURS] += 1


def _write_station(run, row):
    """Create the station, or update the org's station of the same name."""
    org = run.org_named(row, row.values["org"])
    if org is None:
        return
    values = {key: row.values[key] for key in STATION_FIELDS if row.values.get(key) is not None}
    existing = Station.get_or_none(org=org, name=values["name"])
    try:
        if existing is None:
            station_changes.register_station(org, run.created_by, **values)
            run.result.created[STATIONS] += 1
        else:
            station_changes.record_change(existing, run.created_by, **values)
            run.result.updated[STATIONS] += 1
    except DomainError as exc:
        run.fail(row, exc.message)


def _write_all(sheets, result, created_by):
    """Write every good row: orgs (parents first), then chairs, honours and stations."""
    org_rows = sheets.get(ORGS, [])
    run = _Run(result, created_by, rows={r.values["full_name"]: r for r in org_rows if r.ok},
               failed={r.values["full_name"] for r in org_rows if not r.ok and r.values.get("full_name")})
    for name in list(run.rows):
        _settle(run, name)
    for sheet, write in ((CHAIRS, _write_chair), (HONOURS, _write_honour), (STATIONS, _write_station)):
        for row in sheets.get(sheet, []):
            if row.ok:
                write(run, row)


def import_workbook(path, created_by=None):
    """Import the workbook at `path`: every row, or — when any row has an error — none at all."""
    result = ImportResult()
    sheets = read_workbook(path, result.errors)
    if sheets is None:
        return result
    try:
        with database.atomic():
            _write_all(sheets, result, created_by)
            if result.errors:
                raise _Undo
    except _Undo:
        result.forget_writes()
    result.errors.sort(key=lambda e: (list(SHEETS).index(e.sheet) if e.sheet else -1, e.row))
    return result
