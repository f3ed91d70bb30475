"""Configuration: embedded defaults, and one clear line naming a wrong setting."""
import sqlite3

import pytest

from miniapp_backend.config import Config, ConfigError


def test_defaults_are_embedded(tmp_path):
    config = Config.from_env({"VAR_DIR": str(tmp_path)})
    assert config.database_url == f"sqlite:///{tmp_path / 'app.db'}"
    assert config.redis_embedded and config.redis_url == f"unix://{tmp_path / 'redis' / 'redis.sock'}"
    assert config.secret_key == Config.from_env({"VAR_DIR": str(tmp_path)}).secret_key  # kept in var/
    assert config.trusted_proxy_count == 0
    assert Config.from_env({"VAR_DIR": str(tmp_path), "TRUSTED_PROXY_COUNT": "1"}).trusted_proxy_count == 1


@pytest.mark.parametrize("env, named", [
    ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
    ({"REDIS_URL": "http://x"}, "REDIS_URL"),
    ({"WECHAT_AES_KEY": "short"}, "WECHAT_AES_KEY"),
    ({"WECHAT_ACCOUNT_KIND": "whatever"}, "WECHAT_ACCOUNT_KIND"),
    ({"TRUSTED_PROXY_COUNT": "nginx"}, "TRUSTED_PROXY_COUNT"),
    ({"TRUSTED_PROXY_COUNT": "-1"}, "TRUSTED_PROXY_COUNT"),
    ({"TRUSTED_PROXY_COUNT": "99"}, "TRUSTED_PROXY_COUNT"),
    ({"APP_ENV": "production"}, "REDIS_URL"),
    ({"APP_ENV": "production", "REDIS_URL": "redis://h"}, "WECHAT_APPID"),
    ({"APP_ENV": "production", "REDIS_URL": "redis://h", "WECHAT_APPID": "a", "WECHAT_SECRET": "b",
      "WECHAT_TOKEN": "c", "PUBLIC_BASE_URL": "https://x"}, "SECRET_KEY"),
    ({"APP_ENV": "production", "REDIS_URL": "redis://h", "WECHAT_APPID": "a", "WECHAT_SECRET": "b",
      "WECHAT_TOKEN": "c", "PUBLIC_BASE_URL": "https://x", "DEMO_CLOCK_OFFSET_DAYS": "-3000"},
     "DEMO_CLOCK_OFFSET_DAYS"),
])
def test_a_wrong_setting_is_named(tmp_path, env, named):
    with pytest.raises(ConfigError) as err:
        Config.from_env({"VAR_DIR": str(tmp_path), **env})
    assert str(err.value).startswith(named + ":")
    assert "\n" not in str(err.value)


def test_an_sqlite_without_returning_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 31, 1))
    with pytest.raises(ConfigError, match="^DATABASE_URL: SQLite .* 3.35 or later"):
        Config.from_env({"VAR_DIR": str(tmp_path)})
    assert Config.from_env({"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgresql://localhost/x"})
