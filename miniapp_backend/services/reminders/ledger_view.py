"""The notice ledger for the admin web: what was sent, what failed (errcode), what was skipped (why).

`ledger(filters)` takes a plain dict so the admin handler can pass its query string through:
  status   sent | failed | skipped | unknown | pending | sending
  kind     notice kind: reminder, review_digest, status_changed, honour_changed, broadcast, … (KIND_LABELS)
  person   a person id
  key      a key prefix: "remind:", "digest:", "broadcast:<id>:", "status:<application id>:"
  errcode  a WeChat errcode (a failed row's, or the refusal that left a row skipped: 43101 …)
  since, until   naive UTC datetimes bounding created_at
  limit (default 100, at most 500), offset (default 0)
"""
from dataclasses import dataclass

from peewee import fn

from miniapp_backend.clock import format_local
from miniapp_backend.models import ROLE_LABELS, Notice, NoticeStatus, Org, Person, Role, RoleKind
from miniapp_backend.services.errors import ValidationFailed

DEFAULT_LIMIT, MAX_LIMIT = 100, 500
STATUS_LABELS = {NoticeStatus.PENDING: "待发送", NoticeStatus.SENDING: "发送中", NoticeStatus.SENT: "已发送",
                 NoticeStatus.FAILED: "发送失败", NoticeStatus.SKIPPED: "未发送", NoticeStatus.UNKNOWN: "结果未知"}
CHANNEL_LABELS = {"customer_service": "客服消息", "template": "模板消息", "subscribe": "订阅消息", "": ""}
KIND_LABELS = {"status_changed": "审核结果", "honour_changed": "称号变动", "packet_ready": "材料包已生成",
               "reminder": "截止提醒", "review_digest": "待审核汇总", "broadcast": "群发通知",
               "chat_media_failed": "图片接收失败", "handover": "转人工客服提示"}


@dataclass(frozen=True)
class LedgerEntry:
    """One ledger row as the admin web shows it (times already in Asia/Shanghai)."""

    id: int
    key: str
    kind: str
    person_id: int
    person_name: str
    person_orgs: str  # the units where the person is chair or staff: whom a notice is about
    status: str
    status_label: str
    channel: str
    channel_label: str
    errcode: int | None
    reason: str
    title: str
    text: str
    created_at: str
    sent_at: str


@dataclass(frozen=True)
class LedgerPage:
    """A page of the ledger, the total matching and the count per status."""

    total: int
    counts: dict
    entries: list


def _filtered(filters):
    """The Notice query for `filters`; ValidationFailed for an unknown status."""
    query = Notice.select()
    status = filters.get("status")
    if status:
        if status not in set(NoticeStatus):
            raise ValidationFailed(f"未知的发送状态“{status}”", key="status")
        query = query.where(Notice.status == status)
    conditions = {"kind": Notice.kind, "person": Notice.person, "errcode": Notice.errcode}
    for name, column in conditions.items():
        if filters.get(name) not in (None, ""):
            query = query.where(column == filters[name])
    if filters.get("key"):
        query = query.where(Notice.key.startswith(filters["key"]))
    if filters.get("since"):
        query = query.where(Notice.created_at >= filters["since"])
    if filters.get("until"):
        query = query.where(Notice.created_at < filters["until"])
    return query


def _entry(notice, names, orgs):
    """A LedgerEntry from a Notice row."""
    payload = notice.payload or {}
    return LedgerEntry(
        id=notice.id, key=notice.key, kind=notice.kind, person_id=notice.person_id,
        person_name=names.get(notice.person_id, ""), person_orgs=orgs.get(notice.person_id, ""),
        status=notice.status,
        status_label=STATUS_LABELS.get(notice.status, notice.status), channel=notice.channel,
        channel_label=CHANNEL_LABELS.get(notice.channel, notice.channel), errcode=notice.errcode,
        reason=notice.detail, title=payload.get("title", ""), text=payload.get("text", ""),
        created_at=format_local(notice.created_at), sent_at=format_local(notice.sent_at))


def ledger(filters):
    """Newest first: the matching rows of one page, the total and the counts per status."""
    limit = min(int(filters.get("limit") or DEFAULT_LIMIT), MAX_LIMIT)
    offset = int(filters.get("offset") or 0)
    query = _filtered(filters)
    counts = {row.status: row.n for row in _filtered({**filters, "status": None})
              .select(Notice.status, fn.COUNT(Notice.id).alias("n")).group_by(Notice.status)}
    rows = list(query.order_by(Notice.id.desc()).limit(limit).offset(offset))
    ids = {r.person_id for r in rows}
    names, orgs = recipient_names(ids), recipient_orgs(ids)
    return LedgerPage(total=query.count(), counts=counts, entries=[_entry(r, names, orgs) for r in rows])


def recipient_orgs(person_ids):
    """{person id: “unit、unit”}: the orgs where each is chair or staff."""
    found = {}
    for role in (Role.select(Role.person, Org.full_name).join(Org)
                 .where(Role.person.in_(set(person_ids)), Role.kind.in_([RoleKind.CHAIR, RoleKind.STAFF]))
                 .order_by(Role.id)):
        found.setdefault(role.person_id, []).append(role.org.full_name)
    return {person_id: "、".join(names) for person_id, names in found.items()}


def recipient_names(person_ids):
    """{person id: name}; a person who bound through WeChat and left no name is shown by their roles
    (“工会主席 · <org>”), else by number."""
    names = {p.id: p.name for p in Person.select(Person.id, Person.name).where(Person.id.in_(set(person_ids)))}
    nameless = [person_id for person_id, name in names.items() if not name]
    roles = {}
    if nameless:
        for role in (Role.select(Role.person, Role.kind, Org.full_name).join(Org)
                     .where(Role.person.in_(nameless)).order_by(Role.id)):
            roles.setdefault(role.person_id, []).append(f"{ROLE_LABELS[RoleKind(role.kind)]} · {role.org.full_name}")
    for person_id in nameless:
        names[person_id] = "；".join(roles.get(person_id, [])) or f"微信用户（编号{person_id}）"
    return names
