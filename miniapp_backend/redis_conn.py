"""Opening the one Redis every process shares."""
import redis


def open_redis(config):
    """A Redis client for the configured URL (nothing connects until first use).

    The embedded server is started by `make run` (scripts/run.py) for every process it runs;
    a client never starts one itself, so CLI calls leave no daemon behind.
    """
    return redis.Redis.from_url(config.redis_url, socket_timeout=5, health_check_interval=30)
