"""Selection among approved applications, the 公示 list, and confirming it into honours (区总工会 only)."""
from flask import flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import campaign_in_view, form_date, form_ids, require_district
from miniapp_backend.clock import local_today
from miniapp_backend.models.admin_records import Selection
from miniapp_backend.services import campaigns, selection as selection_service
from miniapp_backend.services.errors import InvalidState, ValidationFailed


@bp.route("/selections")
def selections():
    """Every selectable kind of the campaign with its selection's state."""
    require_district()
    campaign = campaign_in_view()
    existing = {s.kind: s for s in Selection.select().where(Selection.campaign == campaign)}
    rows = [(spec, existing.get(spec.kind), len(selection_service.candidates(campaign, spec.kind)),
             len(selection_service.chosen_ids(existing[spec.kind])) if spec.kind in existing else 0)
            for spec in selection_service.selectable_specs(campaign)]
    return render_template("admin/selections.html", campaign=campaign, rows=rows)


@bp.route("/selections/<kind>", methods=["GET", "POST"])
def selection(kind):
    """Choose among the approved applications of one kind, publish the 公示 list, confirm after it."""
    require_district()
    campaign = campaign_in_view()
    if request.method == "POST":
        try:
            _act(campaign, kind, request.form.get("action"))
        except (ValidationFailed, InvalidState) as exc:  # the page again, with what was typed
            return _page(campaign, kind, error=exc.message, typed=request.form), 400
        return redirect(url_for("admin.selection", kind=kind, year=campaign.year))
    return _page(campaign, kind)


def _act(campaign, kind, action):
    """One of the page's three actions on the kind's selection."""
    chosen = selection_service.selection_for(campaign, kind)
    if action == "choose":
        selection_service.choose(chosen, g.person, form_ids("application", selection_service.NOT_CANDIDATE))
        flash("已保存拟授予名单", "info")
    elif action == "publish":
        selection_service.publish(chosen, g.person, request.form.get("notice_text", ""),
                                  form_date("publish_until", "公示截止日期", required=True))
        flash("名单已公示", "info")
    elif action == "confirm":
        selection_service.confirm(chosen, g.person)
        flash("已确认授予称号", "info")


def _page(campaign, kind, error=None, typed=None):
    """The selection page (after a refusal: its message and the values typed)."""
    chosen = selection_service.selection_of(campaign, kind)
    spec = campaigns.kind_spec(campaign, kind)
    return render_template("admin/selection.html", campaign=campaign, spec=spec, selection=chosen,
                           rows=selection_service.table(chosen),
                           chosen=selection_service.chosen_ids(chosen),
                           publicity_over=selection_service.publicity_over(chosen, local_today()),
                           error=error, typed=typed or {})


@bp.route("/selections/<kind>/notice")
def selection_notice(kind):
    """The 公示 list, printable; nothing to show before it is published."""
    require_district()
    campaign = campaign_in_view()
    chosen = selection_service.selection_of(campaign, kind)
    winners = selection_service.chosen(chosen)
    spec = campaigns.kind_spec(campaign, kind)
    return render_template("admin/selection_notice.html", campaign=campaign, spec=spec, selection=chosen,
                           winners=winners)
