"""Builders for admin tests: accounts for the world's people, submitted applications, signing in."""
import re

from miniapp_backend import wechat
from miniapp_backend.models import AdminAccount, ApplicationKind, AppStatus, HonourKind
from miniapp_backend.services import admin_accounts, drafts, evidence, notifications, review, submissions
from miniapp_backend.storage import FileStore
from tests.factories import IN_WINDOW, make_qualified

PASSWORD = "correct-horse-battery"
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


_HASH = {}


def make_accounts(world):
    """Accounts named after roles: district, system, other_system, chair (one hash, made once)."""
    if "hash" not in _HASH:
        _HASH["hash"] = admin_accounts.hash_password(PASSWORD)
    for username, person in (("district", world.district_admin), ("system", world.system_admin),
                             ("other_system", world.other_system_admin), ("chair", world.chair)):
        AdminAccount.create(person=person, username=username, password_hash=_HASH["hash"])


def submitted(world, tmp_path, org=None, chair=None, kind=ApplicationKind.MODEL_HOME, photo=PNG, station=None):
    """A complete checklist application of `org` (or of its `station`), submitted in the 2018 window."""
    chair = chair or world.chair
    app = drafts.start_or_resume(chair, org or world.unit, world.campaign, kind, station=station, today=IN_WINDOW)
    template = drafts.templates(app)[0]
    stored = evidence.store(FileStore(tmp_path / "files"), photo, "photo", "image/png")
    for item in template.items:
        key = f"{template.code}:{item.key}"
        drafts.write_answer(app, chair, key, {"done": True}, today=IN_WINDOW)
        evidence.attach(app, chair, key, stored, today=IN_WINDOW)
    return submissions.submit(app, chair, today=IN_WINDOW)


def small_home_in_review(world):
    """The 分会's 小家 application, put in review by hand (its registration form is long to fill)."""
    make_qualified(world.branch, HonourKind.QUALIFIED_SMALL_HOME)
    app = drafts.start_or_resume(world.branch_chair, world.branch, world.campaign, ApplicationKind.SMALL_HOME,
                                 today=IN_WINDOW)
    app.status, app.version = AppStatus.SUBMITTED, 1
    app.save()
    review.build_chain(app, 1)
    return app


def csrf_of(client, path="/admin/login"):
    """The CSRF token a page of `path` carries."""
    return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)


def sign_in(client, username, password=PASSWORD):
    """Sign in through the form; return the response."""
    token = csrf_of(client)
    return client.post("/admin/login", data={"username": username, "password": password, "csrf_token": token})


def post(client, path, data, page=None):
    """POST a form with this session's CSRF token (read from `page`, default the dashboard)."""
    token = csrf_of(client, page or "/admin/applications")
    return client.post(path, data={**data, "csrf_token": token})


def deliver_all(official, miniapp):
    """What the workers do with the notices written (through the stand-in); return the rows."""
    messenger = wechat.WeChatMessenger(official, miniapp)
    return [notifications.deliver(i, messenger) for i in notifications.pending_ids()]


def signed_in_tabs(app, username, page, count):
    """`count` signed-in tabs with the CSRF token of `page`."""
    tabs = []
    for _ in range(count):
        tab = app.test_client()
        sign_in(tab, username)
        tabs.append((tab, csrf_of(tab, page)))
    return tabs


def send_from(tab, token, page, form, action=None):
    """Send a form from `page` (to `action`, default the page itself) and follow to the page shown
    after it; return its text."""
    return tab.post(action or page, data={**form, "csrf_token": token}, headers={"Referer": f"http://localhost{page}"},
                    follow_redirects=True).get_data(as_text=True)
