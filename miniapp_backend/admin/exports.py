"""Exports: the filtered application list, the summary reported upward (上报市总), packets as a zip."""
from flask import g, request

from miniapp_backend.admin import packets
from miniapp_backend.admin.blueprint import bp
from miniapp_backend.admin.common import campaign_in_view, kind_labels, require_admin, require_district
from miniapp_backend.admin.xlsx import Percent, download, workbook_bytes
from miniapp_backend.clock import local_today, to_local
from miniapp_backend.models import APP_STATUS_LABELS, AppStatus
from miniapp_backend.services import application_search as search, dashboard
from miniapp_backend.services.errors import ValidationFailed

EXPORT_LIMIT = 50_000
APPLICATION_HEADER = ("编号", "单位全称", "驿站", "类别", "批次", "状态", "版本", "提交时间", "纸质件收到",
                      "实际拨付（元）", "整改截止")
# Statuses counted beside 已通过审核: together they make up 已申报, as on the dashboard.
UNFINISHED = (AppStatus.SUBMITTED, AppStatus.RETURNED, AppStatus.REJECTED)


def _local(moment):
    """A stored UTC timestamp as Beijing time without a zone (Excel has none), or None."""
    return to_local(moment).replace(tzinfo=None) if moment else None


def _application_rows(rows, labels):
    """One spreadsheet row per application."""
    for a in rows:
        yield (a.id, a.org.full_name, a.station.name if a.station_id else "", labels.get(a.kind, a.kind),
               a.round.name, APP_STATUS_LABELS.get(a.status, a.status), a.version, _local(a.submitted_at),
               _local(a.paper_received_at), a.funding_yuan, a.rectify_deadline)


def _filtered(campaign):
    """The filtered applications, refusing exports too big for one workbook."""
    rows = search.query(g.scope, search.Filters.from_args(request.args, campaign.id))
    if rows.count() > EXPORT_LIMIT:
        raise ValidationFailed(f"一次最多导出{EXPORT_LIMIT}条，请缩小筛选范围", key="export")
    return rows


@bp.route("/exports/applications.xlsx")
def export_applications():
    """The application list as filtered on screen, every page."""
    require_admin()
    campaign = campaign_in_view()
    rows = _filtered(campaign)
    data = workbook_bytes([("申报", APPLICATION_HEADER, _application_rows(rows, kind_labels(campaign)))])
    day = f"{local_today():%Y%m%d}"
    return download(data, f"{campaign.year}年度申报列表_{day}.xlsx", f"applications-{campaign.year}-{day}.xlsx")


def _summary_sheets(board):
    """Sheets of the upward summary: targets by kind, per 系统工会, coverage."""
    kinds = [(r.spec.label, r.target or "", r.tally.filed, *(r.tally.by_status[s] for s in UNFINISHED),
              r.tally.approved, r.tally.accepted, r.tally.revoked, r.tally.funding_actual,
              r.tally.funding_unset if r.indicative_yuan else "")
             for r in board.kinds]  # a kind without funding has no amount to register
    targeted = [r for r in board.kinds if r.target]
    systems = []
    for system in board.systems:
        cells = [system.full_name if system else "直属基层工会"]
        for row in targeted:
            tally = board.by_system.get((row.spec.kind, system.id if system else None), dashboard.Tally())
            cells += [board.quotas.get((row.spec.kind, system.id), "") if system else "", tally.filed, tally.accepted]
        systems.append(cells)
    system_header = ["系统工会"] + [f"{r.spec.label}{what}" for r in targeted for what in ("指标", "申报", "验收合格")]
    cover = board.coverage
    return [("目标完成情况", ("类别", "年度目标", "已申报", "审核中", "退回整改", "未通过", "已通过审核", "验收合格",
                        "已撤销", "已拨资金（元）", "待登记金额（个）"), kinds),
            ("各系统工会", system_header, systems),
            ("新建会单位建家", ("百人以上新建会企业数", "已建家", "覆盖率", "尚未申报"),
             [(cover.total, cover.covered, Percent(cover.share), cover.not_filed_count)])]


@bp.route("/exports/summary.xlsx")
def export_summary():
    """The district's summary for 上报市总."""
    require_district()
    campaign = campaign_in_view()
    board = dashboard.build(campaign, g.scope, local_today())
    return download(workbook_bytes(_summary_sheets(board)), f"房山区{campaign.year}年度职工之家建设情况汇总.xlsx",
                    f"summary-{campaign.year}.xlsx")


@bp.route("/exports/packets.zip")
def export_packets():
    """The packets of the filtered applications, one zip."""
    require_admin()
    campaign = campaign_in_view()
    data = packets.zip_of(_filtered(campaign))
    day = f"{local_today():%Y%m%d}"
    return download(data, f"{campaign.year}年度申报材料_{day}.zip", f"packets-{campaign.year}-{day}.zip",
                    "application/zip")
