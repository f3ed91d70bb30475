"""WeChat's TEMPLATESENDJOBFINISH reports: how a template send ended, applied to its notice.

A report may come before our send job has stored the msgid WeChat returned (the callback races the
job's write), or after a read timeout left the job without one. Each report is kept in Redis for a
day by its recipient's openid and msgid, so whichever of the two comes second applies it.
"""
import datetime as dt
import json

from miniapp_backend.clock import utcnow
from miniapp_backend.models import Channel, Identity, Notice, NoticeStatus
from miniapp_backend.models.notifications import STALE_CLAIM

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


# TEMPLATESENDJOBFINISH's Status ("failed:user block", "failed: system failed"; Tencent spaces them
# unevenly, so compared without spaces) when a template message did not reach the person; "success"
# needs no change (the ledger already says sent).
TEMPLATE_UNDELIVERED = {"failed:userblock": "用户拒收", "failed:systemfailed": "微信系统发送失败"}
UNDELIVERED = "模板消息未送达：{reason}"
BLOCKED_BY_USER = UNDELIVERED.format(reason=TEMPLATE_UNDELIVERED["failed:userblock"])
CONFIRMED_LATE = "微信未确认发送结果（未及时答复或答复服务器错误），随后的送达报告确认已送达"


def record(redis, openid, msgid, status):
    """WeChat reports how the template send `msgid` to `openid` ended: a message the user blocked,
    or WeChat failed to deliver, is marked failed with the reason in Chinese; a send left UNKNOWN
    learns its outcome. A report no notice can take yet (its send job has not stored the msgid) is
    kept for the job to apply (apply_kept). True when a notice took it."""
    at = utcnow()
    keep(redis, openid, msgid, status, at)
    identity = Identity.get_or_none(channel=Channel.OFFICIAL, openid=openid)
    if not _settle(identity and identity.person_id, msgid, status, at):
        return False
    drop(redis, openid, msgid)
    return True


def apply_kept(redis, notice):
    """After a template send: the reports that came before its outcome was stored."""
    openid = Identity.get(person=notice.person_id, channel=Channel.OFFICIAL).openid
    for msgid, status, at in waiting(redis, openid, utcnow()):
        if _settle(notice.person_id, msgid, status, at):
            drop(redis, openid, msgid)


def _settle(person_id, msgid, status, at):
    """Apply one report to the notice sent with `msgid`, else to the person's UNKNOWN template
    notice it may be about; True when a notice took it (a known msgid always does)."""
    reason = TEMPLATE_UNDELIVERED.get((status or "").replace(" ", "").lower())
    if Notice.select().where(Notice.msgid == msgid, Notice.channel == "template").exists():
        if reason:
            (Notice.update(status=NoticeStatus.FAILED, detail=UNDELIVERED.format(reason=reason), updated_at=utcnow())
             .where(Notice.msgid == msgid, Notice.channel == "template", Notice.status == NoticeStatus.SENT).execute())
        return True
    unconfirmed = _unconfirmed_template_notice(person_id, at)
    if unconfirmed is None:
        return False
    outcome = ({"status": NoticeStatus.FAILED, "detail": UNDELIVERED.format(reason=reason)} if reason else
               {"status": NoticeStatus.SENT, "detail": CONFIRMED_LATE, "sent_at": at})
    return bool(Notice.update(msgid=msgid, updated_at=utcnow(), **outcome)
                .where(Notice.id == unconfirmed.id, Notice.status == NoticeStatus.UNKNOWN).execute())


def _unconfirmed_template_notice(person_id, at):
    """The oldest template notice to the person (None: not a follower we know) left UNKNOWN whose send began before `at` (a send
    takes less than STALE_CLAIM) and not a day earlier. None while another notice to the person
    is being sent: the report may be that one's, which applies it once it knows its msgid."""
    if person_id is None or Notice.select().where(Notice.person == person_id,
                                                  Notice.status == NoticeStatus.SENDING).exists():
        return None
    return (Notice.select().where(Notice.person == person_id, Notice.channel == "template",
                                  Notice.status == NoticeStatus.UNKNOWN,
                                  Notice.updated_at.between(at - KEEP, at + STALE_CLAIM))
            .order_by(Notice.id).first())
