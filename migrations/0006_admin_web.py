"""Admin web: sign-in accounts, per-系统工会 quotas, 现场验收 records, selection and 公示 lists."""
from peewee import *


def up(migrator, db):
    """Create the admin tables (frozen copy of models/admin_accounts.py and admin_records.py)."""
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class Person(Base):
        pass

    class Org(Base):
        pass

    class Campaign(Base):
        pass

    class Application(Base):
        pass

    class StoredFile(Base):
        pass

    class AdminAccount(Base):
        created_at = DateTimeField()
        person = ForeignKeyField(Person, unique=True, backref='+', on_delete='CASCADE')
        username = CharField(max_length=40, unique=True)
        password_hash = CharField(max_length=200)
        active = BooleanField()
        created_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)
        last_login_at = DateTimeField(null=True)

    class SystemQuota(Base):
        created_at = DateTimeField()
        campaign = ForeignKeyField(Campaign, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=20)
        org = ForeignKeyField(Org, backref='+', on_delete='CASCADE')
        count = IntegerField()

        class Meta:
            indexes = [(('campaign', 'kind', 'org'), True)]

    class SiteInspection(Base):
        created_at = DateTimeField()
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')
        inspected_on = DateField()
        inspectors = CharField(max_length=200)
        findings = TextField()
        result = CharField(max_length=10)
        recorded_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

    class InspectionPhoto(Base):
        created_at = DateTimeField()
        inspection = ForeignKeyField(SiteInspection, backref='+', on_delete='CASCADE')
        file = ForeignKeyField(StoredFile, backref='+', on_delete='RESTRICT')

        class Meta:
            indexes = [(('inspection', 'file'), True)]

    class Selection(Base):
        created_at = DateTimeField()
        campaign = ForeignKeyField(Campaign, backref='+', on_delete='CASCADE')
        kind = CharField(max_length=20)
        status = CharField(max_length=10)
        notice_text = TextField()
        publish_until = DateField(null=True)
        published_at = DateTimeField(null=True)
        confirmed_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(Person, backref='+', on_delete='SET NULL', null=True)

        class Meta:
            indexes = [(('campaign', 'kind'), True)]

    class SelectionEntry(Base):
        created_at = DateTimeField()
        selection = ForeignKeyField(Selection, backref='+', on_delete='CASCADE')
        application = ForeignKeyField(Application, backref='+', on_delete='CASCADE')

        class Meta:
            indexes = [(('selection', 'application'), True)]

    db.create_tables([AdminAccount, SystemQuota, SiteInspection, InspectionPhoto, Selection,
                      SelectionEntry])


def down(migrator, db):
    """Drop the admin tables."""
    for table in ("selection_entry", "selection", "inspection_photo", "site_inspection",
                  "system_quota", "admin_account"):
        db.execute_sql(f"DROP TABLE IF EXISTS {table}")
