"""Sign-in and sign-out."""
from flask import flash, redirect, render_template, request, session, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import redis
from miniapp_backend.services.admin_accounts import LoginThrottle, authenticate, session_mark
from miniapp_backend.services.errors import PermissionDenied


def _safe_next(target):
    """Only admin paths on this site are followed after sign-in."""
    return target if target and target.startswith("/admin/") and not target.startswith("//") else None


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a good password starts a fresh session."""
    if request.method == "GET":
        return render_template("admin/login.html", next=request.args.get("next", ""))
    username = request.form.get("username", "").strip()
    try:
        account = authenticate(LoginThrottle(redis()), username, request.form.get("password", ""))
    except PermissionDenied as exc:
        flash(exc.message, "error")
        return render_template("admin/login.html", next=request.form.get("next", ""), username=username), 401
    # A new session on sign-in, so a cookie planted before it is worth nothing after.
    session.clear()
    session.permanent = True
    session["admin_id"] = account.id
    session["pw"] = session_mark(account)
    return redirect(_safe_next(request.form.get("next")) or url_for("admin.dashboard"))


@bp.route("/logout", methods=["POST"])
def logout():
    """End the session."""
    session.clear()
    flash("已退出登录", "info")
    return redirect(url_for("admin.login"))
