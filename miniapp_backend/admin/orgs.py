"""Organisations: the tree one level at a time, XLSX import, bulk invites, who is bound."""
import tempfile
from pathlib import Path
from urllib.parse import urlencode

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import int_arg, page_number, require_district, visible_org
from miniapp_backend.models import ROLE_LABELS, Org, RoleKind
from miniapp_backend.services import application_search, nearby, org_directory, people
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.services.importer import STATIONS, import_workbook
from miniapp_backend.services.orgs import BASE_UNION_KINDS
from miniapp_backend.services.permissions import administers, has_role

UNITS_PAGE = 50
MAX_UPLOAD = 10 * 1024 * 1024


@bp.route("/orgs")
def orgs():
    """The tree: the admin's own orgs, or the children of ?parent=; or a name search."""
    text = request.args.get("q", "").strip()[:50]
    parent = visible_org(int_arg("parent")) if request.args.get("parent") else None
    if text:
        children = org_directory.search(g.scope.org_condition(Org), text)
    elif parent is not None:
        children = org_directory.children(parent)
    else:
        children = g.scope.admin_orgs + g.scope.chair_orgs
    return render_template("admin/orgs.html", parent=parent, children=children, text=text,
                           bound=org_directory.bound_people(children),
                           trail=org_directory.trail(parent) if parent else [])


def _may_invite(org):
    """系统工会/区总工会 admins over `org`, or the chair of a 基层 union for its own 分会/小组."""
    return administers(g.person, org) or (org.kind in BASE_UNION_KINDS
                                          and has_role(g.person, org, (RoleKind.CHAIR,)))


def _own_only(org):
    """A chair (not an admin over `org`) deals with its own 分会/小组 only: a union nested below
    a 联合工会 files on its own, and its chair's code would let this chair become its chair."""
    return not administers(g.person, org)


@bp.route("/orgs/<id:org_id>/invites", methods=["POST"])
def invites(org_id):
    """One fresh chair invite code for every unit below the org whose chair has not bound yet."""
    org = visible_org(org_id)
    if not _may_invite(org):
        abort(403, description="只有上级工会管理员或本单位工会主席可以批量生成邀请码")
    codes, skipped = people.invite_subtree(org, RoleKind.CHAIR, created_by=g.person, own_only=_own_only(org))
    if not codes and skipped:
        raise ValidationFailed(f"“{org.full_name}”下的{skipped}个单位都已有工会主席绑定，没有生成新的邀请码", key="org")
    if not codes:
        raise ValidationFailed(f"“{org.full_name}”下没有可发邀请码的单位", key="org")
    return render_template("admin/invites.html", org=org, codes=codes, skipped=skipped)


@bp.route("/orgs/<id:org_id>/binding")
def binding(org_id):
    """Units below the org: whose chair has bound, and the open invite code of those who have not."""
    org = visible_org(org_id)
    if not administers(g.person, org) and not has_role(g.person, org, (RoleKind.CHAIR,)):
        # Open invite codes are on this page: a chair reads its own union's only.
        abort(403, description="只有上级工会管理员或本单位工会主席可以查看绑定情况")
    only_unbound = request.args.get("unbound") == "1"
    units = org_directory.units_below(org, only_unbound, own_only=_own_only(org))
    rows, total, pages, page = application_search.page_of(units, page_number(), UNITS_PAGE)
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/binding.html", org=org, rows=rows, total=total, pages=pages,
                           page=page, bound=org_directory.bound_people(rows),
                           open_codes=org_directory.open_invites([*rows, org]), only_unbound=only_unbound,
                           may_invite=_may_invite(org), may_remove=administers(g.person, org),
                           own=org_directory.bound_people([org]).get(org.id, []),
                           chairs_here=has_role(g.person, org, (RoleKind.CHAIR,)),
                           args=lambda n: urlencode({**args, "page": n}))


@bp.route("/orgs/<id:org_id>/roles/<id:role_id>/remove", methods=["POST"])
def remove_role(org_id, role_id):
    """Remove a chair's or staff member's binding (a chair who left office), back to the binding page."""
    org = visible_org(org_id)
    removal = people.remove_role(g.person, role_id, revoke_codes=request.form.get("revoke_codes") == "1")
    label = ROLE_LABELS[RoleKind(removal.kind)]
    flash(f"已解除{removal.name}的{label}绑定（{removal.org.full_name}）", "info")
    if removal.revoked_codes:
        flash(f"已作废该单位未使用的{label}邀请码：{'、'.join(removal.revoked_codes)}", "info")
    if removal.kind == RoleKind.CHAIR and not removal.chairs_left:
        flash(f"“{removal.org.full_name}”现在没有已绑定的工会主席：新主席用邀请码绑定之前，没有人能提交或撤回申报", "warning")
    return redirect(url_for("admin.binding", org_id=org.id))


@bp.route("/orgs/import", methods=["GET", "POST"])
def import_orgs():
    """Upload the XLSX workbook; every row or none is written, with a row-level error report;
    the nearby index follows imported stations."""
    require_district()
    if request.method == "GET":
        return render_template("admin/import.html", result=None)
    upload = request.files.get("workbook")
    if upload is None or not upload.filename.lower().endswith(".xlsx"):
        raise ValidationFailed("请选择 .xlsx 格式的导入文件", key="workbook")
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise ValidationFailed("导入文件不能超过10MB", key="workbook")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "import.xlsx"
        path.write_bytes(data)
        result = import_workbook(path, created_by=g.person)
    if result.created[STATIONS] or result.updated[STATIONS]:
        # The nearby index carries what listings show: imported stations reach it by a rebuild.
        nearby.rebuild(current_app.extensions["redis"])
    return render_template("admin/import.html", result=result)
