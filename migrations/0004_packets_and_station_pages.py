"""Packets, station codes, the QR quota, station feedback and admin assets (issue 5)."""
from peewee import *


def up(migrator, db):
    """Create the tables (frozen copy of models/packets.py, station_pages.py and assets.py)."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        pass

    class Application(Base):
        pass

    class Station(Base):
        pass

    class Packet(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        version = IntegerField()
        review_state_key = CharField(max_length=16)
        status = CharField(max_length=12)
        attempts = IntegerField()
        folder = CharField(max_length=200)
        pdf_sha256 = CharField(max_length=64)
        docx_sha256 = CharField(max_length=64)
        zip_sha256 = CharField(max_length=64)
        detail = TextField()
        started_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)
        updated_at = DateTimeField()

        class Meta:
            indexes = [(('application', 'version', 'review_state_key'), True)]

    class StationWechatCode(Base):
        created_at = DateTimeField()
        station = ForeignKeyField(Station, backref='+', on_delete='CASCADE', unique=True)
        kind = CharField(max_length=10)
        scene = CharField(max_length=64)
        appid = CharField(max_length=32)
        ticket = CharField(max_length=255)
        url = CharField(max_length=255)
        image_sha256 = CharField(max_length=64)
        updated_at = DateTimeField()

    class QrQuota(Base):
        created_at = DateTimeField()
        appid = CharField(max_length=32, unique=True)
        used = IntegerField()

    class StationFeedback(Base):
        created_at = DateTimeField()
        station = ForeignKeyField(Station, backref='+', on_delete='CASCADE')
        topic = CharField(max_length=12)
        text = TextField()
        contact = CharField(max_length=60)
        ip_hash = CharField(max_length=64)
        handled_at = DateTimeField(null=True)

    class Asset(Base):
        created_at = DateTimeField()
        key = CharField(max_length=40, unique=True)
        sha256 = CharField(max_length=64)
        mime = CharField(max_length=40)
        uploaded_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        updated_at = DateTimeField()

    db.create_tables([Packet, StationWechatCode, QrQuota, StationFeedback, Asset])


def down(migrator, db):
    """Drop the tables."""
    for table in ('asset', 'station_feedback', 'qr_quota', 'station_wechat_code', 'packet'):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
