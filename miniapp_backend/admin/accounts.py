"""Admin accounts: 区总工会 admins create, reset and deactivate them; everyone changes their own password."""
import secrets

from flask import flash, g, make_response, redirect, render_template, request, session, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import redis, require_district
from miniapp_backend.models import AdminAccount, Org, Person, Role
from miniapp_backend.services import admin_accounts
from miniapp_backend.services.errors import NotFound, ValidationFailed


RESET_KEY = "zgzj:admin:reset-shown:{}"
RESET_SHOWN_SECONDS = 300  # the admin is on the page at once; a forgotten ticket expires


def _render_accounts(typed=None, **extra):
    """The account list with the creation form."""
    rows = list(AdminAccount.select(AdminAccount, Person).join(Person, on=(AdminAccount.person == Person.id))
                .order_by(AdminAccount.username))
    roles = {}
    for role in Role.select(Role, Org).join(Org).where(Role.person.in_([a.person_id for a in rows])):
        roles.setdefault(role.person_id, []).append(role)
    return render_template("admin/accounts.html", rows=rows, roles=roles, typed=typed or {},
                           role_kinds=admin_accounts.ROLE_ORG_KINDS, **extra)


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """List accounts; create one (a new person with the chosen role) for an org by full name."""
    require_district()
    if request.method == "POST":
        try:
            account = _create_account()
        except ValidationFailed as exc:  # the page again, with what was typed (but the password)
            return _render_accounts(error=exc.message, typed=request.form), 400
        flash(f"已创建账号 {account.username}", "info")
        return redirect(url_for("admin.accounts"))
    return _render_accounts()


def _create_account():
    """The account the creation form asks for."""
    org = Org.get_or_none(Org.full_name == request.form.get("full_name", "").strip())
    if org is None or not g.scope.sees_org(org):
        raise ValidationFailed("找不到这个组织，请填写组织全称", key="full_name")
    admin_accounts.require_district_admin_over(g.person, org)
    return admin_accounts.create_admin(org, request.form.get("role", ""), request.form.get("name", ""),
                                       request.form.get("username", ""), request.form.get("password", ""),
                                       created_by=g.person)


def _account(account_id):
    """The account of that id."""
    account = AdminAccount.select(AdminAccount, Person).join(Person, on=(AdminAccount.person == Person.id)).where(
        AdminAccount.id == account_id).first()
    if account is None:
        raise NotFound("找不到这个账号")
    return account


@bp.route("/accounts/<id:account_id>/reset", methods=["POST"])
def reset_password(account_id):
    """A new password for someone else's account, then a redirect to the page that shows it once
    (so reloading that page cannot reset it again)."""
    require_district()
    account = _account(account_id)
    password = admin_accounts.reset_password(g.person, account)
    ticket = secrets.token_urlsafe(16)
    redis().set(RESET_KEY.format(ticket), f"{account.id}:{password}", ex=RESET_SHOWN_SECONDS)
    return redirect(url_for("admin.reset_shown", ticket=ticket))


@bp.route("/accounts/reset/<ticket>")
def reset_shown(ticket):
    """The new password, once: the ticket is spent by reading it (Redis only, never the database)."""
    require_district()
    pipe = redis().pipeline()  # GET then DEL in one transaction (GETDEL needs Redis 6.2)
    pipe.get(RESET_KEY.format(ticket))
    pipe.delete(RESET_KEY.format(ticket))
    kept, _ = pipe.execute()
    if kept is None:
        flash("新密码只显示一次，已经显示过或已过期；如需要请再次重置", "info")
        return redirect(url_for("admin.accounts"))
    account_id, password = kept.decode("utf-8").split(":", 1)
    response = make_response(_render_accounts(reset=(_account(int(account_id)), password)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/accounts/<id:account_id>/active", methods=["POST"])
def set_active(account_id):
    """Deactivate (its sessions end at once) or reactivate an account."""
    require_district()
    account = admin_accounts.set_active(g.person, _account(account_id), request.form.get("active") == "1")
    flash(f"已{'启用' if account.active else '停用'}账号 {account.username}", "info")
    return redirect(url_for("admin.accounts"))


@bp.route("/password", methods=["GET", "POST"])
def password():
    """The signed-in admin changes their own password; this session stays, others end."""
    if request.method == "GET":
        return render_template("admin/password.html", error=None, min_length=admin_accounts.PASSWORD_MIN)
    try:
        account = admin_accounts.change_password(admin_accounts.LoginThrottle(redis()), g.account,
                                                 request.form.get("current", ""),
                                                 request.form.get("new", ""), request.form.get("repeated", ""))
    except ValidationFailed as exc:
        return render_template("admin/password.html", error=exc.message,
                               min_length=admin_accounts.PASSWORD_MIN), 400
    session["pw"] = admin_accounts.session_mark(account)
    flash("密码已修改，其他已登录的设备需要用新密码重新登录", "info")
    return redirect(url_for("admin.dashboard"))
