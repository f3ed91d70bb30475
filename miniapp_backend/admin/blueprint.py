"""The /admin blueprint: sign-in required, CSRF on every form, domain refusals shown in Chinese."""
import datetime as dt
import hmac
import secrets
from urllib.parse import urlparse

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from werkzeug.exceptions import MethodNotAllowed

from miniapp_backend.admin import formatting
from miniapp_backend.api.converters import IdConverter
from miniapp_backend.api.errors import ROUTABLE, methods_elsewhere
from miniapp_backend.models import AdminAccount, Person
from miniapp_backend.services.admin_accounts import session_mark
from miniapp_backend.services.admin_scope import scope_of
from miniapp_backend.services.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from miniapp_backend.text_input import NUL_REFUSAL, contains_nul

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/static")
# Path ids are bounded like the API's: a 20-digit id is a 404, not an overflow in the database.
bp.record_once(lambda state: state.app.url_map.converters.setdefault("id", IdConverter))

SESSION_HOURS = 8
PUBLIC_ENDPOINTS = ("admin.login", "admin.static")
ERROR_STATUS = {NotFound: 404, PermissionDenied: 403}
SERVER_ERROR = "服务器出了点问题，请稍后再试；如果一直这样，请联系区总工会"
EXPIRED_FORM = "表单已过期，请刷新页面后重试"
# Fields never echoed back (passwords, the token), and choices a person does not type.
SECRET_FIELDS = {"csrf_token", "password", "current", "new", "repeated"}
CHOICE_FIELDS = {"action", "decision", "keep", "next", "received"}


@bp.record_once
def _configure(state):
    """Session cookie settings for the admin web (Secure whenever the site is served over https)."""
    config = state.app.config
    config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                  PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS))
    if config["ZGZJ"].public_base_url.startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True
    formatting.register(state.app)


def csrf_token():
    """This session's CSRF token (created on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


@bp.app_context_processor
def _globals():
    """Template globals for admin pages."""
    return {"csrf_token": csrf_token}


def _signed_in_account():
    """The account of this session, or None (deactivated accounts and sessions made under an
    earlier password are signed out)."""
    account_id = session.get("admin_id")
    if account_id is None:
        return None
    account = (AdminAccount.select(AdminAccount, Person).join(Person, on=(AdminAccount.person == Person.id))
               .where(AdminAccount.id == account_id, AdminAccount.active == True).first())  # noqa: E712
    if account is None or not hmac.compare_digest(session.get("pw", ""), session_mark(account)):
        return None
    return account


@bp.before_request
def _guard():
    """Check the CSRF token of every POST, then require a signed-in account with a role."""
    if request.method == "POST":
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            return render_template("admin/error.html", message=EXPIRED_FORM, typed=typed_texts(request.form)), 400
        if contains_nul(request.form):
            raise ValidationFailed(NUL_REFUSAL)
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    account = _signed_in_account()
    if account is None:
        session.pop("admin_id", None)
        session.pop("pw", None)
        return redirect(url_for("admin.login", next=request.full_path))
    g.account, g.person, g.scope = account, account.person, scope_of(account.person)
    if not g.scope.is_anyone:
        abort(403, description="您的账号没有管理角色，请联系区总工会")
    return None


def typed_texts(form):
    """What a person wrote into a refused form (an opinion, remarks, dates), to copy into the page
    opened again: not passwords, ids or the choices of a select."""
    return [value.strip() for name, values in form.lists() if name not in SECRET_FIELDS | CHOICE_FIELDS
            for value in values if value.strip() and not value.strip().isdigit()]


def back(default="admin.dashboard"):
    """Redirect to the page the form came from (same site only), else to `default`."""
    target = request.referrer or ""
    if target and urlparse(target).netloc == urlparse(request.host_url).netloc:
        return redirect(target)
    return redirect(url_for(default))


@bp.errorhandler(DomainError)
def _domain_error(exc):
    """A refusal: on a form, flash it and go back; on a page, show it with the right status."""
    if request.method == "POST" and not isinstance(exc, NotFound):
        flash(exc.message, "error")
        return back()
    status = next((code for cls, code in ERROR_STATUS.items() if isinstance(exc, cls)), 400)
    return render_template("admin/error.html", message=exc.message), status


def render_http_error(exc):
    """Admin-styled page for aborts (400 CSRF, 403, 404, 405 with the methods allowed)."""
    methods = getattr(exc, "valid_methods", None)
    return (render_template("admin/error.html", message=exc.description), exc.code,
            {"Allow": ", ".join(methods)} if methods else {})


for _code in (400, 403, 404, 405):
    bp.register_error_handler(_code, render_http_error)


@bp.errorhandler(500)
def _server_error(_exc):
    """Anything unexpected (Flask has logged it with its trace): the admin's page, in Chinese."""
    return render_template("admin/error.html", message=SERVER_ERROR), 500


@bp.route("/<path:rest>", methods=ROUTABLE)
def unrouted(rest):
    """Unknown admin paths (404), and known ones asked with another method (405: a refused form's
    address, shown in the address bar, opened again), on the admin's own page in Chinese.

    Routing errors happen before a blueprint is chosen, so its handlers would not see them.
    """
    allowed = methods_elsewhere()
    if allowed:
        raise MethodNotAllowed(valid_methods=allowed,
                               description="这个地址用于提交表单，不能直接打开；请回到上一页重新操作")
    abort(404, description="没有这个页面，请从菜单进入")


def current_config():
    """The app's Config."""
    return current_app.config["ZGZJ"]
