"""Campaign data files → Campaign, Round and Target rows; reading a kind's rules back."""
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from miniapp_backend.db import database
from miniapp_backend.memo import IdentityMemo
from miniapp_backend.models import ApplicationKind, Campaign, Round, Target
from miniapp_backend.services.errors import NotFound, ValidationFailed

CAMPAIGNS_DIR = Path(__file__).resolve().parent.parent / "campaigns"
CHAIN_LEVELS = ("base_union", "unit_paper", "system", "district")


@dataclass(frozen=True)
class KindSpec:
    """What one application kind needs in one campaign, read from its data file."""

    kind: str
    label: str
    subject: str
    org_kinds: tuple
    parts: tuple
    chain: tuple
    materials: dict = field(default_factory=dict)
    requires_honour: str = ""
    awards_honour: str = ""
    min_employees: int = 0
    new_union_founded_since: dt.date | None = None
    target: int = 0
    funding_yuan: int = 0


def _spec(kind, raw):
    """A KindSpec from one `kinds:` entry, refusing unknown levels."""
    ApplicationKind(kind)
    chain = tuple(raw["chain"])
    unknown = [level for level in chain if level not in CHAIN_LEVELS]
    if unknown:
        raise ValidationFailed(f"{kind}: 未知的审核层级 {unknown}")
    since = raw.get("new_union_founded_since")
    return KindSpec(
        kind=kind, label=raw["label"], subject=raw.get("subject", "org"),
        org_kinds=tuple(raw["org_kinds"]), parts=tuple(raw["parts"]), chain=chain,
        materials=dict(raw.get("materials", {})), requires_honour=raw.get("requires_honour", ""),
        awards_honour=raw.get("awards_honour", ""), min_employees=raw.get("min_employees", 0),
        new_union_founded_since=dt.date.fromisoformat(str(since)) if since else None,
        target=raw.get("target", 0), funding_yuan=raw.get("funding_yuan", 0))


def _jsonable(raw):
    """The data file as JSON-storable values (dates become ISO text)."""
    if isinstance(raw, dict):
        return {k: _jsonable(v) for k, v in raw.items()}
    if isinstance(raw, list):
        return [_jsonable(v) for v in raw]
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return raw


def _check_rounds(kind, rounds):
    """Each round needs a unique name and dates in order; raise ValidationFailed otherwise."""
    names = [entry.get("name") for entry in rounds]
    if not rounds or not all(names) or len(set(names)) != len(names):
        raise ValidationFailed(f"{kind}: 每个申报批次须有不重复的名称")
    for entry in rounds:
        opens, closes = entry.get("opens_on"), entry.get("closes_on")
        if not isinstance(opens, dt.date) or not isinstance(closes, dt.date) or closes < opens:
            raise ValidationFailed(f"{kind} {entry['name']}: 起止日期缺失或先后颠倒")


def read_campaign_file(path):
    """Parse and check a campaign file; return its data as JSON-able dict."""
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    for kind, spec in raw["kinds"].items():
        _spec(kind, spec)
        _check_rounds(kind, spec.get("rounds") or [])
    return _jsonable(raw)


def load_campaign(path):
    """Create or update the campaign in `path` with its rounds and targets; return it."""
    data = read_campaign_file(path)
    with database.atomic():
        campaign = Campaign.get_or_none(Campaign.year == data["year"])
        if campaign is None:
            campaign = Campaign.create(year=data["year"], title=data["title"], data=data)
        else:
            campaign.title, campaign.data = data["title"], data
            campaign.save()
        for kind, spec in data["kinds"].items():
            _upsert_rounds(campaign, kind, spec["rounds"])
            if spec.get("target"):
                Target.insert(campaign=campaign, kind=kind, count=spec["target"],
                              funding_yuan=spec.get("funding_yuan", 0)).on_conflict(
                    conflict_target=[Target.campaign, Target.kind],
                    update={Target.count: spec["target"],
                            Target.funding_yuan: spec.get("funding_yuan", 0)}).execute()
    return campaign


def _upsert_rounds(campaign, kind, rounds):
    """Write each round of `kind`, keyed by its name."""
    for entry in rounds:
        values = {
            "opens_on": dt.date.fromisoformat(entry["opens_on"]),
            "closes_on": dt.date.fromisoformat(entry["closes_on"]),
            "acceptance_from": _date_or_none(entry.get("acceptance_from")),
            "acceptance_to": _date_or_none(entry.get("acceptance_to")),
        }
        existing = Round.get_or_none(campaign=campaign, kind=kind, name=entry["name"])
        if existing is None:
            Round.create(campaign=campaign, kind=kind, name=entry["name"], **values)
        else:
            Round.update(**values).where(Round.id == existing.id).execute()


def _date_or_none(value):
    """An ISO date or None."""
    return dt.date.fromisoformat(value) if value else None


def campaign_files():
    """The campaign files shipped in the package, oldest year first."""
    return sorted(CAMPAIGNS_DIR.glob("*.yaml"))


def load_all_campaigns():
    """Load every campaign file shipped in the package; return the campaigns."""
    return [load_campaign(path) for path in campaign_files()]


# Rows of one campaign share its parsed data (models.base.SharedJSONField), so its KindSpecs are
# worked out once per data object.
_SPECS = IdentityMemo(32)


def _specs(data):
    """Every KindSpec of a campaign's data, by kind in file order."""
    return _SPECS.get((data,), lambda: {kind: _spec(kind, raw) for kind, raw in data["kinds"].items()})


def kind_title(year, label):
    """“2018年区级先进职工之家”, as the notice titles its forms."""
    return f"{year}年{label}"


def kind_spec(campaign, kind):
    """The KindSpec of `kind` in `campaign`."""
    spec = _specs(campaign.data).get(kind)
    if spec is None:
        raise NotFound(f"{campaign.year}年度没有这类申报")
    return spec


def kind_specs(campaign):
    """Every kind of `campaign`, in file order."""
    return list(_specs(campaign.data).values())


def contact(campaign):
    """Who to ask about this campaign (for 帮助 texts)."""
    return campaign.data.get("contact", {})


def current_campaign(today):
    """The campaign of `today`'s year, else the latest loaded."""
    return (Campaign.get_or_none(Campaign.year == today.year)
            or Campaign.select().order_by(Campaign.year.desc()).first())
