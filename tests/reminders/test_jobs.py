"""The periodic job under failure: two schedulers, a job run twice, a worker killed, Redis emptied."""
import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from rq import SimpleWorker
from rq.registry import StartedJobRegistry

from miniapp_backend.clock import utcnow
from miniapp_backend.models import ApplicationKind, Notice, NoticeStatus
from miniapp_backend.services import notifications, reminders
from miniapp_backend.services.reminders import planner
from miniapp_backend.storage import FileStore
from tests.factories import make_qualified
from tests.reminders.conftest import run_jobs
from tests.reminders.filing import file_complete
from workers import notifications as notice_jobs
from workers import reminders as reminder_jobs
from workers.queues import deliver_notices, enqueue_once, queue
from workers.scheduler import PERIODIC, tick

D = dt.date
JOB = "workers.reminders.send_due_reminders"
SWEEP = "workers.notifications.sweep_notices"
T14 = "2018-09-16T00:05:00"  # 08:05 in Shanghai
TEMPLATE = "cgi-bin/message/template/send"


@pytest.fixture
def three_units(world):
    """Three qualified units: four people are due a T-14 reminder on 2018-09-16."""
    for unit in (world.unit, world.other_unit, world.direct_unit):
        make_qualified(unit)
    return world


def assert_each_row_sent_once(control):
    """Every reminder row went out, and the stand-in got exactly one message per row."""
    rows = list(Notice.select().where(Notice.key.startswith("remind:")))
    assert len(rows) == 4 and {r.status for r in rows} == {NoticeStatus.SENT}
    assert sorted(m["openid"] for m in control.sent()) == sorted(
        f"o-{n}" for n in ("王建国", "李芳", "周敏", "孙丽"))


def test_two_schedulers_enqueue_one_job_per_slot(worker_env, redis_client):
    assert PERIODIC[JOB] == 600
    first, second = tick(redis_client, now=1_000_000), tick(redis_client, now=1_000_001)
    assert first == second
    assert sum(JOB.replace(".", "_") in job_id for job_id in queue(redis_client).job_ids) == 1


def test_the_job_run_twice_or_in_two_slots_sends_each_reminder_once(worker_env, redis_client, three_units, control):
    for slot in ("slot-a", "slot-a", "slot-b"):  # a duplicate enqueue, and a second scheduler's slot
        enqueue_once(redis_client, JOB, slot, T14)
    run_jobs(redis_client)
    assert_each_row_sent_once(control)


def test_a_job_killed_mid_batch_is_finished_by_the_next_run_and_the_sweep(
        worker_env, redis_client, three_units, control, monkeypatch):
    monkeypatch.setattr(planner, "BATCH", 1)
    calls = []

    def dies_on_second_batch(redis, ids, now_iso):
        """Enqueue the first batch, then the process dies after writing the second."""
        calls.append(ids)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        deliver_notices(redis, ids, now_iso)

    monkeypatch.setattr(reminder_jobs, "deliver_notices", dies_on_second_batch)
    enqueue_once(redis_client, JOB, "slot-a", T14)
    run_jobs(redis_client)
    # Batch 1 (the unit's chair) went out; batch 2 (its staff) was written, never enqueued; the rest never written.
    assert [r.status for r in Notice.select().order_by(Notice.id)] == [NoticeStatus.SENT, NoticeStatus.PENDING]
    monkeypatch.setattr(reminder_jobs, "deliver_notices", deliver_notices)
    enqueue_once(redis_client, JOB, "slot-b", T14)
    enqueue_once(redis_client, SWEEP, "sweep-1", T14)
    run_jobs(redis_client)
    assert_each_row_sent_once(control)


def test_emptied_redis_loses_no_reminder_and_duplicates_none(worker_env, redis_client, three_units, control):
    enqueue_once(redis_client, JOB, "slot-a", T14)
    SimpleWorker([queue(redis_client)], connection=redis_client).work(burst=True, max_jobs=1)
    assert Notice.select().where(Notice.status == NoticeStatus.PENDING).count() == 4
    redis_client.flushdb()  # Redis restarted without its data: the delivery jobs are gone
    enqueue_once(redis_client, JOB, "slot-b", T14)
    enqueue_once(redis_client, SWEEP, "sweep-1", T14)
    run_jobs(redis_client)
    assert_each_row_sent_once(control)


def test_the_sweep_keeps_a_leftover_reminder_for_the_morning_but_sends_news_at_night(
        worker_env, redis_client, three_units, control):
    written = [i for batch in reminders.queue_due(dt.datetime.fromisoformat(T14), True) for i in batch]
    news = notifications.queue(three_units.chair, "status-1", "status_changed",
                               {"text": "审核通过", "title": "t", "status": "通过", "time": "2018-09-16"})
    enqueue_once(redis_client, SWEEP, "night", "2018-09-16T14:30:00")  # 22:30 in Shanghai
    run_jobs(redis_client)
    assert Notice.get_by_id(news.id).status == NoticeStatus.SENT
    assert {Notice.get_by_id(i).status for i in written} == {NoticeStatus.PENDING}
    enqueue_once(redis_client, SWEEP, "morning", "2018-09-17T00:00:00")  # 08:00
    run_jobs(redis_client)
    assert {Notice.get_by_id(i).status for i in written} == {NoticeStatus.SENT}


def _worker_process(env):
    """A separate rq worker process on the test backends (it can be killed like a real one)."""
    code = ("from rq import SimpleWorker; from miniapp_backend.config import Config; "
            "from miniapp_backend.redis_conn import open_redis; from workers.queues import queue; "
            "r = open_redis(Config.from_env()); SimpleWorker([queue(r)], connection=r).work(burst=True)")
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_worker_killed_while_sending_never_sends_twice(worker_env, redis_client, three_units, control):
    now = dt.datetime.fromisoformat(T14)
    ids = [i for batch in reminders.queue_due(now, True) for i in batch]
    deliver_notices(redis_client, ids, T14)
    control("POST", "/standin/faults", json={"path": TEMPLATE, "delay": 1.0, "times": 10})
    worker = _worker_process(worker_env)
    deadline = time.monotonic() + 30
    while not control.sent() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(10)
    assert 1 <= len(control.sent()) < 4, "killed halfway"
    control("DELETE", "/standin/faults")
    # An hour on: rq's maintenance retries the job the dead worker held; the sweep fails an
    # interrupted claim (that message may have reached the user) and enqueues pending rows.
    StartedJobRegistry(queue=queue(redis_client)).cleanup(timestamp=time.time() + 3600)
    notifications.stale_claims(now=utcnow() + dt.timedelta(minutes=11))
    enqueue_once(redis_client, SWEEP, "sweep-1", T14)
    run_jobs(redis_client)
    rows = list(Notice.select().where(Notice.id.in_(ids)))
    sent = [m["openid"] for m in control.sent()]
    assert len(sent) == len(set(sent)), "nobody got a reminder twice"
    assert {r.status for r in rows} <= {NoticeStatus.SENT, NoticeStatus.FAILED}
    assert sum(r.status == NoticeStatus.SENT for r in rows) >= 3
    failed = [r for r in rows if r.status == NoticeStatus.FAILED]
    assert all("发送中断" in r.detail for r in failed)


def test_a_reviewers_digest_links_the_page_where_they_decide(worker_env, redis_client, world, tmp_path, monkeypatch):
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://zgzj.example.cn")
    file_complete(world, world.chair, world.unit, ApplicationKind.NEW_UNION_HOME, FileStore(tmp_path), D(2018, 6, 20))
    reminder_jobs.send_due_reminders("2018-06-21T00:30:00")  # 08:30 the next morning
    digest = Notice.get(Notice.kind == "review_digest", Notice.person == world.system_admin).payload["text"]
    assert digest.splitlines()[-1] == (
        "请登录管理后台，在“申报审核”页勾选“待我审核”处理：https://zgzj.example.cn/admin/applications?mine=1")


def test_a_reminder_held_past_its_date_is_skipped_not_sent(worker_env, redis_client, three_units, control):
    # Written on 09-30 (the round's last day) and never delivered that day: the next morning
    # filing has closed, and a reminder saying the date is still ahead must not go out.
    written = [i for batch in reminders.queue_due(dt.datetime.fromisoformat("2018-09-30T13:00:00"), True)
               for i in batch]
    assert written and {Notice.get_by_id(i).payload["time"] for i in written} == {"2018-09-30 23:59"}
    enqueue_once(redis_client, SWEEP, "next-morning", "2018-10-01T00:05:00")  # 08:05 on 10-01
    run_jobs(redis_client)
    assert {(Notice.get_by_id(i).status, Notice.get_by_id(i).detail) for i in written} == {
        (NoticeStatus.SKIPPED, "截止日期已过，提醒不再发送")}
    assert control.sent() == []


def test_a_reminder_whose_delivery_runs_at_night_waits_for_the_morning(
        worker_env, redis_client, three_units, control, messenger):
    # Written at 21:25; one delivery is reached only after 22:00 (a long queue), another failed
    # as WeChat was busy and its retry comes after 22:00: neither may send in the quiet hours.
    written = [i for batch in reminders.queue_due(dt.datetime.fromisoformat("2018-09-16T13:25:00"), True)
               for i in batch]
    late, busy = written[0], written[1]
    control("POST", "/standin/faults", json={"path": TEMPLATE, "errcode": -1})
    assert notifications.failed_transiently(notifications.deliver(busy, messenger, will_retry=True))
    control("DELETE", "/standin/faults")
    notice_jobs.deliver_notice(late, "2018-09-16T14:05:00")  # 22:05
    notice_jobs.deliver_notice(busy, "2018-09-16T14:01:00")  # the retry, 22:01
    assert control.sent() == []
    assert {Notice.get_by_id(i).status for i in (late, busy)} == {NoticeStatus.PENDING}
    enqueue_once(redis_client, SWEEP, "morning", "2018-09-17T00:00:00")  # 08:00
    run_jobs(redis_client)
    assert {Notice.get_by_id(i).status for i in written} == {NoticeStatus.SENT}
