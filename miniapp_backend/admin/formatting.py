"""Template filters for the admin pages: local times, money, labels."""
import datetime as dt

from miniapp_backend.clock import format_day, format_local, local_today, to_local
from miniapp_backend.free_text import count_chars
from miniapp_backend.models import (
    APP_STATUS_LABELS, HONOUR_LABELS, ORG_KIND_LABELS, ROLE_LABELS, STATION_STATUS_LABELS)
from miniapp_backend.models.admin_records import INSPECTION_RESULT_LABELS, SELECTION_STATUS_LABELS
from miniapp_backend.services.windows import status_text

STEP_STATUS_LABELS = {"pending": "待审核", "waiting": "未开始", "approved": "同意", "returned": "退回整改",
                      "rejected": "不予通过"}
LABELS = {
    "app_status": APP_STATUS_LABELS, "honour": HONOUR_LABELS, "org_kind": ORG_KIND_LABELS,
    "role": ROLE_LABELS, "station_status": STATION_STATUS_LABELS, "step_status": STEP_STATUS_LABELS,
    "inspection": INSPECTION_RESULT_LABELS, "selection_status": SELECTION_STATUS_LABELS,
    "honour_status": {"declared": "待确认", "active": "有效", "revoked": "已撤销", "refused": "未予确认"},
    "reinspection": {"kept": "保持称号", "revoked": "撤销称号", "proposed": "建议撤销（待区总工会决定）"},
    "proposal_decision": {"revoked": "建议撤销（区总工会已撤销）", "declined": "建议撤销（区总工会不予撤销）"},
}


def label(value, vocabulary):
    """The Chinese label of `value` in one of LABELS (the value itself when unknown)."""
    return LABELS[vocabulary].get(value, value) if value is not None else ""


def app_status(application):
    """An application's status as admins read it today (退回整改（已逾期） past its 整改截止)."""
    return status_text(application, local_today())


def reinspection(inspection):
    """A 复验's outcome; a proposal to revoke with the district's answer once it has one."""
    if inspection.decision:
        return label(inspection.decision, "proposal_decision")
    return label(inspection.kept, "reinspection")


def local_time(moment, pattern="%Y-%m-%d %H:%M"):
    """A stored UTC timestamp in Beijing time."""
    return format_local(moment, pattern)


def cn_day(value):
    """A date, a stored timestamp's Beijing day, or a date answer's ISO text, as 2018年6月30日
    (empty for None; other text as it is)."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return value
    return format_day(to_local(value).date() if isinstance(value, dt.datetime) else value)


def yuan(value):
    """An amount in 元 with thousands separators."""
    return f"{value:,}元" if value is not None else "—"


def register(app):
    """Add the filters to `app`'s Jinja environment."""
    # chars: a long text's 字 as the chair was told them (no line breaks), not its length.
    for name, func in (("label", label), ("local_time", local_time), ("cn_day", cn_day), ("yuan", yuan),
                       ("chars", count_chars), ("app_status", app_status), ("reinspection", reinspection)):
        app.add_template_filter(func, name)
