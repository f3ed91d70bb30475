"""Applications (申报材料 bundles), their per-field answers and frozen submissions."""
from enum import StrEnum

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel, JSONField
from miniapp_backend.models.campaigns import Campaign, Round
from miniapp_backend.models.orgs import Org
from miniapp_backend.models.people import Person
from miniapp_backend.models.prepared import Prepared
from miniapp_backend.models.stations import Station


class AppStatus(StrEnum):
    """Where an application stands; SUBMITTED means somewhere in the review chain."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REJECTED = "rejected"


APP_STATUS_LABELS = {
    AppStatus.DRAFT: "草稿",
    AppStatus.SUBMITTED: "审核中",
    AppStatus.RETURNED: "退回整改",
    AppStatus.APPROVED: "已通过",
    AppStatus.REJECTED: "未通过",
}


class Application(BaseModel):
    """One bundle per subject (an org, or a station), kind, campaign and round."""

    campaign = ForeignKeyField(Campaign, backref="applications", on_delete="RESTRICT")
    round = ForeignKeyField(Round, backref="applications", on_delete="RESTRICT")
    kind = CharField(max_length=20)
    org = ForeignKeyField(Org, backref="applications", on_delete="RESTRICT")
    station = ForeignKeyField(Station, null=True, backref="applications", on_delete="RESTRICT")
    # "org:<id>" or "station:<id>": one unique key for either subject.
    subject_key = CharField(max_length=32)
    status = CharField(max_length=12, default=AppStatus.DRAFT)
    version = IntegerField(default=0)
    rectify_deadline = DateField(null=True)
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)  # moved by every answer written (migrations/0018)
    submitted_at = DateTimeField(null=True)
    decided_at = DateTimeField(null=True)
    paper_received_at = DateTimeField(null=True)
    # The amount actually granted after 验收合格 (the campaign's figure is only indicative).
    funding_yuan = IntegerField(null=True)

    class Meta:
        indexes = ((("round", "kind", "subject_key"), True),)

    @classmethod
    def with_parents(cls, application_id):
        """The application with its campaign, round and org loaded in the same query, or None."""
        return _APPLICATION_WITH_PARENTS.first(application_id)


class Answer(BaseModel):
    """One field or item of one part; its own revision, so only same-field edits conflict."""

    application = ForeignKeyField(Application, backref="answers", on_delete="CASCADE")
    key = CharField(max_length=120)  # "<form code>:<field key>" or "<form code>:item.<no>"
    value = JSONField(null=True)
    revision = IntegerField(default=1)
    channel = CharField(max_length=20, default="")
    updated_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("application", "key"), True),)

    @classmethod
    def for_key(cls, application_id, key):
        """The stored answer for `key`, or None."""
        return _ANSWER_FOR_KEY.first(application_id, key)

    @classmethod
    def for_two_keys(cls, application_id, key, other_key):
        """The stored answers for two keys (those that exist), in one query."""
        return _ANSWERS_FOR_TWO_KEYS.rows(application_id, key, other_key)

    @classmethod
    def add(cls, application_id, key, value, channel, person_id, at):
        """Store the first answer for `key` (revision 1); None if one exists already."""
        return _ADD_ANSWER.first(application_id, key, value, channel, person_id, at)

    @classmethod
    def replace_at_revision(cls, answer_id, revision, value, channel, person_id, at):
        """Overwrite the answer and move its revision on, only if it is still at `revision`;
        the stored answer, or None when it has moved on meanwhile."""
        return _REPLACE_ANSWER.first(answer_id, revision, value, channel, person_id, at)


_APPLICATION_WITH_PARENTS = Prepared(lambda application_id: (
    Application.select(Application, Campaign, Round, Org)
    .join_from(Application, Campaign).join_from(Application, Round).join_from(Application, Org)
    .where(Application.id == application_id).limit(1)))
_ANSWER_FOR_KEY = Prepared(lambda application_id, key: (
    Answer.select().where(Answer.application == application_id, Answer.key == key).limit(1)))
_ANSWERS_FOR_TWO_KEYS = Prepared(lambda application_id, key, other_key: (
    Answer.select().where(Answer.application == application_id, (Answer.key == key) | (Answer.key == other_key))))
# Both databases return the written row (RETURNING), so a write needs no read after it.
_ADD_ANSWER = Prepared(lambda application_id, key, value, channel, person_id, at: (
    Answer.insert(application=application_id.to(Answer.application), key=key.to(Answer.key),
                  value=value.to(Answer.value), revision=1, channel=channel.to(Answer.channel),
                  updated_by=person_id.to(Answer.updated_by), created_at=at.to(Answer.created_at),
                  updated_at=at.to(Answer.updated_at))
    .on_conflict_ignore().returning(*Answer._meta.sorted_fields)))
_REPLACE_ANSWER = Prepared(lambda answer_id, revision, value, channel, person_id, at: (
    Answer.update(revision=Answer.revision + 1, value=value.to(Answer.value),
                  channel=channel.to(Answer.channel), updated_by=person_id.to(Answer.updated_by),
                  updated_at=at.to(Answer.updated_at))
    .where(Answer.id == answer_id, Answer.revision == revision)
    .returning(*Answer._meta.sorted_fields)))


class Submission(BaseModel):
    """A frozen snapshot of an application at submit time; reviews and packets refer to it."""

    application = ForeignKeyField(Application, backref="submissions", on_delete="CASCADE")
    version = IntegerField()
    snapshot = JSONField()
    submitted_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")

    class Meta:
        indexes = ((("application", "version"), True),)


class StatusEvent(BaseModel):
    """The status history of an application."""

    application = ForeignKeyField(Application, backref="events", on_delete="CASCADE")
    from_status = CharField(max_length=12)
    to_status = CharField(max_length=12)
    actor = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    note = TextField(default="")
