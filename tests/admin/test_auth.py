"""Sign-in: password hashes, cookie flags, CSRF on forms, lock-out, the create-admin command."""
import dataclasses

from miniapp_backend.app import create_app
from miniapp_backend.models import AdminAccount, Role, RoleKind
from miniapp_backend.services.admin_accounts import MAX_FAILURES
from tests.admin.helpers import PASSWORD, csrf_of, sign_in


def test_pages_need_sign_in_and_passwords_are_hashed(web, admin_world):
    response = web.get("/admin/applications")
    assert response.status_code == 302 and "/admin/login" in response.headers["Location"]
    stored = AdminAccount.get(AdminAccount.username == "district").password_hash
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    response = sign_in(web, "district")
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    assert web.get("/admin/applications").status_code == 200


def test_cookie_is_secure_when_the_site_is_https(admin_config, db, redis_client, admin_world):
    app = create_app(dataclasses.replace(admin_config, public_base_url="https://zgzj.example.cn"))
    response = sign_in(app.test_client(), "district")
    assert "Secure" in response.headers["Set-Cookie"]


def test_forms_without_the_csrf_token_are_refused(web, admin_world):
    sign_in(web, "district")
    response = web.post("/admin/logout", data={})
    assert response.status_code == 400 and "表单已过期" in response.get_data(as_text=True)
    response = web.post("/admin/login", data={"username": "district", "password": PASSWORD})
    assert response.status_code == 400


def test_repeated_failures_lock_the_account_even_for_the_right_password(web, admin_world):
    for _ in range(MAX_FAILURES):
        response = sign_in(web, "system", "wrong-password-123")
        assert response.status_code == 401
    response = sign_in(web, "system")
    assert response.status_code == 401 and "锁定" in response.get_data(as_text=True)
    assert sign_in(web, "district").status_code == 302  # other accounts are unaffected


def test_sign_in_follows_only_admin_paths(web, admin_world):
    token = csrf_of(web)
    response = web.post("/admin/login", data={"username": "district", "password": PASSWORD, "csrf_token": token,
                                              "next": "https://evil.example/x"})
    assert response.headers["Location"].endswith("/admin/")


def test_create_admin_command(admin_app, admin_world):
    runner = admin_app.test_cli_runner()
    result = runner.invoke(args=["create-admin", admin_world.other_system.full_name, "--role", "system_admin",
                                 "--name", "冯雪", "--username", "yanshan", "--password", "long-enough-pw"])
    assert result.exit_code == 0, result.output
    account = AdminAccount.get(AdminAccount.username == "yanshan")
    assert Role.get(Role.person == account.person_id).kind == RoleKind.SYSTEM_ADMIN
    result = runner.invoke(args=["create-admin", admin_world.unit.full_name, "--role", "system_admin",
                                 "--name", "x", "--username", "bad", "--password", "long-enough-pw"])
    assert result.exit_code == 1 and "不能设置这种管理角色" in result.output


def test_district_admin_creates_accounts_system_admin_cannot(web, admin_world):
    sign_in(web, "district")
    token = csrf_of(web, "/admin/accounts")
    web.post("/admin/accounts", data={"csrf_token": token, "full_name": admin_world.other_system.full_name,
                                      "role": "system_admin", "name": "冯雪", "username": "fengxue",
                                      "password": "long-enough-pw"})
    assert AdminAccount.get_or_none(AdminAccount.username == "fengxue") is not None
    other = web.application.test_client()
    sign_in(other, "system")
    assert other.get("/admin/accounts").status_code == 403
