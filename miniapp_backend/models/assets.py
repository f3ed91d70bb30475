"""Files an admin uploads once for everyone, e.g. the official 北京工会12351 APP QR image."""
from peewee import CharField, DateTimeField, ForeignKeyField

from miniapp_backend.clock import utcnow
from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.people import Person

APP_12351_QR = "app_12351_qr"


class Asset(BaseModel):
    """A named file in the file store (by sha256); uploading again replaces it."""

    key = CharField(max_length=40, unique=True)
    sha256 = CharField(max_length=64)
    mime = CharField(max_length=40)
    uploaded_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    updated_at = DateTimeField(default=utcnow)

    @classmethod
    def put(cls, filestore, key, data, mime, person=None):
        """Store the bytes and point `key` at them."""
        sha256 = filestore.put(data)
        cls.insert(key=key, sha256=sha256, mime=mime, uploaded_by=person).on_conflict(
            conflict_target=[cls.key],
            update={cls.sha256: sha256, cls.mime: mime, cls.uploaded_by: person,
                    cls.updated_at: utcnow()}).execute()
        return cls.get(cls.key == key)

    @classmethod
    def named(cls, key):
        """The asset called `key`, or None."""
        return cls.get_or_none(cls.key == key)
