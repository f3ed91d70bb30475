"""Admin web sign-in accounts, each tied to a Person whose roles decide what it may see and do."""
from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, fn

from miniapp_backend.models.base import BaseModel
from miniapp_backend.models.people import Person


class AdminAccount(BaseModel):
    """A username and password hash for the admin web; permissions come from the person's roles."""

    person = ForeignKeyField(Person, unique=True, backref="+", on_delete="CASCADE")
    username = CharField(max_length=40, unique=True)
    password_hash = CharField(max_length=200)
    active = BooleanField(default=True)
    created_by = ForeignKeyField(Person, null=True, backref="+", on_delete="SET NULL")
    last_login_at = DateTimeField(null=True)

    @classmethod
    def by_username(cls, username):
        """The account of `username` in any letter case (active or not), or None; an account made
        before usernames were kept in lower case wins when its spelling matches exactly."""
        typed = username.strip()
        return (cls.select().where(fn.LOWER(cls.username) == typed.lower())
                .order_by((cls.username == typed).desc(), cls.id).first())
