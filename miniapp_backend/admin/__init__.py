"""The admin web (/admin): server-rendered pages for district, 系统工会 and 基层 reviewers."""
from miniapp_backend.admin import (  # noqa: F401  (each module adds its routes to bp)
    accounts, applications, auth, broadcasts, dashboard, exports, honours, operations, orgs, review, selection,
    stations)
from miniapp_backend.admin.blueprint import bp

__all__ = ["bp"]
