"""Admin web accounts: creating them for a person with a role, checking passwords, lock-out."""
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import IntegrityError

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models import AdminAccount, OrgKind, Person, RoleKind
from miniapp_backend.services.errors import PermissionDenied, ValidationFailed
from miniapp_backend.services.people import grant_role
from miniapp_backend.services.permissions import orgs_where, require

USERNAME_RE = re.compile(r"[A-Za-z0-9_.\-]{3,40}")
PASSWORD_MIN = 10
MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60
# Which role an admin account may be given on which kind of org.
ROLE_ORG_KINDS = {
    RoleKind.DISTRICT_ADMIN: (OrgKind.DISTRICT,),
    RoleKind.SYSTEM_ADMIN: (OrgKind.SYSTEM,),
    RoleKind.CHAIR: (OrgKind.GRASSROOTS, OrgKind.JOINT),
}
BAD_CREDENTIALS = "用户名或密码错误"
LOCKED = f"连续{MAX_FAILURES}次密码错误，账号已暂时锁定，请{LOCK_SECONDS // 60}分钟后再试"

_hasher = PasswordHasher()


def hash_password(password):
    """An argon2id hash of `password` after checking its length."""
    if len(password or "") < PASSWORD_MIN:
        raise ValidationFailed(f"密码至少{PASSWORD_MIN}位", key="password")
    return _hasher.hash(password)


def create_account(person, username, password, created_by=None):
    """A sign-in account for `person`; refuse a malformed or taken username."""
    username = (username or "").strip()
    if not USERNAME_RE.fullmatch(username):
        raise ValidationFailed("用户名为3到40位字母、数字或 _ . -", key="username")
    password_hash = hash_password(password)
    try:
        with database.atomic():
            return AdminAccount.create(person=person, username=username, password_hash=password_hash,
                                       created_by=created_by)
    except IntegrityError:
        raise ValidationFailed(f"用户名“{username}”已被使用，或此人已有账号", key="username") from None


def create_admin(org, role, name, username, password, created_by=None):
    """A new person holding `role` on `org`, with a sign-in account; return the account."""
    if role not in ROLE_ORG_KINDS:
        raise ValidationFailed("请选择管理角色：区总工会管理员、系统工会管理员或基层工会主席", key="role")
    role = RoleKind(role)
    if org.kind not in ROLE_ORG_KINDS[role]:
        raise ValidationFailed(f"“{org.full_name}”不能设置这种管理角色", key="role")
    if not (name or "").strip():
        raise ValidationFailed("请填写姓名", key="name")
    with database.atomic():
        person = Person.create(name=name.strip())
        grant_role(person, org, role)
        return create_account(person, username, password, created_by)


def require_district_admin_over(person, org):
    """Only a 区总工会 admin whose tree holds `org` may create accounts there."""
    require(any(d.contains(org) for d in orgs_where(person, (RoleKind.DISTRICT_ADMIN,))),
            "只有区总工会管理员可以创建账号")


def check_password(account, password):
    """True when `password` matches; upgrades the hash when argon2's parameters changed."""
    try:
        _hasher.verify(account.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False
    if _hasher.check_needs_rehash(account.password_hash):
        AdminAccount.update(password_hash=_hasher.hash(password)).where(
            AdminAccount.id == account.id).execute()
    return True


def _spend_like_a_check(password):
    """Verify against a throwaway hash so an unknown username takes as long as a wrong password."""
    if "dummy" not in _DUMMY:
        _DUMMY["dummy"] = _hasher.hash("not-a-real-password")
    try:
        _hasher.verify(_DUMMY["dummy"], password or "")
    except VerificationError:
        pass


_DUMMY = {}


class LoginThrottle:
    """Failed sign-ins counted per username in Redis; enough of them lock it for a while."""

    def __init__(self, redis):
        """Count in `redis` (shared by every web process)."""
        self.redis = redis

    def _key(self, username):
        """The counter's key (usernames are case-sensitive, spaces stripped)."""
        return f"zgzj:admin:login-failures:{username.strip()}"

    def locked(self, username):
        """True while `username` has too many recent failures."""
        return int(self.redis.get(self._key(username)) or 0) >= MAX_FAILURES

    def failed(self, username):
        """Count one failure; the window restarts with each one."""
        key = self._key(username)
        pipe = self.redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, LOCK_SECONDS)
        pipe.execute()

    def clear(self, username):
        """Forget failures after a good sign-in."""
        self.redis.delete(self._key(username))


def authenticate(throttle, username, password):
    """The account for these credentials; PermissionDenied (same text for every miss) otherwise."""
    if throttle.locked(username):
        raise PermissionDenied(LOCKED)
    account = AdminAccount.by_username(username or "")
    if account is None:
        _spend_like_a_check(password)
    if account is None or not check_password(account, password):
        throttle.failed(username or "")
        raise PermissionDenied(LOCKED if throttle.locked(username) else BAD_CREDENTIALS)
    throttle.clear(username)
    AdminAccount.update(last_login_at=utcnow()).where(AdminAccount.id == account.id).execute()
    return account
