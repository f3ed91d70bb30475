"""Shapes and presenters several resources share: orgs, times, the error body."""
from miniapp_backend.api.schemas import Schema, integer, mapping, nullable, string
from miniapp_backend.clock import to_local
from miniapp_backend.models import ORG_KIND_LABELS, OrgKind

OrgRef = Schema("Org", {
    "id": integer("组织编号"),
    "full_name": string("全称"),
    "kind": string("层级", enum=[k.value for k in OrgKind]),
    "kind_label": string("层级名称"),
}, required=["id", "full_name", "kind", "kind_label"], closed=False)
ErrorBody = Schema("ErrorBody", {
    "code": string("错误代码", description="稳定的英文代码，如 forbidden、conflict、incomplete"),
    "message": string("说明", description="给用户看的中文说明"),
    "fields": mapping("逐字段说明", string("说明")),
    "details": {"type": "object", "title": "附加信息",
                "description": "冲突时的当前值与版本、缺少的内容清单等"},
}, required=["code", "message", "fields"], closed=False)
Error = Schema("Error", {"error": ErrorBody.ref}, required=["error"], closed=False)


def org_view(org):
    """An org as the mini-program shows it."""
    return {"id": org.id, "full_name": org.full_name, "kind": org.kind,
            "kind_label": ORG_KIND_LABELS[OrgKind(org.kind)]}


def moment(value):
    """A stored naive-UTC timestamp as ISO 8601 in Beijing time, or None."""
    return to_local(value).isoformat() if value else None


def day(value):
    """A date as ISO 8601, or None."""
    return value.isoformat() if value else None


def timestamp(title, description=""):
    """A date-time property (Beijing time, with offset)."""
    return nullable(string(title, fmt="date-time", description=description))


def date(title, description=""):
    """A date property."""
    return nullable(string(title, fmt="date", description=description))
