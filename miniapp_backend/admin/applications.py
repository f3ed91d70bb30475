"""Applications: the filtered list, the paper-form detail, files, paper and funding marks, 现场验收."""
from urllib.parse import urlencode

from flask import abort, flash, g, redirect, render_template, request, send_file, url_for

from miniapp_backend.admin import files as admin_files
from miniapp_backend.admin import packets
from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import (
    campaign_in_view, filestore, form_date, form_int, kind_labels, page_number, rounds_of,
    visible_application)
from miniapp_backend.api import uploads
from miniapp_backend.api.errors import ApiError
from miniapp_backend.clock import local_today
from miniapp_backend.downloads import send_named, stored_file_name
from miniapp_backend.models import APP_STATUS_LABELS, Application, Org
from miniapp_backend.packets.build import packet_file_name
from miniapp_backend.models.admin_records import INSPECTION_RESULT_LABELS
from miniapp_backend.services import (
    acceptance, admin_actions, application_search as search, application_view, review, windows)
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.services.notices import application_title
from miniapp_backend.services.permissions import administers, can_review_as, is_district_admin_over
from miniapp_backend.services.org_groups import system_unions

MAX_INSPECTION_PHOTOS = 12


def list_context(campaign):
    """Filters, the current page of rows with their pending steps, and the choices for the form."""
    filters = search.Filters.from_args(request.args, campaign.id)
    rows, total, pages, page = search.page_of(search.query(g.scope, filters), page_number())
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return dict(campaign=campaign, filters=filters, rows=rows, total=total, pages=pages, page=page,
                steps=search.pending_steps(rows), labels=kind_labels(campaign), rounds=rounds_of(campaign),
                statuses={**APP_STATUS_LABELS, windows.OVERDUE: windows.OVERDUE_LABEL}, sorts=search.SORT_LABELS,
                systems=system_unions(g.scope.org_condition(Org)).values() if g.scope.is_admin else [],
                query_string=urlencode(args), args=lambda n: urlencode({**args, "page": n}))


@bp.route("/applications")
def applications():
    """Filter, sort and page the applications this admin sees."""
    return render_template("admin/applications.html", **list_context(campaign_in_view()))


@bp.route("/applications/<id:application_id>")
def application(application_id):
    """One application laid out like the paper forms, with the review form when it is this admin's turn."""
    return render_application(visible_application(application_id))


def render_application(app_, error=None, entered=None, inspection_error=None, funding_error=None):
    """The detail page; a refused review, 现场验收 or funding comes back with its error and the
    `entered` form values."""
    step = review.current_step(app_)
    may_decide = (step is not None and step.mode == "digital"
                  and can_review_as(g.person, step.org, step.level))
    return render_template("admin/application.html", step=step,
                           view=application_view.view(app_, g.scope.application_condition(Application, Org)),
                           may_decide=may_decide, labels=kind_labels(app_.campaign),
                           approval_blocked=review.approval_blocked(app_) if may_decide else "",
                           results=INSPECTION_RESULT_LABELS, packet_links=packets.links(app_),
                           packet_state=packets.state(app_), packet_failed=packets.failed(app_),
                           is_admin_over=administers(g.person, app_.org), accepted=acceptance.accepted(app_),
                           is_district=is_district_admin_over(g.person, app_.org),
                           review_error=error, inspection_error=inspection_error, funding_error=funding_error,
                           entered=entered or {},
                           today=local_today())


@bp.route("/applications/<id:application_id>/paper", methods=["POST"])
def paper_received(application_id):
    """Mark (or clear) 纸质件已收到."""
    app_ = visible_application(application_id)
    if not is_district_admin_over(g.person, app_.org):
        abort(403, description=admin_actions.PAPER_DISTRICT_ONLY)
    admin_actions.mark_paper_received(app_, g.person, request.form.get("received") == "1")
    flash("已登记纸质件" if app_.paper_received_at else "已取消纸质件登记", "info")
    return redirect(url_for("admin.application", application_id=app_.id))


@bp.route("/applications/<id:application_id>/funding", methods=["POST"])
def funding(application_id):
    """Record the amount actually granted."""
    app_ = visible_application(application_id)
    try:
        admin_actions.set_funding(app_, g.person, form_int("funding_yuan"))
    except ValidationFailed as exc:  # the page again, the amount still as typed
        return render_application(app_, entered=request.form, funding_error=exc.message), 400
    flash("已登记资金", "info")
    return redirect(url_for("admin.application", application_id=app_.id))


@bp.route("/applications/<id:application_id>/inspections", methods=["POST"])
def inspection(application_id):
    """Record a 现场验收 with its photos; a refusal shows the page again with the form filled in."""
    app_ = visible_application(application_id)
    try:
        admin_actions.record_inspection(app_, g.person, filestore(),
                                        form_date("inspected_on", "验收日期", required=True),
                                        request.form.get("inspectors", ""), request.form.get("findings", ""),
                                        request.form.get("result", "pending"), _inspection_photos())
    except ValidationFailed as exc:
        return render_application(app_, entered=request.form, inspection_error=exc.message), 400
    flash("已登记现场验收", "info")
    return redirect(url_for("admin.application", application_id=app_.id) + "#inspections")


def _inspection_photos():
    """(JPEG bytes, mime) of the uploaded photos, each decoded and re-encoded (EXIF dropped) the way
    the mini-program's uploads are; a file that is no photo, whatever it claims, is refused."""
    files = [f for f in request.files.getlist("photos") if f and f.filename][:MAX_INSPECTION_PHOTOS]
    photos = []
    for upload in files:
        try:
            photos.append((uploads.check_photo(upload.read()).data, uploads.JPEG_MIME))
        except ApiError as exc:
            raise ValidationFailed(f"现场照片“{upload.filename}”：{exc.message}（请重新选择照片）",
                                   key="photos") from None
    return photos


@bp.route("/applications/<id:application_id>/packet.<kind>")
def packet_file(application_id, kind):
    """The newest finished packet's PDF, DOCX or zip; one drawn by an older layout is compiled again
    and served meanwhile, with a note."""
    app_ = visible_application(application_id)
    if kind not in packets.PACKET_KINDS:  # not "尚未生成": no such file will ever be made
        abort(404, description="没有这种格式的材料包：材料包有PDF、Word和压缩包三种，请从申报页面的链接下载")
    packet = packets.latest(app_)
    if packet is None:
        abort(404, description="材料包尚未生成")
    name = packet_file_name(app_.org.full_name, application_title(app_), packet.version, kind)
    note = packets.refresh_outdated(app_, packet)
    if note:
        flash(note, "info")
    return send_named(packets.path_of(packet, kind), name, f"packet-{app_.id}-v{packet.version}.{kind}")


@bp.route("/applications/<id:application_id>/packet/retry", methods=["POST"])
def packet_retry(application_id):
    """Ask again for a packet whose automatic retries ran out (the cause fixed meanwhile)."""
    app_ = visible_application(application_id)
    packets.retry(app_)
    flash("已重新开始生成材料包，请稍后刷新本页", "info")
    return redirect(url_for("admin.application", application_id=app_.id))


@bp.route("/files/<sha256>")
def file(sha256):
    """A stored photo or scan, for admins who see an application using it (?size=thumb for a thumbnail)."""
    stored = admin_files.visible_file(sha256, g.scope)
    if stored is None:
        abort(404, description="找不到这个文件，或它不在您的管理范围内")
    if request.args.get("size") == "thumb" and stored.kind == "photo":
        return send_file(admin_files.thumbnail(filestore(), stored), mimetype="image/jpeg", max_age=86400)
    name = stored_file_name(stored)
    return send_named(filestore().path_for(stored.sha256), name, name, inline=True, mimetype=stored.mime,
                      max_age=86400)
