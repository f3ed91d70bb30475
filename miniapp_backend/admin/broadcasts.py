"""群发通知: an admin writes to the chairs and staff of the units a filter picks, sees first how
many people it reaches, sends it, and afterwards who got it and who could not be reached."""
from flask import abort, flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import (
    NOT_YOURS, campaign_in_view, form_int, kind_labels, now, redis, require_admin)
from miniapp_backend.models import APP_STATUS_LABELS, Org, OrgKind
from miniapp_backend.services import notifications
from miniapp_backend.services.errors import DomainError, ValidationFailed
from miniapp_backend.services.reminders import broadcasts as broadcast_service, ledger_view
from workers.queues import deliver_notices

STATUS_CHOICES = {broadcast_service.NOT_STARTED: "尚未申报", **APP_STATUS_LABELS}
# Template and subscribe messages carry the text in one "thing" field, cut by WeChat's limit:
# only 客服消息 deliver it whole, and the admin must know who got only its beginning.
SHORT_CHANNELS = ("template", "subscribe")
SHORT_CHARS = notifications.FIELD_LIMITS["thing"]
HISTORY_SHOWN = 30
ROWS_SHOWN = 500


def _filters():
    """The form's filters as the domain takes them (empty choices left out)."""
    filters = {name: request.form.get(name, "").strip() for name in ("kind", "status")}
    system = form_int("system")
    if system is not None:
        filters["system"] = system
    return {name: value for name, value in filters.items() if value}


def _systems():
    """The 系统工会 a district admin may narrow to (a 系统工会 admin writes to their own anyway)."""
    if not g.scope.is_district:
        return []
    return list(Org.select().where(Org.kind == OrgKind.SYSTEM, g.scope.admin_condition(Org)).order_by(Org.id))


def describe(filters, labels):
    """“申报类型：示范职工之家 · 申报状态：草稿 · 系统工会：…”, or 全部单位."""
    parts = []
    if filters.get("kind"):
        parts.append(f"申报类型：{labels.get(filters['kind'], filters['kind'])}")
    if filters.get("status"):
        parts.append(f"申报状态：{STATUS_CHOICES.get(filters['status'], filters['status'])}")
    if filters.get("system"):
        system = Org.get_or_none(Org.id == int(filters["system"]))
        parts.append(f"系统工会：{system.full_name if system else filters['system']}")
    return " · ".join(parts) or "管理范围内全部单位"


def _page(preview=None, error=None, status=200):
    """The compose form (with a preview or a refusal and what was typed) and earlier broadcasts."""
    campaign = campaign_in_view()
    labels = kind_labels(campaign)
    sender = None if g.scope.is_district else g.person
    history = broadcast_service.sent_broadcasts(sender, limit=HISTORY_SHOWN)
    return render_template("admin/broadcasts.html", campaign=campaign, kinds=labels, statuses=STATUS_CHOICES,
                           systems=_systems(), preview=preview, error=error, typed=request.form,
                           history=history, notice_statuses=ledger_view.STATUS_LABELS,
                           describe=lambda f: describe(f, labels),
                           title=broadcast_service.TITLE, max_text=broadcast_service.MAX_TEXT,
                           short_chars=SHORT_CHARS), status


@bp.route("/broadcasts", methods=["GET", "POST"])
def broadcasts():
    """Compose, preview and send a notice; list earlier ones with their delivery counts."""
    require_admin()
    if request.method == "GET":
        return _page()
    try:
        filters = _filters()
        if request.form.get("action") == "send":
            return _send(filters)
        preview = broadcast_service.preview_broadcast(filters, g.person, now())
    except DomainError as exc:  # the page again, with the message and what was typed
        return _page(error=exc.message, status=400)
    try:
        broadcast_service.clean_text(request.form.get("text"))
    except ValidationFailed as exc:  # whom it would reach, but no 发送 for a text sending refuses
        return _page(preview=preview, error=exc.message, status=400)
    return _page(preview=preview)


def _send(filters):
    """Write the rows, start their delivery, and show how it goes."""
    ident, ids = broadcast_service.send_broadcast(filters, request.form.get("text", ""), g.person, now())
    deliver_notices(redis(), ids)
    if ids:
        flash(f"已开始发送给{len(ids)}人，发送结果见下表", "info")
    else:
        flash("这条通知今天已经发给这些人，没有重复发送", "warning")
    return redirect(url_for("admin.broadcast", ident=ident))


@bp.route("/broadcasts/<ident>")
def broadcast(ident):
    """One broadcast: its text and, per person, whether it arrived, by which channel, or why not."""
    require_admin()
    sender = None if g.scope.is_district else g.person
    sent = broadcast_service.sent_broadcast(ident, sender)
    if sent is None:
        abort(404, description=NOT_YOURS)
    # ?status= narrows the list, so those who were not reached stay findable in a large broadcast.
    status = request.args.get("status") or None
    rows = ledger_view.ledger({"key": f"broadcast:{ident}:", "status": status, "limit": ROWS_SHOWN})
    return render_template("admin/broadcast.html", sent=sent, rows=rows, statuses=ledger_view.STATUS_LABELS,
                           status=status, filters=describe(sent.filters, kind_labels(campaign_in_view())),
                           short_channels=SHORT_CHANNELS, short_chars=SHORT_CHARS)
