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


def test_usernames_are_one_name_in_any_letter_case(web, admin_world):
    sign_in(web, "district")
    token = csrf_of(web, "/admin/accounts")
    form = {"csrf_token": token, "full_name": admin_world.other_system.full_name, "role": "system_admin",
            "name": "高峰", "password": "long-enough-pw"}
    web.post("/admin/accounts", data={**form, "username": "Gao"})
    refused = web.post("/admin/accounts", data={**form, "username": "GAO", "name": "高山"})
    assert [a.username for a in AdminAccount.select().where(AdminAccount.username.contains("ao"))] == ["gao"]
    html = refused.get_data(as_text=True)  # the form again, with what was typed (not the password)
    assert refused.status_code == 400 and "用户名“gao”已被使用（不区分大小写）" in html
    assert 'value="高山"' in html and 'value="GAO"' in html and "long-enough-pw" not in html
    other = web.application.test_client()
    assert sign_in(other, "GAO", "long-enough-pw").status_code == 302


def test_an_admin_changes_their_own_password_and_other_sessions_end(web, admin_world):
    sign_in(web, "system")
    elsewhere = web.application.test_client()
    sign_in(elsewhere, "system")
    token = csrf_of(web, "/admin/password")
    for form, message in (({"current": "wrong-password-1", "new": "a-new-long-pw", "repeated": "a-new-long-pw"},
                           "当前密码不正确"),
                          ({"current": PASSWORD, "new": "a-new-long-pw", "repeated": "a-new-long-px"},
                           "两次输入的新密码不一致"),
                          ({"current": PASSWORD, "new": "short", "repeated": "short"}, "密码至少10位")):
        response = web.post("/admin/password", data={**form, "csrf_token": token})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = web.post("/admin/password", data={"csrf_token": token, "current": PASSWORD,
                                                 "new": "a-new-long-pw", "repeated": "a-new-long-pw"})
    assert response.status_code == 302
    assert web.get("/admin/applications").status_code == 200  # this session goes on
    assert elsewhere.get("/admin/applications").status_code == 302  # the other one has ended
    assert sign_in(web.application.test_client(), "system").status_code == 401
    assert sign_in(web.application.test_client(), "system", "a-new-long-pw").status_code == 302


def test_district_admin_resets_and_deactivates_accounts(web, admin_world):
    system = AdminAccount.get(AdminAccount.username == "system")
    theirs = web.application.test_client()
    sign_in(theirs, "system")
    assert theirs.post(f"/admin/accounts/{system.id}/reset",
                       data={"csrf_token": csrf_of(theirs, "/admin/applications")}).status_code == 403
    sign_in(web, "district")
    token = csrf_of(web, "/admin/accounts")
    response = web.post(f"/admin/accounts/{system.id}/reset", data={"csrf_token": token})
    assert response.status_code == 302  # to a page that shows it once, so reloading resets nothing
    shown = web.get(response.headers["Location"])
    html = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "此密码只显示这一次" in html and shown.headers["Cache-Control"] == "no-store"
    new_password = html.split("<code>")[1].split("</code>")[0]
    assert len(new_password) >= 10 and new_password not in web.get("/admin/accounts").get_data(as_text=True)
    again = web.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert new_password not in again and "新密码只显示一次" in again
    assert theirs.get("/admin/applications").status_code == 302  # the old session ended
    sign_in(theirs, "system", new_password)
    assert theirs.get("/admin/applications").status_code == 200
    web.post(f"/admin/accounts/{system.id}/active", data={"csrf_token": token, "active": "0"})
    assert theirs.get("/admin/applications").status_code == 302  # signed out at once
    response = sign_in(theirs, "system", new_password)
    assert response.status_code == 401 and "此账号已停用" in response.get_data(as_text=True)
    district = AdminAccount.get(AdminAccount.username == "district")
    web.post(f"/admin/accounts/{district.id}/active", data={"csrf_token": token, "active": "0"})
    assert "不能停用自己正在使用的账号" in web.get("/admin/accounts").get_data(as_text=True)
    web.post(f"/admin/accounts/{system.id}/active", data={"csrf_token": token, "active": "1"})
    assert sign_in(theirs, "system", new_password).status_code == 302


def test_a_left_open_session_cannot_guess_the_current_password(web, admin_world):
    sign_in(web, "system")
    token = csrf_of(web, "/admin/password")
    guess = {"csrf_token": token, "new": "a-new-long-pw", "repeated": "a-new-long-pw"}
    for attempt in range(5):
        assert "当前密码不正确" in web.post("/admin/password", data={**guess, "current": f"guess-{attempt}"}).get_data(
            as_text=True)
    locked = web.post("/admin/password", data={**guess, "current": PASSWORD})  # right, but too late
    assert locked.status_code == 400 and "账号已暂时锁定" in locked.get_data(as_text=True)
    assert sign_in(web.application.test_client(), "system", "a-new-long-pw").status_code == 401


def test_a_chair_account_belongs_to_the_chair_bound_in_wechat(web, admin_world):
    """A unit has one 工会主席: the account is theirs, not a second chair's."""
    sign_in(web, "district")
    token = csrf_of(web, "/admin/accounts")
    form = {"csrf_token": token, "role": "chair", "name": "某某", "password": "long-enough-pw"}
    created = web.post("/admin/accounts", data={**form, "full_name": admin_world.other_unit.full_name,
                                                "username": "yanshan.chair"})
    assert created.status_code == 302
    assert AdminAccount.get(AdminAccount.username == "yanshan.chair").person_id == admin_world.other_chair.id
    assert Role.select().where(Role.org == admin_world.other_unit, Role.kind == RoleKind.CHAIR).count() == 1
    again = web.post("/admin/accounts", data={**form, "full_name": admin_world.other_unit.full_name,
                                              "username": "yanshan.chair2"})
    assert again.status_code == 400 and "的工会主席已有后台账号（用户名 yanshan.chair）" in again.get_data(as_text=True)


def test_a_form_with_a_nul_is_refused_with_a_message_and_writes_nothing(web, admin_world):
    # PostgreSQL cannot store U+0000: the account would have failed with a 500 there.
    sign_in(web, "district")
    token = csrf_of(web, "/admin/accounts")
    refused = web.post("/admin/accounts", data={"csrf_token": token, "full_name": admin_world.other_system.full_name,
                                                "role": "system_admin", "name": "冯\x00雪", "username": "fengxue",
                                                "password": "long-enough-pw"}, follow_redirects=True)
    assert refused.status_code == 200 and "空字符" in refused.get_data(as_text=True)
    assert AdminAccount.get_or_none(AdminAccount.username == "fengxue") is None


def test_a_form_address_opened_directly_and_unknown_pages_answer_in_chinese(web, admin_world):
    # After a refused form the address bar shows the form's address (…/decide); opening it again
    # or a mistyped address gave werkzeug's English page.
    assert web.get("/admin/nonexistent").status_code == 302  # signed out: to the sign-in page first
    sign_in(web, "district")
    opened = web.get("/admin/applications/1/decide")
    assert opened.status_code == 405 and opened.headers["Allow"] == "POST"
    assert "这个地址用于提交表单，不能直接打开" in opened.get_data(as_text=True)
    unknown = web.get("/admin/nonexistent")
    assert unknown.status_code == 404 and "没有这个页面" in unknown.get_data(as_text=True)
    assert "Not Found" not in unknown.get_data(as_text=True)
    assert web.get("/admin/logout").status_code == 405
    assert web.get("/admin/applications").status_code == 200


def test_an_unexpected_failure_shows_the_admin_page_in_chinese(admin_app, admin_world, tmp_path):
    from miniapp_backend.models import StoredFile
    from tests.admin.helpers import submitted
    submitted(admin_world, tmp_path)
    stored = StoredFile.get()
    for blob in (tmp_path / "files").rglob(stored.sha256):
        blob.unlink()  # the file store lost a file (a disk restored from an older backup)
    admin_app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in tests
    client = admin_app.test_client()
    sign_in(client, "district")
    failed = client.get(f"/admin/files/{stored.sha256}")
    assert failed.status_code == 500
    page = failed.get_data(as_text=True)
    assert "服务器出了点问题" in page and "Internal Server Error" not in page


def test_a_review_sent_after_the_session_changed_is_refused_with_what_was_typed_shown(web, admin_world, tmp_path):
    """Signed in again in another tab (a fresh session, a new token), or the session expired: the
    opinion and remarks written on the old page are shown to copy, never silently lost; the
    password typed is not echoed."""
    from miniapp_backend.models import Application, AppStatus
    from miniapp_backend.services import review
    from tests.admin.helpers import submitted
    app = submitted(admin_world, tmp_path)
    step = review.current_step(app)
    sign_in(web, "system")
    page = f"/admin/applications/{app.id}"
    stale = csrf_of(web, page)
    sign_in(web, "system")  # another tab
    response = web.post(f"{page}/decide", data={
        "csrf_token": stale, "decision": "return", "step": step.id, "opinion": "请补充会员活动照片<b>",
        "remark:model_home_checklist:item.5": "照片看不清", "rectify_deadline": "2018-06-01"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "表单已过期" in html
    assert "请补充会员活动照片&lt;b&gt;" in html and "照片看不清" in html and "2018-06-01" in html
    assert Application.get_by_id(app.id).status == AppStatus.SUBMITTED
    refused = web.post("/admin/password", data={"csrf_token": stale, "current": PASSWORD, "new": "another-horse-1",
                                                "repeated": "another-horse-1"})
    assert refused.status_code == 400 and PASSWORD not in refused.get_data(as_text=True)
    assert "another-horse-1" not in refused.get_data(as_text=True)
