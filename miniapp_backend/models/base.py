"""The base model and the portable field types every model uses."""
import json

from peewee import DateTimeField, Model, TextField

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database


class JSONField(TextField):
    """JSON stored as text, so SQLite and PostgreSQL share one schema."""

    def db_value(self, value):
        """Serialise with Chinese kept readable."""
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def python_value(self, value):
        """Parse the stored text."""
        return None if value is None else json.loads(value)


class SharedJSONField(JSONField):
    """JSON that rows share once parsed: the same text gives the same object, never to be
    changed in place. For large values read on hot paths (a campaign's data file)."""

    def python_value(self, value):
        """The parsed value, shared with every row holding the same text."""
        return None if value is None else _parse_shared(value)


_shared = []  # (text, parsed), the most recently parsed first
MAX_SHARED = 8


def _parse_shared(text):
    """JSON text parsed once. Found by comparing texts (a length check, then memcmp), which
    for a data file of some kilobytes costs far less than hashing it for a dict would."""
    for known, parsed in _shared:
        if known == text:
            return parsed
    parsed = json.loads(text)
    _shared.insert(0, (text, parsed))
    del _shared[MAX_SHARED:]
    return parsed


class BaseModel(Model):
    """Every table: bound to the proxy, snake_case table names."""

    created_at = DateTimeField(default=utcnow)

    class Meta:
        database = database
        legacy_table_names = False
