"""What the stand-in plays: the two apps, the callback target, Tencent's lifetimes and limits."""
import dataclasses
from dataclasses import dataclass


@dataclass
class StandinSettings:
    """Stand-in settings; the defaults match the test suite's TEST_WECHAT."""

    official_appid: str = "wx0000000000000001"
    official_secret: str = "standin-secret-official"
    miniapp_appid: str = "wx0000000000000002"
    miniapp_secret: str = "standin-secret-miniapp"
    callback_url: str = ""
    token: str = "standintoken"
    aes_key: str = ""
    account_id: str = "gh_standin0001"
    verified_service: bool = True
    token_lifetime: int = 7200
    token_grace: int = 300
    code_lifetime: int = 300
    media_lifetime: int = 3 * 24 * 3600
    permanent_qrcode_limit: int = 100_000
    callback_timeout: float = 5.0
    miniapp_pages: tuple = ()  # empty: any page passes getwxacodeunlimit's check_path

    @classmethod
    def from_env(cls, env, **overrides):
        """Settings from the product's own variable names, so one environment drives both."""
        names = {"official_appid": "WECHAT_APPID", "official_secret": "WECHAT_SECRET",
                 "token": "WECHAT_TOKEN", "aes_key": "WECHAT_AES_KEY",
                 "miniapp_appid": "MINIAPP_APPID", "miniapp_secret": "MINIAPP_SECRET"}
        values = {field: env[var] for field, var in names.items() if env.get(var)}
        if env.get("WECHAT_ACCOUNT_KIND"):
            values["verified_service"] = env["WECHAT_ACCOUNT_KIND"] == "service_verified"
        values.update({key: value for key, value in overrides.items() if value is not None})
        return cls(**values)

    def update(self, changes):
        """Apply JSON changes, coerced to the fields' types; KeyError for an unknown name."""
        types = {field.name: type(field.default) for field in dataclasses.fields(self)}
        for name, value in changes.items():
            if name not in types:
                raise KeyError(name)
            setattr(self, name, types[name](value))

    def appid_of(self, kind):
        """The appid playing `kind` ("official" or "miniapp")."""
        return self.official_appid if kind == "official" else self.miniapp_appid
