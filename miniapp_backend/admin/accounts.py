"""Admin accounts, created by 区总工会 admins for people holding a role on an org."""
from flask import flash, g, redirect, render_template, request, url_for

from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import require_district
from miniapp_backend.models import AdminAccount, Org, Person, Role
from miniapp_backend.services import admin_accounts
from miniapp_backend.services.errors import ValidationFailed


@bp.route("/accounts", methods=["GET", "POST"])
def accounts():
    """List accounts; create one (a new person with the chosen role) for an org by full name."""
    require_district()
    if request.method == "POST":
        org = Org.get_or_none(Org.full_name == request.form.get("full_name", "").strip())
        if org is None or not g.scope.sees_org(org):
            raise ValidationFailed("找不到这个组织，请填写组织全称", key="full_name")
        admin_accounts.require_district_admin_over(g.person, org)
        account = admin_accounts.create_admin(org, request.form.get("role", ""), request.form.get("name", ""),
                                              request.form.get("username", ""), request.form.get("password", ""),
                                              created_by=g.person)
        flash(f"已创建账号 {account.username}", "info")
        return redirect(url_for("admin.accounts"))
    rows = list(AdminAccount.select(AdminAccount, Person).join(Person, on=(AdminAccount.person == Person.id))
                .order_by(AdminAccount.username))
    roles = {}
    for role in Role.select(Role, Org).join(Org).where(Role.person.in_([a.person_id for a in rows])):
        roles.setdefault(role.person_id, []).append(role)
    return render_template("admin/accounts.html", rows=rows, roles=roles,
                           role_kinds=admin_accounts.ROLE_ORG_KINDS)
