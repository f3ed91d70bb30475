"""A district-scale dataset for the admin benchmark, written with bulk inserts.

5,000 orgs (30 系统工会), 26,000 stations, 30,000 applications of every kind and status with
their answers, photos, review steps and status events.
"""
import datetime as dt
import random

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.forms import FormCatalog
from miniapp_backend.models import (
    Answer, Application, AppStatus, EvidenceLink, Org, OrgKind, ReviewStep, Round, StatusEvent,
    Station, StationStatus, StoredFile)
from miniapp_backend.services import campaigns

SYSTEMS, ORGS, STATIONS = 30, 5_000, 26_000
KIND_COUNTS = {"warm_station": 20_600, "district_home": 3_500, "new_union_home": 3_000,
               "model_home": 1_500, "small_home": 1_400}
STATUS_WEIGHTS = {AppStatus.DRAFT: 20, AppStatus.SUBMITTED: 35, AppStatus.RETURNED: 5,
                  AppStatus.APPROVED: 35, AppStatus.REJECTED: 5}
SQL_VARIABLES = 30_000  # SQLite allows 32,766 per statement
LINKED_ITEMS = 8  # photos on the first items of each checklist


def bulk(model, rows):
    """insert_many in chunks (SQLite caps the variables of one statement)."""
    size = max(1, SQL_VARIABLES // len(rows[0])) if rows else 1
    for start in range(0, len(rows), size):
        model.insert_many(rows[start:start + size]).execute()


def build_orgs(rng):
    """The tree: the district (id 1), 30 系统工会, 直属 and system units, 分会 under units."""
    now = utcnow()
    rows = [dict(id=1, kind=OrgKind.DISTRICT, full_name="北京市房山区总工会", path="/1/", created_at=now)]
    rows += [dict(id=i, parent=1, kind=OrgKind.SYSTEM, full_name=f"房山区第{i}系统工会", path=f"/1/{i}/",
                  created_at=now) for i in range(2, SYSTEMS + 2)]
    units = list(range(SYSTEMS + 2, 3_500 + SYSTEMS + 2))
    for org_id in units:
        parent = 1 if org_id % 20 == 0 else rng.randint(2, SYSTEMS + 1)
        path = f"/1/{org_id}/" if parent == 1 else f"/1/{parent}/{org_id}/"
        rows.append(dict(id=org_id, parent=parent, kind=OrgKind.GRASSROOTS, full_name=f"示例单位{org_id}工会委员会",
                         path=path, created_at=now, employee_count=rng.randint(20, 600),
                         founded_on=dt.date(rng.randint(1995, 2018), 1 + org_id % 12, 1)))
    by_id = {r["id"]: r for r in rows}
    for org_id in range(units[-1] + 1, ORGS + 1):
        parent = by_id[rng.choice(units)]
        rows.append(dict(id=org_id, parent=parent["id"], kind=OrgKind.BRANCH, full_name=f"示例分会{org_id}",
                         path=f"{parent['path']}{org_id}/", created_at=now))
    bulk(Org, rows)
    return units, list(range(units[-1] + 1, ORGS + 1))


def build_stations(rng, holders):
    """26,000 stations around 房山, most open."""
    now = utcnow()
    rows = [dict(id=i, org=rng.choice(holders), code=f"s{i:09d}", name=f"暖心驿站{i}", address=f"房山区示例路{i}号",
                 lat=39.6 + rng.random() * 0.2, lng=115.9 + rng.random() * 0.3, public=i % 7 != 0,
                 hours={}, services=[], status=StationStatus.ACTIVE if i % 5 else StationStatus.PLANNED,
                 updated_at=now, created_at=now) for i in range(1, STATIONS + 1)]
    bulk(Station, rows)


def _subjects(kind, units, branches, rounds, rng):
    """(org id, station id, round id) triples, unique per round as the schema demands."""
    count = KIND_COUNTS[kind]
    if kind == "warm_station":
        return [(None, station_id, rng.choice(rounds)) for station_id in range(1, count + 1)]
    pool = branches if kind == "small_home" else units
    pairs = [(org_id, round_id) for round_id in rounds for org_id in pool]
    return [(org_id, None, round_id) for org_id, round_id in rng.sample(pairs, count)]


def build_applications(rng, campaign, units, branches):
    """30,000 applications with statuses, versions and funding; return (id, kind, status, org id) rows."""
    rounds = {}
    for round_ in Round.select().where(Round.campaign == campaign):
        rounds.setdefault(round_.kind, []).append(round_.id)
    station_org = dict(Station.select(Station.id, Station.org).tuples())
    now, rows, made = utcnow(), [], []
    for kind in KIND_COUNTS:
        for org_id, station_id, round_id in _subjects(kind, units, branches, rounds[kind], rng):
            status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
            org_id = org_id or station_org[station_id]
            app_id = len(rows) + 1
            funded = status == AppStatus.APPROVED and app_id % 10 < 7
            rows.append(dict(id=app_id, campaign=campaign.id, round=round_id, kind=kind, org=org_id,
                             station=station_id, subject_key=f"station:{station_id}" if station_id else f"org:{org_id}",
                             status=status, version=0 if status == AppStatus.DRAFT else 1, created_at=now,
                             updated_at=now - dt.timedelta(minutes=app_id), submitted_at=None if status == AppStatus.DRAFT else now,
                             funding_yuan=2000 if funded else None))
            made.append((app_id, kind, status, org_id))
    bulk(Application, rows)
    return made


def build_details(campaign, made):
    """Answers, one photo per application (every 50th reused from the previous org), links, steps, events."""
    catalog, now = FormCatalog(), utcnow()
    parts = {spec.kind: [catalog.get(campaign.year, code) for code in spec.parts]
             for spec in campaigns.kind_specs(campaign)}
    bulk(StoredFile, [dict(id=app_id, sha256=f"{app_id:064x}", kind="photo", mime="image/jpeg", size=1,
                           created_at=now) for app_id, *_ in made])
    answers, links, steps, events = [], [], [], []
    for app_id, kind, status, org_id in made:
        photo = app_id - 1 if app_id % 50 == 0 else app_id
        for template in parts[kind]:
            for item in template.items:
                answers.append(dict(application=app_id, key=f"{template.code}:{item.key}",
                                    value={"done": True, "note": ""}, created_at=now, updated_at=now))
                if item.no <= LINKED_ITEMS:
                    links.append(dict(application=app_id, slot=f"{template.code}:{item.key}", file=photo, created_at=now))
        events.append(dict(application=app_id, from_status="", to_status=AppStatus.DRAFT, note="创建草稿", created_at=now))
        if status != AppStatus.DRAFT:
            steps += _steps(app_id, org_id, status, now)
    for model, rows in ((Answer, answers), (EvidenceLink, links), (ReviewStep, steps), (StatusEvent, events)):
        bulk(model, rows)


def _steps(app_id, org_id, status, now):
    """A 系统工会 step then a district step, in the state `status` implies."""
    decided = status in (AppStatus.APPROVED, AppStatus.REJECTED, AppStatus.RETURNED)
    first = {"status": "approved" if decided else "pending", "decided_at": now if decided else None}
    last = {AppStatus.APPROVED: "approved", AppStatus.REJECTED: "rejected", AppStatus.RETURNED: "returned"}.get(status, "waiting")
    common = dict(application=app_id, version=1, mode="digital", remarks={}, opinion="", created_at=now)
    return [dict(common, seq=1, level="system", label="系统工会意见", org=2 + org_id % SYSTEMS, **first),
            dict(common, seq=2, level="district", label="区总工会审批意见", org=1, status=last,
                 decided_at=now if last != "waiting" else None)]


def build(seed=7):
    """Write the whole dataset into the (empty, migrated) database; return the campaign."""
    rng = random.Random(seed)
    campaign = campaigns.load_all_campaigns()[-1]
    with database.atomic():
        units, branches = build_orgs(rng)
        build_stations(rng, units + branches)
        made = build_applications(rng, campaign, units, branches)
        build_details(campaign, made)
    return campaign
