"""Packet jobs on rq: compiled once per snapshot and review state, retried, and recovered after
a worker or its work horse is killed with SIGKILL mid-write."""
import datetime as dt
import hashlib
import os
import signal
import threading
import time
import zipfile

import pytest
from rq import Retry, SimpleWorker
from rq.registry import ScheduledJobRegistry, StartedJobRegistry
from rq.scheduler import RQScheduler

from miniapp_backend import db
from miniapp_backend.clock import utcnow
from miniapp_backend.models import ApplicationKind, Decision, FileKind, Notice, Packet, PacketStatus
from miniapp_backend.packets.inputs import state_key
from miniapp_backend.services import evidence, review
from miniapp_backend.storage import FileStore
from tests.factories import IN_WINDOW
from tests.packets.builders import submitted
from tests.workers import packet_hooks
from tests.workers.job_env import WorkerProcess, job_env  # noqa: F401 (fixture)
from workers import packets
from workers.packet_sources import opinions_of
from workers.queues import DEFAULT_QUEUE, enqueue_once, queue

WAIT_SECONDS = 90


def run_jobs(redis):
    """Run every queued job in this process."""
    SimpleWorker([queue(redis)], connection=redis).work(burst=True)


def rq_scheduler_pass(redis):
    """One pass of rq's own scheduler (a worker's, every second): jobs whose time came are queued."""
    scheduler = RQScheduler([DEFAULT_QUEUE], connection=redis)
    scheduler.prepare_registries([DEFAULT_QUEUE])
    scheduler.enqueue_scheduled_jobs()


@pytest.fixture
def application(world, config):
    """A submitted 示范职工之家 application whose files are in the jobs' file store."""
    app, _, _ = submitted(world, FileStore(config.storage_dir), ApplicationKind.MODEL_HOME)
    return app


def packet_files_ok(config, packet):
    """Every file of a finished packet is in place, complete, with no temporary leftovers."""
    for kind, digest in (("pdf", packet.pdf_sha256), ("docx", packet.docx_sha256), ("zip", packet.zip_sha256)):
        data = packets.packet_path(config, packet, kind).read_bytes()
        assert hashlib.sha256(data).hexdigest() == digest
    return not list(packets.packet_path(config, packet).parent.glob(".*"))


def test_submit_then_decision_gives_two_packets_and_one_notice_each(job_env, redis_client, application,
                                                                     world, config):
    first = packets.enqueue_packet(redis_client, application)
    packets.enqueue_packet(redis_client, application)  # a duplicate request collapses
    assert len(queue(redis_client).job_ids) == 1
    run_jobs(redis_client)
    first = Packet.get_by_id(first.id)
    assert first.status == PacketStatus.DONE and packet_files_ok(config, first)
    assert packets.latest_packet(application).id == first.id
    packets.compile_packet(application.id, application.version, first.review_state_key)  # redelivered
    assert Notice.select().where(Notice.kind == "packet_ready").count() == 2  # chair and staff
    review.decide(application, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
    second = packets.enqueue_packet(redis_client, application)
    assert second.review_state_key != first.review_state_key
    run_jobs(redis_client)
    second = Packet.get_by_id(second.id)
    assert second.status == PacketStatus.DONE and second.pdf_sha256 != first.pdf_sha256
    assert packets.latest_packet(application).id == second.id
    assert Notice.select().where(Notice.kind == "packet_ready").count() == 4


@pytest.mark.parametrize("decision, deadline", [(Decision.RETURN, dt.date(2018, 5, 20)), (Decision.REJECT, None)])
def test_the_packet_of_a_returned_or_rejected_application_does_not_ask_the_unit_to_stamp_it(
        job_env, redis_client, application, world, decision, deadline):
    review.decide(application, world.system_admin, decision, "照片不清晰", rectify_deadline=deadline, today=IN_WINDOW)
    packet = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    assert Packet.get_by_id(packet.id).status == PacketStatus.DONE
    # The status notice alone tells the chair and staff: no “打印后签字盖章” for a packet to be revised.
    assert [n.kind for n in Notice.select().order_by(Notice.id)] == ["status_changed"] * 2


def test_a_job_for_an_outdated_review_state_stands_down(job_env, redis_client, application, world):
    old_key = state_key(opinions_of(application, application.version))
    review.decide(application, world.system_admin, Decision.APPROVE, "同意上报", today=IN_WINDOW)
    assert packets.compile_packet(application.id, application.version, old_key) == PacketStatus.SUPERSEDED


def test_a_failing_job_is_retried_with_backoff(job_env, redis_client, application, config, monkeypatch):
    real = packets.render_packet
    monkeypatch.setattr(packets, "render_packet", lambda source: (_ for _ in ()).throw(OSError("disk full")))
    packet = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    assert Packet.get_by_id(packet.id).status == PacketStatus.FAILED
    registry = queue(redis_client).scheduled_job_registry
    job = queue(redis_client).fetch_job(packet.job_id)
    assert job.get_status() == "scheduled" and job.retries_left == 2
    delay = registry.get_scheduled_time(job) - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(seconds=5) < delay <= dt.timedelta(seconds=10)
    monkeypatch.setattr(packets, "render_packet", real)
    registry.remove(job)  # the backoff has passed: what rq's scheduler then does
    queue(redis_client).enqueue_job(job)
    run_jobs(redis_client)
    assert Packet.get_by_id(packet.id).status == PacketStatus.DONE


def test_an_admin_asking_again_runs_a_packet_waiting_for_its_retry_now_and_once(
        job_env, redis_client, application, monkeypatch):
    """rq's retry is minutes away when the admin, the cause fixed, presses 重新生成材料包: the
    job runs now, not at its backoff, and the scheduled retry does not run it a second time."""
    real = packets.render_packet
    monkeypatch.setattr(packets, "render_packet", lambda source: (_ for _ in ()).throw(OSError("disk full")))
    packet = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    registry = queue(redis_client).scheduled_job_registry
    assert packet.job_id in registry.get_job_ids()
    monkeypatch.setattr(packets, "render_packet", real)
    packets.retry_packet(redis_client, application)
    assert Packet.get_by_id(packet.id).status == PacketStatus.QUEUED
    rq_scheduler_pass(redis_client)  # its retry is due now, not minutes ahead
    assert queue(redis_client).job_ids == [packet.job_id] and registry.get_job_ids() == []
    run_jobs(redis_client)
    done = Packet.get_by_id(packet.id)
    assert done.status == PacketStatus.DONE and done.attempts == 2
    assert registry.get_job_ids() == [] and queue(redis_client).job_ids == []


def test_an_admin_asking_again_as_rq_schedules_the_retry_runs_the_packet_once(
        job_env, redis_client, application, monkeypatch):
    """The backoff runs out just as the admin presses 重新生成材料包: rq's scheduler has read the
    job as due and is about to queue it when the admin's retry reaches Redis. One run, not two."""
    real = packets.render_packet
    monkeypatch.setattr(packets, "render_packet", lambda source: (_ for _ in ()).throw(OSError("disk full")))
    packet = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    registry = queue(redis_client).scheduled_job_registry
    registry.schedule(queue(redis_client).fetch_job(packet.job_id),
                      dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=1))  # the backoff has passed
    monkeypatch.setattr(packets, "render_packet", real)
    read_due = ScheduledJobRegistry.get_jobs_to_schedule

    def admin_presses_meanwhile(self, *args, **kwargs):
        due = read_due(self, *args, **kwargs)
        packets.retry_packet(redis_client, application)
        return due
    monkeypatch.setattr(ScheduledJobRegistry, "get_jobs_to_schedule", admin_presses_meanwhile)
    rq_scheduler_pass(redis_client)
    monkeypatch.setattr(ScheduledJobRegistry, "get_jobs_to_schedule", read_due)
    assert queue(redis_client).job_ids == [packet.job_id]
    run_jobs(redis_client)
    done = Packet.get_by_id(packet.id)
    assert done.status == PacketStatus.DONE and done.attempts == 2
    assert registry.get_job_ids() == [] and queue(redis_client).job_ids == []


def test_the_sweep_recovers_a_packet_whose_retries_ran_out(job_env, redis_client, application, monkeypatch):
    real = packets.render_packet
    monkeypatch.setattr(packets, "render_packet", lambda source: (_ for _ in ()).throw(OSError("disk full")))
    key = state_key(opinions_of(application, application.version))
    job_id = f"packet-{application.id}-v{application.version}-{key}"
    enqueue_once(redis_client, "workers.packets.compile_packet", job_id, application.id,
                 application.version, key)  # no retries left at all
    run_jobs(redis_client)
    assert queue(redis_client).fetch_job(job_id).get_status() == "failed"
    monkeypatch.setattr(packets, "render_packet", real)
    assert packets.requeue_lost(redis_client) == []  # too young: its job may be on its way
    assert packets.requeue_lost(redis_client, now=utcnow() + dt.timedelta(minutes=5)) == [job_id]
    run_jobs(redis_client)
    assert Packet.get(Packet.review_state_key == key).status == PacketStatus.DONE


def _paused_job(redis_client, application):
    """Enqueue the pausing packet job; rq re-enqueues it at once when it is lost."""
    key = state_key(opinions_of(application, application.version))
    job_id = f"packet-{application.id}-v{application.version}-{key}"
    enqueue_once(redis_client, "tests.workers.packet_hooks.compile_pausing", job_id, application.id,
                 application.version, key, retry=Retry(max=2), job_timeout=120)
    return key


def _wait_for_pause(redis_client):
    """The work horse's pid once it holds the half-written PDF."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        # Short blocking reads: redis-py's default socket timeout is 5 s.
        reached = redis_client.blpop(packet_hooks.REACHED, timeout=1)
        if reached:
            return int(reached[1])
    raise AssertionError("the packet job never reached its pause")


def _wait_done(key):
    """The packet row once it is DONE (polling the database)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        packet = Packet.get_or_none(Packet.review_state_key == key)
        if packet and packet.status == PacketStatus.DONE:
            return packet
        time.sleep(0.3)
    raise AssertionError("the packet was not compiled again")


def _nothing_visible(config, application, key):
    """While killed mid-write: no final file, only hidden temporaries, the row not done."""
    folder = config.storage_dir / f"packets/{application.id}/v{application.version}-{key}"
    assert [p.name for p in folder.iterdir() if not p.name.startswith(".")] == []
    assert any(p.name.endswith(".tmp") for p in folder.iterdir())
    assert Packet.get(Packet.review_state_key == key).status == PacketStatus.RUNNING
    assert packets.latest_packet(application) is None


def _kill_if_alive(pid):
    """SIGKILL a work horse this test made, unless it is gone already."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def test_killing_the_work_horse_mid_write_then_the_job_runs_again(job_env, redis_client, application, config):
    key = _paused_job(redis_client, application)
    worker = WorkerProcess(job_env)
    horse = None
    try:
        horse = _wait_for_pause(redis_client)
        _nothing_visible(config, application, key)
        _kill_if_alive(horse)
        packet = _wait_done(key)
    finally:
        worker.stop()
        if horse:
            _kill_if_alive(horse)
    assert packet.attempts == 2 and packet_files_ok(config, packet)
    assert Notice.select().where(Notice.kind == "packet_ready").count() == 2


def test_killing_the_whole_worker_mid_write_then_rq_cleanup_runs_it_again(job_env, redis_client, application,
                                                                           config):
    key = _paused_job(redis_client, application)
    worker = WorkerProcess(job_env)
    horse = None
    try:
        horse = _wait_for_pause(redis_client)
        worker.kill()
        _kill_if_alive(horse)
        _nothing_visible(config, application, key)
        # rq's abandoned-job cleanup, as a surviving worker runs it once the job's heartbeat
        # has lapsed (about 90 s); here it is told the time has come.
        StartedJobRegistry(queue=queue(redis_client)).cleanup(timestamp=time.time() + 3600)
        worker = WorkerProcess(job_env)
        packet = _wait_done(key)
    finally:
        worker.stop()
        if horse:
            _kill_if_alive(horse)
    assert packet.attempts == 2 and packet_files_ok(config, packet)


def test_a_packet_waiting_for_the_units_stamps_says_what_to_do(job_env, redis_client, world, config):
    paper_first, _, _ = submitted(world, FileStore(config.storage_dir), ApplicationKind.DISTRICT_HOME)
    packets.enqueue_packet(redis_client, paper_first)
    run_jobs(redis_client)
    told = Notice.select().where(Notice.kind == "packet_ready").first().payload["text"]
    assert told.endswith("请在小程序“申报详情”上传盖章页扫描件，审核才会继续。")


def test_a_packet_for_a_reviewer_asks_nothing_of_the_unit(job_env, redis_client, application):
    packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    assert "盖章页扫描件" not in Notice.select().where(Notice.kind == "packet_ready").first().payload["text"]


def test_the_zip_holds_the_stamped_pages_once_the_unit_has_uploaded_them(job_env, redis_client, world, config):
    store = FileStore(config.storage_dir)
    paper_first, chair, _ = submitted(world, store, ApplicationKind.DISTRICT_HOME)
    scan = evidence.store(store, b"%PDF-1.4 stamped pages", FileKind.PDF, "application/pdf")
    evidence.attach(paper_first, chair, "stamped:unit_paper", scan)
    review.complete_paper_step(paper_first, chair)
    packet = packets.enqueue_packet(redis_client, paper_first)
    run_jobs(redis_client)
    names = zipfile.ZipFile(packets.packet_path(config, Packet.get_by_id(packet.id), "zip")).namelist()
    # Named after the opinion blocks the unit stamped, in words the reviewers read.
    assert "盖章页扫描件/同级行政意见、同级党委意见_1.pdf" in names, names


def test_a_failed_packet_says_why_in_chinese_where_the_packet_would_be(job_env, redis_client, application, config):
    """The storage folder cannot take the packet (here a file stands where its folder goes): the
    row says why in Chinese, the unit and the admins see it instead of “尚未生成” for ever, and
    no file is in place as if the packet were done."""
    blocked = config.storage_dir / "packets" / str(application.id)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"not a folder")
    packet = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    failed = Packet.get_by_id(packet.id)
    assert failed.status == PacketStatus.FAILED and packets.latest_packet(application) is None
    assert failed.detail.startswith("第1版生成失败：服务器上的文件读写出错"), failed.detail
    assert "系统会自动重试" in failed.detail
    assert packets.packet_state(application) == failed.detail
    blocked.unlink()  # the admin frees the folder; the retry makes the packet
    queue(redis_client).scheduled_job_registry.remove(packet.job_id)
    queue(redis_client).enqueue_job(queue(redis_client).fetch_job(packet.job_id))
    run_jobs(redis_client)
    assert Packet.get_by_id(packet.id).status == PacketStatus.DONE and packets.packet_state(application) == ""


RACERS = 8
ROUNDS = 10


def _enqueue_at_once(redis_client, application):
    """RACERS requests for the application's packet at the same moment (review steps, the unit
    and an admin asking again), each in its own thread with its own database connection."""
    start = threading.Barrier(RACERS)
    errors = []

    def ask():
        try:
            start.wait()
            packets.enqueue_packet(redis_client, application)
        except Exception as exc:  # noqa: BLE001 (reported by the test)
            errors.append(exc)
        finally:
            db.database.close()
    threads = [threading.Thread(target=ask) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_requests_for_a_packet_at_the_same_moment_queue_one_job(job_env, redis_client, application):
    """Requests that each found no job and each enqueued one would queue the job twice, and two
    workers would compile the same packet at once into the same folder."""
    for _ in range(ROUNDS):
        _enqueue_at_once(redis_client, application)
        job_ids = queue(redis_client).job_ids
        assert len(job_ids) == 1, job_ids
        queue(redis_client).fetch_job(job_ids[0]).delete()  # the next round starts with no job again
    _enqueue_at_once(redis_client, application)
    run_jobs(redis_client)
    assert Packet.get(Packet.application == application).attempts == 1


def test_asking_again_while_the_packet_compiles_runs_it_once_and_a_newer_state_still_runs(
        job_env, redis_client, application, world):
    key = state_key(opinions_of(application, application.version))
    job_id = f"packet-{application.id}-v{application.version}-{key}"
    enqueue_once(redis_client, "tests.workers.packet_hooks.compile_asked_for_again", job_id, application.id,
                 application.version, key, world.system_admin.id)
    run_jobs(redis_client)
    first, newer = Packet.select().where(Packet.application == application).order_by(Packet.id)
    assert first.review_state_key == key and first.status == PacketStatus.DONE and first.attempts == 1
    assert newer.review_state_key != key and newer.status == PacketStatus.DONE
    assert packets.latest_packet(application).id == newer.id and queue(redis_client).job_ids == []


def test_a_packet_drawn_by_an_older_layout_is_served_and_compiled_again_when_downloaded(
        job_env, redis_client, application, monkeypatch):
    """Packets remember their layout, as signs do: after a change to the layout, the next download of
    a packet made before it asks for it anew (once), and the old one is served until the new one is
    done."""
    packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    old = packets.latest_packet(application)
    assert old.layout == packets.PACKET_LAYOUT and packets.refresh_outdated(redis_client, application, old) == ""
    assert queue(redis_client).job_ids == []
    monkeypatch.setattr(packets, "PACKET_LAYOUT", packets.PACKET_LAYOUT + 1)
    note = packets.refresh_outdated(redis_client, application, old)
    assert note.startswith("材料包的版式已更新：这次下载的第1版仍是旧版式")
    packets.refresh_outdated(redis_client, application, old)  # downloaded again meanwhile
    assert len(queue(redis_client).job_ids) == 1 and packets.latest_packet(application).id == old.id
    run_jobs(redis_client)
    new = packets.latest_packet(application)
    assert new.id != old.id and new.version == old.version and new.layout == old.layout + 1
    assert packets.refresh_outdated(redis_client, application, new) == ""
    # Drawn anew, nothing new for the unit: the chair and staff were told once, of the first.
    assert Notice.select().where(Notice.kind == "packet_ready").count() == 2


def test_a_job_asked_for_before_a_layout_change_makes_way_for_the_new_layout(
        job_env, redis_client, application, monkeypatch):
    """A packet queued before a deploy that changes the layout: its job stands down and asks for
    the packet of the new layout, which nothing else would ask for."""
    queued = packets.enqueue_packet(redis_client, application)
    monkeypatch.setattr(packets, "PACKET_LAYOUT", packets.PACKET_LAYOUT + 1)
    run_jobs(redis_client)
    assert Packet.get_by_id(queued.id).status == PacketStatus.SUPERSEDED
    assert packets.latest_packet(application).layout == packets.PACKET_LAYOUT


def test_a_job_whose_key_an_older_release_computed_makes_way_for_the_current_packet(
        job_env, redis_client, application):
    """A packet queued before this release (its state key was computed another way): its job stands
    down and asks for the packet of the current state, which nothing else would ask for."""
    stale_key = "0123456789abcdef"
    enqueue_once(redis_client, "workers.packets.compile_packet", f"packet-{application.id}-v1-{stale_key}",
                 application.id, application.version, stale_key)
    run_jobs(redis_client)
    assert Packet.get(Packet.review_state_key == stale_key).status == PacketStatus.SUPERSEDED
    assert packets.latest_packet(application).review_state_key == state_key(opinions_of(application, 1))


def test_a_job_for_a_version_resubmitted_since_stands_down_without_telling_the_unit_to_print_it(
        job_env, redis_client, application, world):
    """The packet of the returned 第1版 is still queued when the unit resubmits: it is not made
    any more, and nobody is asked to print and stamp 第1版 (only 第2版)."""
    from miniapp_backend.services import submissions
    review.decide(application, world.system_admin, Decision.RETURN, "照片不清晰",
                  rectify_deadline=dt.date(2018, 5, 20), today=IN_WINDOW)
    returned = packets.enqueue_packet(redis_client, application)  # its job waits …
    submissions.submit(application, world.chair, today=IN_WINDOW)  # … while the unit resubmits
    second = packets.enqueue_packet(redis_client, application)
    run_jobs(redis_client)
    assert Packet.get_by_id(returned.id).status == PacketStatus.SUPERSEDED
    assert Packet.get_by_id(second.id).status == PacketStatus.DONE and second.version == 2
    told = [n.payload["text"] for n in Notice.select().where(Notice.kind == "packet_ready")]
    assert len(told) == 2 and all("第2版" in text for text in told), told


def _block_storage(config, application):
    """A file where the application's packet folder goes: every run fails with an OSError."""
    blocked = config.storage_dir / "packets" / str(application.id)
    blocked.parent.mkdir(parents=True, exist_ok=True)
    blocked.write_bytes(b"not a folder")
    return blocked


def test_the_last_automatic_run_says_nothing_retries_by_itself_and_who_can_act(
        job_env, redis_client, application, config):
    _block_storage(config, application)
    packet = packets.enqueue_packet(redis_client, application)
    Packet.update(attempts=packets.MAX_ATTEMPTS - 1).where(Packet.id == packet.id).execute()
    job = queue(redis_client).fetch_job(packet.job_id)
    job.retries_left = 0  # rq's retries are spent too: this is the last run anyone makes
    job.save()
    run_jobs(redis_client)
    failed = Packet.get_by_id(packet.id)
    assert failed.status == PacketStatus.FAILED and failed.attempts == packets.MAX_ATTEMPTS
    assert "系统会自动重试" not in failed.detail, failed.detail
    assert "不再自动重试" in failed.detail and "重新生成材料包" in failed.detail and "组宣部" in failed.detail
    assert packets.requeue_lost(redis_client, now=utcnow() + dt.timedelta(minutes=5)) == []  # as it says


def test_a_packet_job_past_its_time_limit_says_so_in_chinese(job_env, redis_client, application, monkeypatch):
    real = packets.render_packet

    def slow(source):
        time.sleep(5)
        return real(source)
    monkeypatch.setattr(packets, "render_packet", slow)
    key = state_key(opinions_of(application, application.version))
    job_id = f"packet-{application.id}-v{application.version}-{key}"
    enqueue_once(redis_client, "workers.packets.compile_packet", job_id, application.id,
                 application.version, key, job_timeout=1)
    run_jobs(redis_client)
    failed = Packet.get(Packet.review_state_key == key)
    assert failed.status == PacketStatus.FAILED and "生成超时" in failed.detail, failed.detail
    assert "JobTimeoutException" not in failed.detail and "程序出错" not in failed.detail
