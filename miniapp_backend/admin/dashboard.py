"""The campaign dashboard and the per-系统工会 quota form."""
from collections import Counter

from flask import flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import campaign_in_view, require_district
from miniapp_backend.clock import local_today
from miniapp_backend.models import AppStatus, Campaign, Org
from miniapp_backend.models.admin_records import SystemQuota
from miniapp_backend.services import (
    admin_actions, campaigns, dashboard as dashboard_service, honours_register, revocation_proposals, windows)
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.services.org_groups import system_unions

STATUS_ORDER = (AppStatus.DRAFT, AppStatus.SUBMITTED, AppStatus.RETURNED, AppStatus.APPROVED, AppStatus.REJECTED)


@bp.route("/")
def dashboard():
    """Progress against the targets and quotas, coverage, dates, funding (chairs go to their list)."""
    if not g.scope.is_admin:
        return redirect(url_for("admin.applications"))
    campaign = campaign_in_view()
    board = dashboard_service.build(campaign, g.scope, local_today())
    years = [c.year for c in Campaign.select(Campaign.year).order_by(Campaign.year.desc())]
    proposals = revocation_proposals.pending(g.scope.org_condition(Org)).count()
    declared = honours_register.awaiting_confirmation(g.scope.org_condition(Org)).count()
    return render_template("admin/dashboard.html", board=board, statuses=STATUS_ORDER, years=years,
                           today=local_today(), overdue=windows.OVERDUE, proposals_waiting=proposals,
                           declarations_waiting=declared)


@bp.route("/quotas", methods=["GET", "POST"])
def quotas():
    """District admins split each target into per-系统工会 quotas; more than the target is allowed
    (some units may fail 验收) but said plainly."""
    require_district()
    campaign = campaign_in_view()
    specs = [s for s in campaigns.kind_specs(campaign) if s.target]
    systems = system_unions(g.scope.org_condition(Org))
    current = SystemQuota.of_campaign(campaign)
    if request.method == "POST":
        try:
            wanted = _quotas_from_form(specs, systems.values())
        except ValidationFailed as exc:
            return render_template("admin/quotas.html", campaign=campaign, specs=specs, systems=systems.values(),
                                   current=current, allotted=_allotted(current), entered=request.form,
                                   error=exc.message), 400
        for (kind, system), count in wanted.items():
            if count != current.get((kind, system.id), 0):
                admin_actions.set_quota(campaign, kind, system, count, g.person)
        flash("指标已保存", "info")
        return redirect(url_for("admin.quotas", year=campaign.year))
    return render_template("admin/quotas.html", campaign=campaign, specs=specs, systems=systems.values(),
                           current=current, allotted=_allotted(current), entered={}, error=None)


def _allotted(current):
    """{kind: the quotas allotted in all}."""
    totals = Counter()
    for (kind, _), count in current.items():
        totals[kind] += count
    return totals


QUOTA_DIGITS = 6  # a quota of a million units is already a typo


def _quotas_from_form(specs, systems):
    """{(kind, system org): count} from the form, every cell checked before anything is saved."""
    wanted = {}
    for spec in specs:
        for system in systems:
            raw = request.form.get(f"q-{spec.kind}-{system.id}", "").strip() or "0"
            if not (raw.isascii() and raw.isdigit() and len(raw) <= QUOTA_DIGITS):
                raise ValidationFailed(f"{system.full_name}的{spec.label}指标应为0到999999之间的整数", key="count")
            wanted[(spec.kind, system)] = int(raw)
    return wanted
