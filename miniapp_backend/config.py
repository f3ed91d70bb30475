"""Configuration from the environment, with embedded defaults for a fresh machine."""
import os
import secrets
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from miniapp_backend.clock import OFFSET_DAYS_ENV

PROJECT_ROOT = Path(__file__).resolve().parent.parent

ACCOUNT_KINDS = ("service_verified", "subscription")
MAX_PROXIES = 5  # nginx, a load balancer, a CDN … more hops than this is a typo
# Answer writes return their row (INSERT/UPDATE … RETURNING), which SQLite has since 3.35.
MIN_SQLITE = (3, 35, 0)


class ConfigError(RuntimeError):
    """A setting is wrong or missing; the message names it in one line."""


def _var_dir(env):
    """The folder for embedded state (SQLite file, Redis socket and AOF, secrets, files)."""
    return Path(env.get("VAR_DIR") or PROJECT_ROOT / "var").resolve()


def _secret_key(env, var_dir, production):
    """SECRET_KEY from the environment, or one generated once into var/ for development."""
    if env.get("SECRET_KEY"):
        return env["SECRET_KEY"]
    if production:
        raise ConfigError("SECRET_KEY: required when APP_ENV=production")
    path = var_dir / "secret_key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        # O_EXCL so two processes starting together keep one key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as out:
                out.write(secrets.token_hex(32))
        except FileExistsError:
            pass
    return path.read_text().strip()


@dataclass(frozen=True)
class Config:
    """Every setting the product reads; built once by `Config.from_env`."""

    app_env: str
    var_dir: Path
    database_url: str
    redis_url: str
    redis_embedded: bool
    secret_key: str
    public_base_url: str
    wechat_appid: str = ""
    wechat_secret: str = ""
    wechat_token: str = ""
    wechat_aes_key: str = ""
    wechat_account_kind: str = "service_verified"
    miniapp_appid: str = ""
    miniapp_secret: str = ""
    wechat_api_base_url: str = ""
    storage_dir: Path = field(default=Path("."))
    timezone: str = "Asia/Shanghai"
    trusted_proxy_count: int = 0

    @property
    def production(self):
        """True when running with APP_ENV=production."""
        return self.app_env == "production"

    @property
    def verified_service_account(self):
        """Template messages and parametric QR codes need a verified 服务号."""
        return self.wechat_account_kind == "service_verified"

    @classmethod
    def from_env(cls, env=None, **overrides):
        """Read and check every setting; raise ConfigError naming the first bad one."""
        env = dict(os.environ if env is None else env)
        env.update({k.upper(): str(v) for k, v in overrides.items()})
        app_env = env.get("APP_ENV", "development")
        if app_env not in ("development", "production", "test"):
            raise ConfigError(f"APP_ENV: must be development, production or test, not {app_env!r}")
        production = app_env == "production"
        var_dir = _var_dir(env)
        database_url = env.get("DATABASE_URL") or f"sqlite:///{var_dir / 'app.db'}"
        if not database_url.startswith(("sqlite:///", "postgresql://", "postgres://")):
            raise ConfigError("DATABASE_URL: must start with sqlite:/// or postgresql://")
        if database_url.startswith("sqlite:///") and sqlite3.sqlite_version_info < MIN_SQLITE:
            raise ConfigError(f"DATABASE_URL: SQLite {sqlite3.sqlite_version} is too old, 3.35 or later is needed "
                              "(or use PostgreSQL)")
        redis_url = env.get("REDIS_URL", "")
        if production and not redis_url:
            raise ConfigError("REDIS_URL: required when APP_ENV=production")
        if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ConfigError("REDIS_URL: must start with redis://, rediss:// or unix://")
        kind = env.get("WECHAT_ACCOUNT_KIND", "service_verified")
        if kind not in ACCOUNT_KINDS:
            raise ConfigError(f"WECHAT_ACCOUNT_KIND: must be one of {', '.join(ACCOUNT_KINDS)}")
        aes_key = env.get("WECHAT_AES_KEY", "")
        if aes_key and len(aes_key) != 43:
            raise ConfigError("WECHAT_AES_KEY: an EncodingAESKey has exactly 43 characters")
        proxies = env.get("TRUSTED_PROXY_COUNT", "0").strip()
        if not proxies.isdigit() or int(proxies) > MAX_PROXIES:
            raise ConfigError(f"TRUSTED_PROXY_COUNT: the number of reverse proxies in front of the app, "
                              f"0 to {MAX_PROXIES}, not {proxies!r}")
        if production:
            for name in ("WECHAT_APPID", "WECHAT_SECRET", "WECHAT_TOKEN", "PUBLIC_BASE_URL"):
                if not env.get(name):
                    raise ConfigError(f"{name}: required when APP_ENV=production")
            if env.get(OFFSET_DAYS_ENV):
                raise ConfigError(f"{OFFSET_DAYS_ENV}: the offline demo's clock, not allowed when "
                                  "APP_ENV=production")
        return cls(
            app_env=app_env,
            var_dir=var_dir,
            database_url=database_url,
            redis_url=redis_url or f"unix://{var_dir / 'redis' / 'redis.sock'}",
            redis_embedded=not redis_url,
            secret_key=_secret_key(env, var_dir, production),
            public_base_url=(env.get("PUBLIC_BASE_URL") or "http://127.0.0.1:8000").rstrip("/"),
            wechat_appid=env.get("WECHAT_APPID", ""),
            wechat_secret=env.get("WECHAT_SECRET", ""),
            wechat_token=env.get("WECHAT_TOKEN", ""),
            wechat_aes_key=aes_key,
            wechat_account_kind=kind,
            miniapp_appid=env.get("MINIAPP_APPID", ""),
            miniapp_secret=env.get("MINIAPP_SECRET", ""),
            wechat_api_base_url=env.get("WECHAT_API_BASE_URL", "").rstrip("/"),
            storage_dir=Path(env.get("STORAGE_DIR") or var_dir / "files").resolve(),
            trusted_proxy_count=int(proxies),
        )
