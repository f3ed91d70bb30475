"""Migrating an empty database yields exactly the schema the models describe."""
from miniapp_backend.db import open_database
from miniapp_backend.migrate import apply_migrations
from miniapp_backend.models import ALL_MODELS


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
