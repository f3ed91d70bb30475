"""A packet job that stops mid-write on its first attempt, so a test can kill it there.

The first attempt writes the PDF under its temporary name, tells the test its pid through Redis
and sleeps; later attempts run straight through.
"""
import os
import time

from miniapp_backend import storage
from workers import packets
from workers.context import job_context

REACHED = "packet-test:reached"
ATTEMPTS = "packet-test:attempts"
WAIT_SECONDS = 300


def _pausing_write(target, data):
    """write_atomically that stops after the temporary file is written, before the rename."""
    original = os.replace

    def held_replace(source, destination):
        """Signal the test and wait to be killed instead of renaming."""
        with job_context() as ctx:
            ctx.redis.rpush(REACHED, os.getpid())
        time.sleep(WAIT_SECONDS)  # the test kills us long before this ends
        original(source, destination)
    os.replace = held_replace
    try:
        storage.write_atomically(target, data)
    finally:
        os.replace = original


def compile_pausing(application_id, version, review_state_key):
    """compile_packet, pausing inside the first file write of the first attempt."""
    with job_context() as ctx:
        first = ctx.redis.incr(ATTEMPTS) == 1
    if first:
        packets.write_atomically = _pausing_write
    return packets.compile_packet(application_id, version, review_state_key)


def compile_asked_for_again(application_id, version, review_state_key, reviewer_id):
    """compile_packet while the unit asks for the same packet again, then, still in the job, a
    reviewer approves and the newer packet is asked for: both asks meet this job running."""
    from miniapp_backend.models import Application, Decision, Person
    from miniapp_backend.services import review
    from tests.factories import IN_WINDOW
    with job_context() as ctx:
        packets.enqueue_packet(ctx.redis, Application.get_by_id(application_id))
    result = packets.compile_packet(application_id, version, review_state_key)
    with job_context() as ctx:
        application = Application.get_by_id(application_id)
        review.decide(application, Person.get_by_id(reviewer_id), Decision.APPROVE, "同意上报", today=IN_WINDOW)
        packets.enqueue_packet(ctx.redis, application)
    return result
