"""Initial schema: a frozen copy of the models as of the foundation release."""
from peewee import *


def up(migrator, db):
    """Create every table of the first release."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Org(Base):
        created_at = DateTimeField()
        parent = ForeignKeyField('self', backref='+', on_delete='RESTRICT', null=True)
        kind = CharField(max_length=16)
        category = CharField(max_length=32)
        full_name = CharField(max_length=100, unique=True)
        path = CharField(max_length=255, index=True)
        credit_code = CharField(max_length=18, null=True)
        nature = CharField(max_length=32)
        founded_on = DateField(null=True)
        employee_count = IntegerField(null=True)
        member_count = IntegerField(null=True)
        chair_name = CharField(max_length=40)
        phone = CharField(max_length=40)
        home_phone = CharField(max_length=40)
        email = CharField(max_length=120)
        building_mode = CharField(max_length=8)
        committee_size = IntegerField(null=True)
        fulltime_cadres = IntegerField(null=True)

    class Person(Base):
        created_at = DateTimeField()
        name = CharField(max_length=40)
        phone = CharField(max_length=40)

    class Identity(Base):
        created_at = DateTimeField()
        person = ForeignKeyField(Person, backref='+', on_delete='CASCADE')
        channel = CharField(max_length=20)
        openid = CharField(max_length=64)
        unionid = CharField(max_length=64, null=True, index=True)

        class Meta:
            indexes = [(('channel', 'openid'), True)]

    class Role(Base):
        created_at = DateTimeField()
        person = ForeignKeyField(Person, backref='+', on_delete='CASCADE')
        org = ForeignKeyField(Org, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=20)

        class Meta:
            indexes = [(('person', 'org', 'kind'), True)]

    class InviteCode(Base):
        created_at = DateTimeField()
        code = CharField(max_length=16, unique=True)
        org = ForeignKeyField(Org, backref='+', on_delete='CASCADE')
        role = CharField(max_length=20)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)
        used_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        created_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        batch = CharField(max_length=32)

    class LinkCode(Base):
        created_at = DateTimeField()
        code = CharField(max_length=16, unique=True)
        person = ForeignKeyField(Person, backref='+', on_delete='CASCADE')
        from_channel = CharField(max_length=20)
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)

    class Campaign(Base):
        created_at = DateTimeField()
        year = IntegerField(unique=True)
        title = CharField(max_length=200)
        data = TextField()

    class Round(Base):
        created_at = DateTimeField()
        campaign = ForeignKeyField(Campaign, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=20)
        name = CharField(max_length=40)
        opens_on = DateField()
        closes_on = DateField()
        acceptance_from = DateField(null=True)
        acceptance_to = DateField(null=True)

        class Meta:
            indexes = [(('campaign', 'kind', 'name'), True)]

    class Target(Base):
        created_at = DateTimeField()
        campaign = ForeignKeyField(Campaign, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=20)
        count = IntegerField()
        funding_yuan = IntegerField()

        class Meta:
            indexes = [(('campaign', 'kind'), True)]

    class Station(Base):
        created_at = DateTimeField()
        org = ForeignKeyField(Org, backref='+', on_delete='RESTRICT')
        kind = CharField(max_length=20)
        code = CharField(max_length=16, unique=True)
        name = CharField(max_length=100)
        address = CharField(max_length=200)
        lat = FloatField()
        lng = FloatField()
        place_type = CharField(max_length=20)
        public = BooleanField()
        hours = TextField()
        services = TextField()
        status = CharField(max_length=12)
        phone = CharField(max_length=40)
        moved_to = ForeignKeyField('self', backref='+', on_delete='SET NULL', null=True)
        updated_at = DateTimeField()

    class Application(Base):
        created_at = DateTimeField()
        campaign = ForeignKeyField(Campaign, backref='+', on_delete='RESTRICT')
        round = ForeignKeyField(Round, backref='+', on_delete='RESTRICT')
        kind = CharField(max_length=20)
        org = ForeignKeyField(Org, backref='+', on_delete='RESTRICT')
        station = ForeignKeyField(Station, backref='+', on_delete='RESTRICT', null=True)
        subject_key = CharField(max_length=32)
        status = CharField(max_length=12)
        version = IntegerField()
        rectify_deadline = DateField(null=True)
        created_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        updated_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        decided_at = DateTimeField(null=True)
        paper_received_at = DateTimeField(null=True)
        funding_yuan = IntegerField(null=True)

        class Meta:
            indexes = [(('round', 'kind', 'subject_key'), True)]

    class Answer(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        key = CharField(max_length=120)
        value = TextField(null=True)
        revision = IntegerField()
        channel = CharField(max_length=20)
        updated_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        updated_at = DateTimeField()

        class Meta:
            indexes = [(('application', 'key'), True)]

    class Submission(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        version = IntegerField()
        snapshot = TextField()
        submitted_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

        class Meta:
            indexes = [(('application', 'version'), True)]

    class StatusEvent(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        from_status = CharField(max_length=12)
        to_status = CharField(max_length=12)
        actor = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        note = TextField()

    class StoredFile(Base):
        created_at = DateTimeField()
        sha256 = CharField(max_length=64, unique=True)
        kind = CharField(max_length=8)
        mime = CharField(max_length=40)
        size = IntegerField()
        width = IntegerField(null=True)
        height = IntegerField(null=True)
        taken_at = DateTimeField(null=True)
        gps_lat = FloatField(null=True)
        gps_lng = FloatField(null=True)
        uploaded_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

    class EvidenceLink(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        slot = CharField(max_length=120)
        file = ForeignKeyField(StoredFile, backref='+', on_delete='RESTRICT')
        added_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

        class Meta:
            indexes = [(('application', 'slot', 'file'), True)]

    class ReviewStep(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        version = IntegerField()
        seq = IntegerField()
        level = CharField(max_length=20)
        mode = CharField(max_length=8)
        label = CharField(max_length=100)
        org = ForeignKeyField(Org, backref='+', on_delete='SET NULL', null=True)
        status = CharField(max_length=10)
        reviewer = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        opinion = TextField()
        remarks = TextField()
        rectify_deadline = DateField(null=True)
        decided_at = DateTimeField(null=True)

        class Meta:
            indexes = [(('application', 'version', 'seq'), True)]

    class AuditLog(Base):
        created_at = DateTimeField()
        actor = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        action = CharField(max_length=40)
        object_type = CharField(max_length=30)
        object_id = IntegerField()
        detail = TextField()

    class Honour(Base):
        created_at = DateTimeField()
        org = ForeignKeyField(Org, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=24)
        year = IntegerField()
        status = CharField(max_length=10)
        awarded_on = DateField(null=True)
        congress_date = DateField(null=True)
        minutes_file = ForeignKeyField(StoredFile, backref='+', on_delete='SET NULL', null=True)
        application = ForeignKeyField(Application, backref='+', on_delete='SET NULL', null=True)
        verified_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        verified_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        revoked_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        revoked_reason = TextField()

        class Meta:
            indexes = [(('org', 'kind', 'year'), True)]

    class Reinspection(Base):
        created_at = DateTimeField()
        honour = ForeignKeyField(Honour, backref='+', on_delete='CASCADE')
        inspected_on = DateField()
        inspector = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        kept = CharField(max_length=8)
        findings = TextField()

    class ChannelState(Base):
        created_at = DateTimeField()
        identity = ForeignKeyField(Identity, backref='+', on_delete='CASCADE', unique=True)
        last_inbound_at = DateTimeField(null=True)
        window_sent = IntegerField()
        unsubscribed_at = DateTimeField(null=True)

    class SubscribeGrant(Base):
        created_at = DateTimeField()
        identity = ForeignKeyField(Identity, backref='+', on_delete='CASCADE')
        template_id = CharField(max_length=64)
        granted = IntegerField()
        used = IntegerField()

        class Meta:
            indexes = [(('identity', 'template_id'), True)]

    class Notice(Base):
        created_at = DateTimeField()
        key = CharField(max_length=200, unique=True)
        person = ForeignKeyField(Person, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=40)
        payload = TextField()
        status = CharField(max_length=10)
        channel = CharField(max_length=20)
        errcode = IntegerField(null=True)
        detail = TextField()
        updated_at = DateTimeField()
        sent_at = DateTimeField(null=True)

    db.create_tables([Org, Person, Identity, Role, InviteCode, LinkCode, Campaign, Round, Target, Station, Application, Answer, Submission, StatusEvent, StoredFile, EvidenceLink, ReviewStep, AuditLog, Honour, Reinspection, ChannelState, SubscribeGrant, Notice])


def down(migrator, db):
    """Drop every table of the first release."""
    for table in reversed(['org', 'person', 'identity', 'role', 'invite_code', 'link_code', 'campaign', 'round', 'target', 'station', 'application', 'answer', 'submission', 'status_event', 'stored_file', 'evidence_link', 'review_step', 'audit_log', 'honour', 'reinspection', 'channel_state', 'subscribe_grant', 'notice']):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
