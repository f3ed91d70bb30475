"""Notices reach the stand-in through real rq jobs; duplicated jobs send once."""
import datetime as dt

import pytest
from rq import SimpleWorker

from miniapp_backend import wechat
from miniapp_backend.models import Channel, Notice, NoticeStatus
from miniapp_backend.services import channel_state, notice_links, notifications
from workers import context
from workers.queues import deliver_notices, queue
from workers.scheduler import tick


@pytest.fixture
def worker_env(monkeypatch, config, standin, redis_client, db):
    """The job process's environment: the test backends and the stand-in."""
    for name, value in {
        "APP_ENV": "test", "DATABASE_URL": config.database_url, "REDIS_URL": config.redis_url,
        "VAR_DIR": str(config.var_dir), "SECRET_KEY": "test", "WECHAT_API_BASE_URL": standin.url,
        "WECHAT_APPID": config.wechat_appid, "WECHAT_SECRET": config.wechat_secret,
        "MINIAPP_APPID": config.miniapp_appid, "MINIAPP_SECRET": config.miniapp_secret,
    }.items():
        monkeypatch.setenv(name, value)
    context._cached.clear()
    yield redis_client
    context._cached.clear()


def run_jobs(redis_client):
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True)


def test_enqueued_notices_are_delivered_once_even_if_enqueued_twice(worker_env, world, control):
    channel_state.record_inbound(Channel.OFFICIAL, "o-王建国")
    notice = notifications.queue(world.chair, "job-1", "status_changed",
                                 {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10"})
    deliver_notices(worker_env, [notice])
    deliver_notices(worker_env, [notice.id])
    run_jobs(worker_env)
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT
    assert [m["kind"] for m in control.sent(openid="o-王建国")] == ["custom"]


def test_the_periodic_sweep_delivers_notices_nobody_enqueued(worker_env, world, control):
    notice = notifications.queue(world.chair, "orphan", "status_changed",
                                 {"text": "x", "title": "t", "status": "通过", "time": "2018-05-10"})
    tick(worker_env)
    run_jobs(worker_env)  # the sweep enqueues the delivery, which the burst worker then runs
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT
    assert control.sent()[0]["kind"] == "template"


def test_a_delivery_lost_as_a_killed_worker_took_it_is_sent_by_the_sweep(worker_env, world, control):
    notice = notifications.queue(world.chair, "lost", "status_changed",
                                 {"text": "x", "title": "t", "status": "通过", "time": "2018-05-10"})
    deliver_notices(worker_env, [notice])
    # What a worker does as it takes a job; killed before it starts it, the job stays marked
    # queued while it is in no queue (rq's own cleanup of that list waits minutes).
    delivery = queue(worker_env)
    worker_env.lmove(delivery.key, f"{delivery.key}:intermediate", "LEFT", "RIGHT")
    tick(worker_env)
    run_jobs(worker_env)
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT
    assert len(control.sent()) == 1


def test_a_template_message_sent_by_the_job_links_the_whole_notice(worker_env, world, control):
    notice = notifications.queue(world.chair, "linked", "broadcast",
                                 {"text": "【职工之家建设通知】" + "请按时填报验收单。" * 10, "title": "职工之家建设通知",
                                  "detail": "请按时填报验收单。" * 10, "time": "2018-05-10 10:00"})
    deliver_notices(worker_env, [notice.id], "2018-05-10T02:00:00")  # 10:00: a broadcast waits out the night
    run_jobs(worker_env)
    url = control.sent(kind="template")[0]["payload"]["url"]
    base = context._context().config.public_base_url
    assert url.startswith(f"{base}/n/")
    assert notice_links.notice_id_of("test", url.rsplit("/", 1)[1]) == notice.id  # SECRET_KEY of the job



TEMPLATE_SEND = "cgi-bin/message/template/send"


def _template_notice(redis_client, person, key="busy"):
    """A notice to `person`, who has no 客服 window open (so it goes as a template), enqueued."""
    notice = notifications.queue(person, key, "status_changed",
                                 {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-05-10"})
    deliver_notices(redis_client, [notice])
    return notice


def _waiting_retry(redis_client, notice):
    """The notice's delivery job if it waits for its retry, else None."""
    job = queue(redis_client).fetch_job(f"notice-{notice.id}")
    return job if job is not None and job.get_status() == "scheduled" else None


def _run_retry(redis_client, job):
    """What rq's scheduler does once the backoff has passed: the waiting retry goes to its queue."""
    delivery = queue(redis_client)
    delivery.scheduled_job_registry.remove(job)
    delivery.enqueue_job(job)
    run_jobs(redis_client)


def test_a_send_wechat_was_too_busy_for_is_retried_later_and_sent_once(worker_env, world, control):
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "errcode": -1})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    failed = Notice.get_by_id(notice.id)
    assert (failed.status, failed.errcode) == (NoticeStatus.FAILED, -1)
    assert failed.detail.endswith("稍后自动重试") and not control.sent()
    job = _waiting_retry(worker_env, notice)
    delay = queue(worker_env).scheduled_job_registry.get_scheduled_time(job) - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(seconds=5) < delay <= dt.timedelta(seconds=10)  # backoff, not at once
    tick(worker_env)  # the sweep leaves it to its retry
    run_jobs(worker_env)
    assert len(control.calls(TEMPLATE_SEND)) == 1
    _run_retry(worker_env, job)
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT
    assert len(control.sent(kind="template")) == 1 and _waiting_retry(worker_env, notice) is None


def test_retries_are_bounded_and_the_last_failure_stays_visible(worker_env, world, control):
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "errcode": -1, "times": 10})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    while (job := _waiting_retry(worker_env, notice)) is not None:
        _run_retry(worker_env, job)
    assert len(control.calls(TEMPLATE_SEND)) == 4  # the first try and NOTICE_RETRY's three
    final = Notice.get_by_id(notice.id)
    assert (final.status, final.errcode) == (NoticeStatus.FAILED, -1)
    assert "微信系统繁忙或网络故障" in final.detail and "自动重试" not in final.detail



def test_a_connection_failure_is_retried_too(worker_env, world, monkeypatch):
    monkeypatch.setenv("WECHAT_API_BASE_URL", "http://127.0.0.1:9")  # nothing listens: refused
    context._cached.clear()
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    assert Notice.get_by_id(notice.id).errcode == -1 and _waiting_retry(worker_env, notice) is not None

def test_a_send_wechat_got_but_never_answered_is_not_retried(worker_env, world, control, monkeypatch):
    monkeypatch.setattr(context.JobContext, "messenger", lambda ctx: wechat.WeChatMessenger(
        wechat.official_client(ctx.config, ctx.redis, timeout=0.3), wechat.miniapp_client(ctx.config, ctx.redis)))
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "delay": 1.0})  # answers after we gave up
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    unknown = Notice.get_by_id(notice.id)
    assert (unknown.status, unknown.channel, unknown.errcode) == (NoticeStatus.UNKNOWN, "template", None)
    assert "不自动重发" in unknown.detail and "自动重试" not in unknown.detail
    assert _waiting_retry(worker_env, notice) is None
    tick(worker_env)  # nor does the sweep take it up
    run_jobs(worker_env)
    assert len(control.calls(TEMPLATE_SEND)) == 1 and Notice.get_by_id(notice.id).status == NoticeStatus.UNKNOWN


@pytest.mark.parametrize("http_status", [500, 502, 504])
def test_a_send_answered_by_a_server_error_after_wechat_carried_it_out_is_not_retried(
        worker_env, world, control, http_status):
    # A gateway in front of Tencent lost Tencent's answer: the message reached the person.
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "http_status": http_status, "carried_out": True})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    unknown = Notice.get_by_id(notice.id)
    assert (unknown.status, unknown.channel, unknown.errcode) == (NoticeStatus.UNKNOWN, "template", None)
    assert f"服务器错误（HTTP {http_status}）" in unknown.detail and "不自动重发" in unknown.detail
    assert _waiting_retry(worker_env, notice) is None
    tick(worker_env)  # nor does the sweep take it up
    run_jobs(worker_env)
    assert len(control.sent(kind="template")) == 1, "the person got it once, not twice"


@pytest.mark.parametrize("http_status", [503, 429])
def test_a_send_the_server_says_it_did_not_handle_is_retried_and_sent_once(worker_env, world, control, http_status):
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "http_status": http_status})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    failed = Notice.get_by_id(notice.id)
    assert (failed.status, failed.errcode) == (NoticeStatus.FAILED, -1) and not control.sent()
    _run_retry(worker_env, _waiting_retry(worker_env, notice))
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT and len(control.sent(kind="template")) == 1


@pytest.mark.parametrize("errcode", [43004, 40003, 47003])
def test_permanent_refusals_are_not_retried(worker_env, world, control, errcode):
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "errcode": errcode})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    assert Notice.get_by_id(notice.id).status in (NoticeStatus.FAILED, NoticeStatus.SKIPPED)
    assert _waiting_retry(worker_env, notice) is None and len(control.calls(TEMPLATE_SEND)) == 1



def test_a_waiting_retry_never_sends_a_notice_sent_meanwhile(worker_env, world, control, official, miniapp):
    control("POST", "/standin/faults", json={"path": TEMPLATE_SEND, "errcode": -1})
    notice = _template_notice(worker_env, world.chair)
    run_jobs(worker_env)
    job = _waiting_retry(worker_env, notice)
    assert notifications.requeue(notice.id)  # an admin resends it, and it goes out at once
    assert notifications.deliver(notice.id, wechat.WeChatMessenger(official, miniapp)).status == NoticeStatus.SENT
    _run_retry(worker_env, job)
    assert Notice.get_by_id(notice.id).status == NoticeStatus.SENT
    assert len(control.sent(kind="template")) == 1
