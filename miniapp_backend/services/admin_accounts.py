"""Admin web accounts: creating them for a person with a role, checking and changing passwords,
resetting and deactivating them, lock-out. Usernames are kept in lower case."""
import hashlib
import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from peewee import IntegrityError, fn

from miniapp_backend.clock import utcnow
from miniapp_backend.db import database
from miniapp_backend.models import AdminAccount, OrgKind, Person, Role, RoleKind
from miniapp_backend.services.errors import InvalidState, PermissionDenied, ValidationFailed
from miniapp_backend.services.people import grant_role
from miniapp_backend.services.permissions import is_district_admin_over, orgs_where, require

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
INACTIVE = "此账号已停用，请联系区总工会管理员"
DISTRICT_ONLY = "只有区总工会管理员可以重置密码或停用、启用账号"
LOCKED = f"连续{MAX_FAILURES}次密码错误，账号已暂时锁定，请{LOCK_SECONDS // 60}分钟后再试"

_hasher = PasswordHasher()


def hash_password(password):
    """An argon2id hash of `password` after checking its length."""
    if len(password or "") < PASSWORD_MIN:
        raise ValidationFailed(f"密码至少{PASSWORD_MIN}位", key="password")
    return _hasher.hash(password)


def normalize_username(username):
    """A username as stored and compared: stripped, lower case (`gao` and `GAO` are one name)."""
    return (username or "").strip().lower()


def create_account(person, username, password, created_by=None):
    """A sign-in account for `person`; refuse a malformed or taken username (in any letter case)."""
    username = normalize_username(username)
    if not USERNAME_RE.fullmatch(username):
        raise ValidationFailed("用户名为3到40位字母、数字或 _ . -", key="username")
    password_hash = hash_password(password)
    if AdminAccount.select().where(fn.LOWER(AdminAccount.username) == username).exists():
        raise ValidationFailed(f"用户名“{username}”已被使用（不区分大小写）", key="username")
    try:
        with database.atomic():
            return AdminAccount.create(person=person, username=username, password_hash=password_hash,
                                       created_by=created_by)
    except IntegrityError:
        raise ValidationFailed(f"用户名“{username}”已被使用，或此人已有账号", key="username") from None


def create_admin(org, role, name, username, password, created_by=None):
    """A sign-in account for `role` on `org`, return it: for a unit whose 工会主席 has bound in
    WeChat, that same person (a unit has one chair); otherwise a new person holding the role."""
    if role not in ROLE_ORG_KINDS:
        raise ValidationFailed("请选择管理角色：区总工会管理员、系统工会管理员或基层工会主席", key="role")
    role = RoleKind(role)
    if org.kind not in ROLE_ORG_KINDS[role]:
        raise ValidationFailed(f"“{org.full_name}”不能设置这种管理角色", key="role")
    if not (name or "").strip():
        raise ValidationFailed("请填写姓名", key="name")
    with database.atomic():
        person = _bound_chair(org) if role == RoleKind.CHAIR else None
        if person is None:
            person = Person.create(name=name.strip())
            grant_role(person, org, role)
        elif not person.name:
            person.name = name.strip()
            person.save(only=[Person.name])
        return create_account(person, username, password, created_by)


def _bound_chair(org):
    """The person bound as `org`'s 工会主席, if any; one who already has an account is refused."""
    chair = Person.select().join(Role).where(Role.org == org, Role.kind == RoleKind.CHAIR).first()
    if chair is not None:
        account = AdminAccount.get_or_none(AdminAccount.person == chair)
        if account is not None:
            raise ValidationFailed(f"“{org.full_name}”的工会主席已有后台账号（用户名 {account.username}）",
                                   key="username")
    return chair


def require_district_admin_over(person, org):
    """Only a 区总工会 admin whose tree holds `org` may create accounts there."""
    require(is_district_admin_over(person, org), "只有区总工会管理员可以创建账号")


def session_mark(account):
    """A short fingerprint of the account's password hash, kept in its sessions: a new password
    ends every session made under the old one."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def _set_password(account, password):
    """Store a new hash (length checked) on the account and return it."""
    account.password_hash = hash_password(password)
    account.save(only=[AdminAccount.password_hash])
    return account


def change_password(throttle, account, current, new, repeated):
    """The signed-in admin's own new password: the current one, then the new one twice. Wrong
    current passwords count with failed sign-ins, so a left-open session cannot guess it."""
    if throttle.locked(account.username):
        raise ValidationFailed(LOCKED, key="current")
    if not check_password(account, current):
        throttle.failed(account.username)
        raise ValidationFailed("当前密码不正确", key="current")
    throttle.clear(account.username)
    if new != repeated:
        raise ValidationFailed("两次输入的新密码不一致", key="repeated")
    if new == current:
        raise ValidationFailed("新密码不能与当前密码相同", key="new")
    return _set_password(account, new)


def require_district_admin_over_account(person, account):
    """Only a 区总工会 admin whose tree holds the account holder's orgs may manage the account."""
    districts = orgs_where(person, (RoleKind.DISTRICT_ADMIN,))
    held = [role.org for role in Role.select().where(Role.person == account.person_id)]
    require(districts and all(any(d.contains(org) for d in districts) for org in held), DISTRICT_ONLY)


def reset_password(person, account):
    """A new random password for `account`, returned once to show; its sessions end."""
    require_district_admin_over_account(person, account)
    password = secrets.token_urlsafe(9)  # 12 characters
    _set_password(account, password)
    return password


def set_active(person, account, active):
    """Deactivate (sessions end, sign-in refused) or reactivate an account; never one's own."""
    require_district_admin_over_account(person, account)
    if account.person_id == person.id and not active:
        raise InvalidState("不能停用自己正在使用的账号")
    account.active = bool(active)
    account.save(only=[AdminAccount.active])
    return account


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
        """The counter's key (any letter case counts for the same username)."""
        return f"zgzj:admin:login-failures:{normalize_username(username)}"

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
    if not account.active:
        raise PermissionDenied(INACTIVE)  # said only to someone who knows the password
    AdminAccount.update(last_login_at=utcnow()).where(AdminAccount.id == account.id).execute()
    return account
