"""Honours register: titles, confirming declared 合格, awarding, 复验, the district's answer to a
proposal to revoke, 市级 candidates, unit archives."""
from urllib.parse import urlencode

from flask import abort, flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp, current_config
from miniapp_backend.admin.common import (
    NOT_YOURS, form_date, form_ids, form_int, int_arg, page_number, redis, require_admin, require_district,
    visible_org)
from miniapp_backend.clock import utcnow
from miniapp_backend.models import HONOUR_LABELS, Honour, HonourKind, HonourStatus, Org, Reinspection
from miniapp_backend.services import (
    application_search, eligibility, honours_register, qualified, qualified_minutes, revocation_proposals)
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.reminders import events as honour_events
from workers.queues import deliver_notices

HONOURS_PAGE = 50
PROPOSAL_PENDING = "pending"  # the register's filter: titles with a proposal to revoke waiting


def visible_honour(honour_id):
    """The honour if its org is within this admin's reach; 404 otherwise."""
    honour = Honour.get_or_none(Honour.id == honour_id)
    if honour is None or not g.scope.is_admin or not g.scope.sees_org(honour.org):
        abort(404, description=NOT_YOURS)
    return honour


@bp.route("/honours")
def honours():
    """The register, filtered by title, year, status and name."""
    require_admin()
    return _register()


def _register(error=None, typed=None):
    """The register page; after a refused registration, its message and the values typed."""
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    scope = g.scope.org_condition(Org)
    rows = honours_register.query(scope, request.args.get("kind", ""),
                                  int_arg("year"), request.args.get("status", ""),
                                  request.args.get("q", "").strip()[:50],
                                  request.args.get("proposal") == PROPOSAL_PENDING)
    shown, total, pages, page = application_search.page_of(rows, page_number(), HONOURS_PAGE)
    declared = [h for h in shown if h.status == HonourStatus.DECLARED]
    return render_template("admin/honours.html", rows=shown, total=total, pages=pages, page=page,
                           minutes=qualified_minutes.counts_of(declared),
                           kinds=HONOUR_LABELS, args=lambda n: urlencode({**args, "page": n}),
                           error=error, typed=typed or {}, proposals=list(revocation_proposals.pending(scope)))


@bp.route("/honours/award", methods=["POST"])
def award_honour():
    """Record a title by hand (e.g. a 市级 title the city conferred); a refusal shows the form
    again, still filled in."""
    require_district()
    try:
        return _award()
    except (ValidationFailed, InvalidState) as exc:
        return _register(exc.message, request.form), 400


def _award():
    """The registration the form asks for, then back to the register."""
    org = Org.get_or_none(Org.full_name == request.form.get("full_name", "").strip())
    if org is None or not g.scope.sees_org(org):
        raise ValidationFailed("找不到这个单位，请填写组织全称", key="full_name")
    year = form_int("year")
    if year is None:
        raise ValidationFailed("请填写年度", key="year")
    kind = request.form.get("kind", "")
    if kind not in set(HonourKind):
        raise ValidationFailed("请选择称号", key="kind")
    _announce(eligibility.award(org, HonourKind(kind), year, form_date("awarded_on", "授予日期", required=True)))
    flash(f"已为{org.full_name}登记{HONOUR_LABELS[HonourKind(kind)]}", "info")
    return redirect(url_for("admin.honours", q=org.full_name))


def _announce(honour):
    """Tell the org's chair and staff that a title became active or was revoked (or their 合格
    declaration refused), the district
    admins that a proposal to revoke it waits for them, and the 系统工会 admins how they answered."""
    now = utcnow()
    notices = (honour_events.honour_awarded(honour, now) + honour_events.honour_revoked(honour, now)
               + honour_events.declaration_refused(honour, now)
               + honour_events.revocation_proposed(honour, now, current_config().public_base_url)
               + honour_events.proposals_answered(honour, now))
    deliver_notices(redis(), notices)


@bp.route("/honours/<id:honour_id>", methods=["GET", "POST"])
def honour(honour_id):
    """One title: confirm a declared 合格 or refuse it with the reason, or record a 复验 (keep, or
    revoke with the reason)."""
    item = visible_honour(honour_id)
    if request.method == "POST":
        if request.form.get("action") == "decide":
            return _decide(item)
        if request.form.get("action") == "verify":
            _announce(qualified.verify_qualified(item, g.person))
            flash("已确认合格称号", "info")
            return redirect(url_for("admin.honour", honour_id=item.id))
        if request.form.get("action") == "refuse":
            return _refuse(item)
        keep, failed = request.form.get("keep") == "1", ()
        try:
            failed = form_ids("failed", honours_register.NOT_ON_CHECKLIST)
            honour = honours_register.record_reinspection(
                item, g.person, form_date("inspected_on", "复验日期", required=True), keep, failed,
                request.form.get("findings", ""))
        except ValidationFailed as exc:  # the page again, with the findings and boxes as typed
            return _honour_page(item, exc.message, request.form, failed), 400
        _announce(honour)
        proposed = not keep and honour.status == HonourStatus.ACTIVE  # not revoked: proposed to the district
        flash("已登记复验，撤销称号的建议已记录，由区总工会决定" if proposed else "已登记复验", "info")
        return redirect(url_for("admin.honour", honour_id=item.id))
    return _honour_page(item)


def _refuse(item):
    """Refuse a declared 合格 with the reason the chair is told; a refusal without one shows the page
    again, with what was typed."""
    try:
        _announce(qualified.refuse_declaration(item, g.person, request.form.get("reason", "")))
    except ValidationFailed as exc:
        return _honour_page(item, refuse_error=exc.message, typed=request.form), 400
    flash("已退回这项合格称号申报，并通知申报单位的工会主席", "info")
    return redirect(url_for("admin.honour", honour_id=item.id))


def _decide(item):
    """The district answers a proposal to revoke `item`: revoke it, or decline with the reason."""
    proposal = Reinspection.get_or_none(Reinspection.id == form_int("proposal"), Reinspection.honour == item)
    if proposal is None:
        abort(404, description=NOT_YOURS)
    revoke = request.form.get("decision") == "revoke"
    try:
        revocation_proposals.decide(proposal, g.person, revoke, request.form.get("note", ""))
    except (ValidationFailed, InvalidState) as exc:  # the page again, with the reason as typed
        return _honour_page(item, decide_error=exc.message, typed=request.form), 400
    _announce(Honour.get_by_id(item.id))
    flash("已撤销称号，并通知提出建议的系统工会" if revoke else "已决定不予撤销，并通知提出建议的系统工会", "info")
    return redirect(url_for("admin.honour", honour_id=item.id))


def _honour_page(item, error=None, typed=None, failed=(), decide_error=None, refuse_error=None):
    """One title's page; after a refused 复验 or answer to a proposal, its message and the form as
    it was filled in."""
    archive = honours_register.archive(item.org)
    return render_template("admin/honour.html", honour=item, checklist=honours_register.checklist_for(item),
                           reinspections=archive.reinspections.get(item.id, []), error=error,
                           typed=typed or {}, failed=set(failed),
                           may_revoke=eligibility.may_revoke(g.person, item),
                           proposals=revocation_proposals.pending_of(item), decide_error=decide_error,
                           refuse_error=refuse_error, minutes=qualified_minutes.minutes_of(item),
                           minutes_downloading=qualified_minutes.downloading(item))


@bp.route("/honours/city")
def city_candidates():
    """Holders of a 区级 title, who may apply for the 市级 one."""
    require_admin()
    return render_template("admin/city_candidates.html",
                           rows=honours_register.city_candidates(g.scope.org_condition(Org)))


@bp.route("/orgs/<id:org_id>/archive")
def org_archive(org_id):
    """建家活动基础档案: a unit's applications, honours, inspections and member evaluations."""
    org = visible_org(org_id)
    if not g.scope.sees_records_of(org):
        abort(404, description=NOT_YOURS)
    return render_template("admin/archive.html", archive=honours_register.archive(org))
