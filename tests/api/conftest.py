"""API fixtures: the app pinned inside the 2018 filing window, and a client that signs in people."""
import datetime as dt
import io

import pytest
from PIL import Image

from miniapp_backend.api import sessions
from miniapp_backend.api.context import NOW_SETTING
from miniapp_backend.app import create_app
from miniapp_backend.models import ApplicationKind, Channel, Identity
from miniapp_backend.services import drafts, evidence
from miniapp_backend.storage import FileStore
from tests.factories import IN_WINDOW

# 10:00 in Beijing on IN_WINDOW (a Thursday), as naive UTC.
NOW = dt.datetime.combine(IN_WINDOW, dt.time(2, 0))


def pinned(app):
    """The app with its clock inside the 2018 window."""
    app.config[NOW_SETTING] = NOW
    return app


@pytest.fixture
def api_app(app):
    """The app with its clock pinned (WeChat not needed)."""
    return pinned(app)


@pytest.fixture
def wx_app(wx_config, db, redis_client):
    """The app pointed at the WeChat stand-in."""
    return pinned(create_app(wx_config))


class Api:
    """A test client that calls as a given person (signed in through a mini-program identity)."""

    def __init__(self, app):
        """Wrap `app`'s test client."""
        self.app, self.client = app, app.test_client()

    def token(self, person):
        """A session token for `person`, creating their mini-program identity if needed."""
        identity = Identity.get_or_none(person=person, channel=Channel.MINIAPP)
        if identity is None:
            identity = Identity.create(person=person, channel=Channel.MINIAPP, openid=f"m-{person.id}")
        with self.app.test_request_context():
            return sessions.issue_token(identity.openid)

    def call(self, method, path, person=None, **kwargs):
        """One request to /api/v1<path>, as `person` when given."""
        headers = dict(kwargs.pop("headers", {}))
        if person is not None:
            headers["Authorization"] = f"Bearer {self.token(person)}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, person=None, **kwargs):
        """GET."""
        return self.call("GET", path, person, **kwargs)

    def post(self, path, person=None, **kwargs):
        """POST."""
        return self.call("POST", path, person, **kwargs)

    def patch(self, path, person=None, **kwargs):
        """PATCH."""
        return self.call("PATCH", path, person, **kwargs)

    def delete(self, path, person=None, **kwargs):
        """DELETE."""
        return self.call("DELETE", path, person, **kwargs)


@pytest.fixture
def api(api_app):
    """Calls the API as anyone."""
    return Api(api_app)


def model_home(world, person=None):
    """A 示范职工之家 draft of the world's unit (a checklist with 21 items)."""
    return drafts.start_or_resume(person or world.chair, world.unit, world.campaign,
                                  ApplicationKind.MODEL_HOME, today=IN_WINDOW)


def photo_bytes(size=(64, 48), color=(200, 30, 30), fmt="JPEG", exif=None):
    """A small real image."""
    out = io.BytesIO()
    image = Image.new("RGB", size, color)
    image.save(out, fmt, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def upload(api, application_id, person, data, slot, name="photo.jpg"):
    """POST a file as wx.uploadFile does (multipart, field `file`, slot in the form data)."""
    return api.post(f"/drafts/{application_id}/evidence", person,
                    data={"file": (io.BytesIO(data), name), "slot": slot},
                    content_type="multipart/form-data")


def complete_model_home(world, store_dir, person=None):
    """A 示范职工之家 draft with every item answered 是 and one shared photo: ready to submit."""
    person = person or world.chair
    application = model_home(world, person)
    photo = evidence.store(FileStore(store_dir), photo_bytes(), "photo", "image/jpeg")
    for item in drafts.templates(application)[0].items:
        key = f"model_home_checklist:{item.key}"
        drafts.write_answer(application, person, key, {"done": True}, today=IN_WINDOW)
        evidence.attach(application, person, key, photo, today=IN_WINDOW)
    return application
