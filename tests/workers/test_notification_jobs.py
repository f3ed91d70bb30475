"""Notices reach the stand-in through real rq jobs; duplicated jobs send once."""
import pytest
from rq import SimpleWorker

from miniapp_backend.models import Channel, Notice, NoticeStatus
from miniapp_backend.services import notice_links, notifications
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
    notifications.record_inbound(Channel.OFFICIAL, "o-王建国")
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
    deliver_notices(worker_env, [notice.id])
    run_jobs(worker_env)
    url = control.sent(kind="template")[0]["payload"]["url"]
    base = context._context().config.public_base_url
    assert url.startswith(f"{base}/n/")
    assert notice_links.notice_id_of("test", url.rsplit("/", 1)[1]) == notice.id  # SECRET_KEY of the job
