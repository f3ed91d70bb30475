"""How titles look in the API: a unit's 合格, 区级先进 … titles and the 合格 a chair may declare."""
from miniapp_backend.api import bp
from miniapp_backend.api.schemas import ISO_DATE, Schema, array, identifier, integer, nullable, string
from miniapp_backend.api.shapes import OrgRef, date, day, moment, org_view, timestamp
from miniapp_backend.clock import format_day
from miniapp_backend.models import ENDED, HONOUR_LABELS, FileKind, HonourKind, HonourStatus
from miniapp_backend.services import qualified, qualified_minutes

STATUS_LABELS = {HonourStatus.DECLARED: "待确认", HonourStatus.ACTIVE: "有效", HonourStatus.REVOKED: "已撤销",
                 HonourStatus.REFUSED: "未予确认"}
QUALIFIED = [kind.value for kind in qualified.QUALIFIED_KINDS]

ListQuery = Schema("HonourListQuery", {"org_id": identifier("组织编号")})
DeclareQualified = Schema("QualifiedDeclaration", {
    "org_id": identifier("组织编号", description="只在一个组织任职时可不填"),
    "kind": string("称号", enum=QUALIFIED,
                   description="qualified_home 合格职工之家（系统工会、基层工会），"
                               "qualified_small_home 合格职工小家（车间、班组）；见 declarable"),
    "congress_date": string("会员代表大会日期", fmt="date", pattern=ISO_DATE,
                            description=f"决定达到合格标准的会员代表大会召开日期，如 2018-03-20；不能晚于今天，"
                                        f"也不能早于{qualified.CONGRESS_MAX_YEARS}年前"),
}, required=["kind", "congress_date"])

MinutesFile = Schema("MinutesFile", {
    "id": integer("文件编号"), "kind": string("类别", enum=["photo", "pdf"]), "mime": string("类型"),
    "size": integer("字节数"), "url": string("原文件地址"), "thumbnail_url": nullable(string("缩略图地址")),
}, required=["id", "kind", "mime", "size", "url"], closed=False)

HonourView = Schema("Honour", {
    "id": integer("称号编号"), "org": OrgRef.ref,
    "kind": string("称号", enum=[k.value for k in HonourKind]), "label": string("称号名称"),
    "year": integer("年度"),
    "status": string("状态", enum=[s.value for s in HonourStatus],
                     description="declared 已申报待确认（合格称号），active 有效，revoked 已撤销，"
                                 "refused 申报未予确认（可重新申报）"),
    "status_label": string("状态名称"),
    "note": string("说明", description="待谁确认、何时获得，或撤销的原因和怎样重新申报"),
    "congress_date": date("会员代表大会日期"), "awarded_on": date("获得日期"),
    "verified_at": timestamp("确认时间"), "revoked_at": timestamp("撤销时间"),
    "revoked_reason": nullable(string("撤销原因，或申报未予确认的理由")),
    "minutes": array("会员代表大会会议记录（决议）的照片或扫描件（合格称号；没有时系统工会不能确认）", MinutesFile.ref),
    "minutes_saving": integer("在公众号发送、仍在保存的会议记录照片数"),
}, required=["id", "org", "kind", "label", "year", "status", "status_label", "note", "minutes", "minutes_saving"],
    closed=False)
Declarable = Schema("DeclarableTitle", {
    "org": OrgRef.ref, "kind": string("称号", enum=QUALIFIED), "label": string("称号名称"),
}, required=["org", "kind", "label"], closed=False)
HonourList = Schema("HonourList", {
    "honours": array("本单位的称号（新的在前，已撤销的也在内）", HonourView.ref),
    "declarable": array("现在可以申报的合格称号（仅工会主席）", Declarable.ref),
}, required=["honours", "declarable"], closed=False)


def _note(honour, minutes):
    """One sentence on where the title stands, in the words the unit needs."""
    label = HONOUR_LABELS[HonourKind(honour.kind)]
    if honour.status == HonourStatus.DECLARED:
        waiting = (f"会员代表大会{format_day(honour.congress_date)}决定，"
                   f"已申报，待{qualified.confirming_union(honour.org)}确认")
        return waiting if minutes else f"{waiting}；请上传会议记录或决议的照片（扫描件），上传后才能确认"
    if honour.status == HonourStatus.REFUSED:
        return f"申报未予确认（{honour.revoked_reason}），可重新申报"
    if honour.status == HonourStatus.REVOKED:
        again = "，需重新经会员代表大会决定后再申报" if honour.kind in qualified.QUALIFIED_KINDS else ""
        return f"已被撤销（{honour.revoked_reason}）{again}"
    since = f"{format_day(honour.awarded_on)}获得" if honour.awarded_on else f"{honour.year}年度获得"
    return f"{since}“{label}”称号"


def minutes_file_view(honour, stored):
    """One file of a declaration's minutes, with the addresses the mini-program opens it by."""
    base = f"{bp.url_prefix}/honours/{honour.id}/minutes/{stored.id}"
    return {"id": stored.id, "kind": stored.kind, "mime": stored.mime, "size": stored.size, "url": base,
            "thumbnail_url": f"{base}/thumbnail" if stored.kind == FileKind.PHOTO else None}


def honour_view(honour):
    """A title as the unit sees it, with the minutes of a 合格 declaration."""
    revoked = honour.status in ENDED
    minutes = qualified_minutes.minutes_of(honour)
    return {"id": honour.id, "org": org_view(honour.org), "kind": honour.kind,
            "label": HONOUR_LABELS[HonourKind(honour.kind)], "year": honour.year, "status": honour.status,
            "status_label": STATUS_LABELS[HonourStatus(honour.status)], "note": _note(honour, minutes),
            "congress_date": day(honour.congress_date), "awarded_on": day(honour.awarded_on),
            "verified_at": moment(honour.verified_at), "revoked_at": moment(honour.revoked_at),
            "revoked_reason": honour.revoked_reason if revoked else None,
            "minutes": [minutes_file_view(honour, stored) for stored in minutes],
            "minutes_saving": qualified_minutes.downloading(honour)}


def declarable_view(org, kind):
    """A 合格 title the chair may declare for `org` now."""
    return {"org": org_view(org), "kind": kind, "label": HONOUR_LABELS[HonourKind(kind)]}
