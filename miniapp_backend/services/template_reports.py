"""WeChat's TEMPLATESENDJOBFINISH reports, kept in Redis until a notice can take them.

A report may come before our send job has stored the msgid WeChat returned (the callback races the
job's write), or after a read timeout left the job without one. Each report is kept for a day by
its recipient's openid and msgid, so whichever of the two comes second applies it.
"""
import datetime as dt
import json

KEEP = dt.timedelta(days=1)
KEY = "notice:template-reports:{openid}"


def keep(redis, openid, msgid, status, at):
    """Keep the report `status` on `msgid`, which reached us `at` (naive UTC)."""
    key = KEY.format(openid=openid)
    pipe = redis.pipeline(transaction=True)
    pipe.hset(key, str(msgid), json.dumps({"status": status, "at": at.isoformat()}))
    pipe.expire(key, int(KEEP.total_seconds()))
    pipe.execute()


def waiting(redis, openid, now):
    """The reports kept for `openid` less than a day before `now`: [(msgid, status, at)], oldest first."""
    reports = []
    for msgid, text in redis.hgetall(KEY.format(openid=openid)).items():
        report = json.loads(text)
        at = dt.datetime.fromisoformat(report["at"])
        if at > now - KEEP:
            reports.append((int(msgid), report["status"], at))
    return sorted(reports, key=lambda report: report[2])


def drop(redis, openid, msgid):
    """Forget the report on `msgid` (a notice took it)."""
    redis.hdel(KEY.format(openid=openid), str(msgid))
