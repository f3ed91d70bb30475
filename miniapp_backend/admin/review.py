"""Deciding the pending step: the digital 审批意见, then the unit is notified and the packet rebuilt."""
from flask import flash, g, redirect, request, url_for

from miniapp_backend.admin.applications import render_application
from miniapp_backend.admin.blueprint import bp, current_config
from miniapp_backend.admin.common import form_date, form_int, redis, visible_application
from miniapp_backend.services import admin_review
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from workers import stations as station_jobs
from workers.packets import enqueue_packet
from workers.queues import deliver_notices

DONE = {"approve": "已审核通过", "return": "已退回整改", "reject": "已作出不予通过的决定"}


@bp.route("/applications/<id:application_id>/decide", methods=["POST"])
def decide(application_id):
    """Approve, return with remarks and a 整改截止, or reject; a refusal shows the page again, still filled in."""
    app_ = visible_application(application_id)
    decision = request.form.get("decision", "")
    try:
        step_id = form_int("step")
        app_, notices = admin_review.decide(
            app_, g.person, step_id, decision, request.form.get("opinion", ""),
            admin_review.remarks_from_form(request.form), form_date("rectify_deadline", "整改截止日期"))
    except (ValidationFailed, InvalidState) as exc:
        if isinstance(exc, InvalidState) and admin_review.repeated(app_, g.person, step_id, decision):
            flash(DONE[decision], "info")  # the first sending was done: say so, not "handled by another"
            return redirect(url_for("admin.application", application_id=app_.id))
        return render_application(visible_application(application_id), exc.message, request.form), 400
    deliver_notices(redis(), notices)
    enqueue_packet(redis(), app_)  # the opinion blocks changed
    if app_.station_id is not None:
        # approval opens a station under construction
        station_jobs.station_changed(redis(), current_config(), app_.station)
    flash(DONE.get(decision, "已保存"), "info")
    return redirect(url_for("admin.application", application_id=app_.id))
