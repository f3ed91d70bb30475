"""Migrating an empty database yields exactly the schema the models describe."""
from peewee import DatabaseProxy
from playhouse.migrations import Runner

from miniapp_backend.db import open_database
from miniapp_backend.migrate import MIGRATIONS_DIR, apply_migrations
from miniapp_backend.models import ALL_MODELS, Honour, HonourMinutes


def _schema(db):
    """Tables → (columns with type/null/pk, index column sets with uniqueness, foreign keys)."""
    result = {}
    for table in db.get_tables():
        if table == "schema_migration":
            continue
        columns = sorted((c.name, c.data_type.lower(), c.null, c.primary_key) for c in db.get_columns(table))
        indexes = sorted((tuple(i.columns), i.unique) for i in db.get_indexes(table))
        fks = sorted((f.column, f.dest_table, f.dest_column) for f in db.get_foreign_keys(table))
        result[table] = (columns, indexes, fks)
    return result


def test_migrations_build_exactly_the_models_schema(backends, tmp_path):
    if backends.db_kind == "sqlite":
        migrated_url, modelled_url = (f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}")
    else:
        # Two schemas of the session's PostgreSQL database stand in for two databases.
        migrated_url = modelled_url = backends.database_url
    migrated = open_database(migrated_url)
    modelled = open_database(modelled_url)
    if backends.db_kind == "sqlite":
        apply_migrations(migrated)
        with modelled.bind_ctx(ALL_MODELS):
            modelled.create_tables(ALL_MODELS)
        assert _schema(migrated) == _schema(modelled)
    else:
        # The session database was built by the migrations; compare it with a fresh model-made schema.
        modelled.execute_sql("DROP SCHEMA IF EXISTS modelled CASCADE")
        modelled.execute_sql("CREATE SCHEMA modelled")
        modelled.execute_sql("SET search_path TO modelled")
        with modelled.bind_ctx(ALL_MODELS):
            modelled.create_tables(ALL_MODELS)
        expected = _schema(modelled)
        modelled.execute_sql("SET search_path TO public")
        actual = _schema(migrated)
        modelled.execute_sql("DROP SCHEMA modelled CASCADE")
        assert actual == expected


def test_applying_twice_applies_nothing(backends):
    db = open_database(backends.database_url)
    assert apply_migrations(db) == []


def test_declarations_made_before_minutes_were_asked_for_stay_declared(tmp_path):
    """0019: a declaration keeps its status; the one file the old column could hold becomes its minutes."""
    db = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    with db.connection_context():
        Runner(db, directory=str(MIGRATIONS_DIR)).up(target="0017_refused_declaration")
        db.execute_sql("INSERT INTO org (id, created_at, kind, category, full_name, path, nature, chair_name, phone, "
                       "home_phone, email, building_mode) VALUES (1, '2018-01-01', 'grassroots', '', '示例工会', "
                       "'1', '', '', '', '', '', '')")
        db.execute_sql("INSERT INTO stored_file (id, created_at, sha256, kind, mime, size) "
                       "VALUES (7, '2018-03-21', 'ab', 'pdf', 'application/pdf', 1)")
        for honour_id, year, minutes in ((1, 2017, 7), (2, 2018, None)):
            db.execute_sql("INSERT INTO honour (id, created_at, org_id, kind, year, status, congress_date, "
                           "minutes_file_id, revoked_reason) VALUES (?, '2018-03-21', 1, 'qualified_home', ?, "
                           "'declared', '2018-03-20', ?, '')", (honour_id, year, minutes))
    apply_migrations(db)
    with db.bind_ctx(ALL_MODELS), db.connection_context():
        assert [(h.id, h.status) for h in Honour.select().order_by(Honour.id)] == [(1, "declared"), (2, "declared")]
        assert [m.file_id for m in HonourMinutes.select().where(HonourMinutes.honour == 1)] == [7]
        assert not HonourMinutes.select().where(HonourMinutes.honour == 2).exists()


def test_migrations_apply_through_a_database_proxy(tmp_path):
    """The benchmarks and scripts migrate through the app's DatabaseProxy: a migration that asked
    the proxy which database it is took the wrong branch (SQLite cannot drop a referenced
    column in place; PostgreSQL needs its trigger function)."""
    proxy = DatabaseProxy()
    proxy.initialize(open_database(f"sqlite:///{tmp_path / 'proxied.db'}"))
    assert "0019_declaration_minutes" in apply_migrations(proxy)
    with proxy.connection_context():
        triggers = {row[0] for row in proxy.execute_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert triggers == {"answer_touches_application_on_insert", "answer_touches_application_on_update"}
