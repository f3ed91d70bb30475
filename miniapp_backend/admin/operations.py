"""Operations: queue lengths, failed jobs with retry, the notification ledger."""
from urllib.parse import urlencode

from flask import flash, g, redirect, render_template, request, url_for
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from miniapp_backend.admin.blueprint import back, bp
from miniapp_backend.admin.common import now, page_number, redis, require_district
from miniapp_backend.clock import local_today
from miniapp_backend.models import AuditLog, Notice
from miniapp_backend.services import application_search, notifications
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.services.reminders import ledger_view, rows as reminder_rows
from workers.queues import queue

FAILED_SHOWN = 50
LEDGER_PAGE = 50
ERRCODE_DIGITS = 9


def _failed_jobs(registry):
    """The newest failed jobs: (id, function, last line of the error, when it ended)."""
    jobs = []
    for job_id in registry.get_job_ids(0, FAILED_SHOWN - 1):
        try:
            job = Job.fetch(job_id, connection=registry.connection)
        except NoSuchJobError:
            continue  # listed, but its data has expired
        result = job.latest_result()
        error = ((result.exc_string if result else "") or "").strip().splitlines()
        jobs.append((job.id, job.func_name, error[-1] if error else "", job.ended_at))
    return jobs


def _errcode_arg():
    """?errcode= as a WeChat errcode (43101, -1 …), None when empty."""
    text = request.args.get("errcode", "").strip()
    if not text:
        return None
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) <= ERRCODE_DIGITS):
        raise ValidationFailed(f"错误码应为数字（如 43101、-1），收到“{text[:20]}”", key="errcode")
    return int(text)


def _ledger():
    """A page of the Notice ledger, newest first, optionally by status, kind and errcode (a failed
    notice's, or the refusal that left one unsent)."""
    rows = Notice.select().order_by(Notice.id.desc())
    if request.args.get("status"):
        rows = rows.where(Notice.status == request.args["status"])
    if request.args.get("kind"):
        rows = rows.where(Notice.kind == request.args["kind"])
    errcode = _errcode_arg()
    if errcode is not None:
        rows = rows.where(Notice.errcode == errcode)
    return application_search.page_of(rows, page_number(), LEDGER_PAGE)


def _resend_barred(notice):
    """Why an admin may not send `notice` again ("" when nothing bars it): the person blocked it,
    or it is a reminder whose date has passed."""
    return notifications.resend_barred(notice) or reminder_rows.resend_barred(notice, local_today(now()))


@bp.route("/operations")
def operations():
    """Queues, failed jobs and the notification ledger."""
    require_district()
    default = queue(redis())
    failed = FailedJobRegistry(queue=default)
    counts = {"排队中": default.count, "执行中": StartedJobRegistry(queue=default).count,
              "定时/重试等待": ScheduledJobRegistry(queue=default).count, "失败": failed.count}
    rows, total, pages, page = _ledger()
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("admin/operations.html", counts=counts, failed=_failed_jobs(failed), rows=rows,
                           total=total, pages=pages, page=page, statuses=ledger_view.STATUS_LABELS,
                           kinds=ledger_view.KIND_LABELS, channels=ledger_view.CHANNEL_LABELS,
                           recipients=ledger_view.recipient_names(n.person_id for n in rows),
                           resendable=notifications.RESENDABLE, resend_barred=_resend_barred,
                           args=lambda n: urlencode({**args, "page": n}))


@bp.route("/operations/retry", methods=["POST"])
def retry_job():
    """Put one failed job back on its queue."""
    require_district()
    job_id = request.form.get("job_id", "")
    try:
        FailedJobRegistry(queue=queue(redis())).requeue(job_id)
        flash("已重新排队", "info")
    except (NoSuchJobError, InvalidJobOperation):
        flash("这个任务已不在失败列表中", "error")
    return redirect(url_for("admin.operations"))


@bp.route("/operations/notices/<id:notice_id>/resend", methods=["POST"])
def resend_notice(notice_id):
    """Send again a notice that failed or reached nobody (the sweep picks it up within a minute)."""
    require_district()
    notice = Notice.get_or_none(Notice.id == notice_id)
    barred = _resend_barred(notice) if notice is not None else ""
    if barred:
        flash(barred, "error")
    elif notifications.requeue(notice_id):
        AuditLog.create(actor=g.person, action="notice.resend", object_type="notice", object_id=notice_id)
        flash("已重新排队，1分钟内发送（夜间22:00至次日08:00的截止提醒、待审核汇总和群发通知等到08:00）", "info")
    else:
        flash("这条通知已发送、正在发送或已被用户拒收，没有重新发送", "error")
    return back("admin.operations")
