"""Opening the one Redis every process shares."""
import redis

from miniapp_backend import embedded_redis


def open_redis(config):
    """A Redis client for the configured URL; starts the embedded server when it is the default."""
    if config.redis_embedded:
        embedded_redis.ensure_daemon(config.var_dir / "redis")
    return redis.Redis.from_url(config.redis_url, socket_timeout=5, health_check_interval=30)
