"""Worker feedback left on station pages, summarised per station and per org for chairs and admins.

Reads the station pages' StationFeedback rows (station, topic, text, contact, ip_hash,
handled_at, created_at). Summaries count by topic as the pages stored it and show the latest
notes; contacts and address hashes stay out of them (the pages' own handling view has those).
"""
from dataclasses import dataclass, field

from peewee import fn

from miniapp_backend.models import Org, Station
from miniapp_backend.models.station_pages import StationFeedback
from miniapp_backend.services.permissions import administers, can_fill, require

RECENT = 5


@dataclass(frozen=True)
class FeedbackNote:
    """One note as a summary shows it."""

    at: object
    topic: str
    text: str
    handled: bool


@dataclass
class FeedbackSummary:
    """One station's feedback: counts, counts by topic, the latest notes."""

    station: Station
    total: int = 0
    unhandled: int = 0
    by_topic: dict = field(default_factory=dict)
    recent: list = field(default_factory=list)
    last_at: object = None


def _scope(stations, since):
    """Feedback of `stations` (a query or list), from `since` on when given."""
    query = StationFeedback.select().where(StationFeedback.station.in_(stations))
    return query.where(StationFeedback.created_at >= since) if since else query


def _count_into(summaries, stations, since):
    """Fill totals, unhandled and by-topic counts with one grouped query."""
    rows = (_scope(stations, since)
            .select(StationFeedback.station, StationFeedback.topic,
                    StationFeedback.handled_at.is_null().alias("is_open"),
                    fn.COUNT(StationFeedback.id).alias("n"), fn.MAX(StationFeedback.created_at).alias("last"))
            .group_by(StationFeedback.station, StationFeedback.topic, StationFeedback.handled_at.is_null())
            .dicts())
    for row in rows:
        summary = summaries[row["station"]]
        summary.total += row["n"]
        summary.unhandled += row["n"] if row["is_open"] else 0
        summary.by_topic[row["topic"]] = summary.by_topic.get(row["topic"], 0) + row["n"]
        last = StationFeedback.created_at.python_value(row["last"])
        summary.last_at = max(filter(None, (summary.last_at, last)), default=None)


def _recent_into(summaries, stations, since, recent):
    """Attach each station's latest `recent` notes with one windowed query."""
    rank = fn.ROW_NUMBER().over(partition_by=[StationFeedback.station],
                                order_by=[StationFeedback.created_at.desc(), StationFeedback.id.desc()])
    ranked = _scope(stations, since).select(StationFeedback, rank.alias("rank")).alias("ranked")
    latest = (StationFeedback.select(ranked.c.station_id, ranked.c.created_at, ranked.c.topic,
                                     ranked.c.text, ranked.c.handled_at)
              .from_(ranked).where(ranked.c.rank <= recent)
              .order_by(ranked.c.station_id, ranked.c.rank).dicts())
    for row in latest:
        summaries[row["station_id"]].recent.append(FeedbackNote(
            StationFeedback.created_at.python_value(row["created_at"]), row["topic"], row["text"],
            row["handled_at"] is not None))


def summarise(stations, since=None, recent=RECENT):
    """A FeedbackSummary per station, busiest unhandled first."""
    stations = list(stations)
    summaries = {s.id: FeedbackSummary(s) for s in stations}
    if stations:
        _count_into(summaries, stations, since)
        _recent_into(summaries, stations, since, recent)
    return sorted(summaries.values(), key=lambda s: (-s.unhandled, -s.total, s.station.id))


def feedback_summary(station, since=None, recent=RECENT):
    """The summary of one station's feedback."""
    return summarise([station], since, recent)[0]


def org_feedback(person, org, since=None, recent=RECENT):
    """Summaries for every station of `org` and the orgs below it (its chair, staff, or an admin)."""
    require(can_fill(person, org) or administers(person, org), "没有权限查看这些驿站的职工反馈")
    stations = Station.select().join(Org).where(Org.path.startswith(org.path)).order_by(Station.id)
    return summarise(stations, since, recent)


def totals(summaries):
    """Org-wide figures from station summaries: total, unhandled and by topic."""
    by_topic = {}
    for summary in summaries:
        for topic, count in summary.by_topic.items():
            by_topic[topic] = by_topic.get(topic, 0) + count
    return {"total": sum(s.total for s in summaries), "unhandled": sum(s.unhandled for s in summaries),
            "by_topic": by_topic}
