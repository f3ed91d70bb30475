"""`python -m workers`: an rq worker with rq's own scheduler (for retries and delayed jobs)."""
import logging

from rq import Worker

from miniapp_backend.config import Config
from miniapp_backend.redis_conn import open_redis
from workers.preload import preload
from workers.queues import DEFAULT_QUEUE

# rq's default maintenance interval (10 min) makes abandoned jobs of a killed worker wait that
# long before they are retried; one minute keeps recovery prompt.
MAINTENANCE_INTERVAL = 60


def main():
    """Work the default queue until told to stop."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    redis = open_redis(Config.from_env())
    # Loaded once here, the packet renderers and fonts are inherited by every forked job.
    preload()
    worker = Worker([DEFAULT_QUEUE], connection=redis, maintenance_interval=MAINTENANCE_INTERVAL)
    worker.work(with_scheduler=True)


if __name__ == "__main__":
    main()
