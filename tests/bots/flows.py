"""Conversation steps shared by the bot tests (helpers, not tests)."""
from miniapp_backend.models import Application, FileKind
from miniapp_backend.services import evidence
from miniapp_backend.storage import FileStore
from tests.bots.conftest import add_photo
from tests.factories import make_qualified


def answer_items(user, standin, count, first=1):
    """Items `first`..`count`: a photo each, then 是; checks every acknowledgement."""
    for no in range(first, count + 1):
        assert f"已收到第{no}项的照片，共1张" in user.photo(add_photo(standin))
        reply = user.say("是")
        assert f"第{no}项已记录：是，照片1张" in reply, reply
    return reply


def pick_kind(user, label):
    """申报, then the number of the kind labelled `label`."""
    listing = user.say("申报")
    line = next(line for line in listing.splitlines() if label in line and line[:1].isdigit())
    return user.say(line.split(".")[0])


def start_checklist(user, label):
    """Subscribe, pick the kind labelled `label`, confirm the header: the chair stands at item 1."""
    user.event("subscribe")
    pick_kind(user, label)
    return user.say("确认")


def declare_in_chat(user, congress_day):
    """合格申报 through to 确认 with the 会员代表大会's date and one photo of its minutes; the last reply."""
    user.say("合格申报")
    user.say(congress_day)
    user.photo("minutes-page-1")
    user.say("好了")
    return user.say("确认")


def district_home_draft(world, wechat_user):
    """王建国 in chat with a 区级先进职工之家 draft open (his unit holds 合格职工之家 first)."""
    make_qualified(world.unit)
    user = wechat_user("o-王建国")
    pick_kind(user, "区级先进职工之家")
    return user


def upload_report(config, application, person):
    """The 会员评家报告 as the mini-program uploads it (official accounts cannot receive files)."""
    stored = evidence.store(FileStore(config.storage_dir), b"%PDF-1.4 report", FileKind.PDF,
                            "application/pdf")
    evidence.attach(application, person, "report", stored, today=application.round.opens_on)


def only_application():
    """The single application the test created."""
    return Application.get()
