"""Photos sent in chat get their print copy in the download job, so packets need not decode them."""
from miniapp_backend.models import EvidenceLink
from miniapp_backend.models.chat_media import ChatMedia, MediaStatus
from miniapp_backend.packets.print_copies import PrintCache, print_image, print_key
from miniapp_backend.storage import FileStore
from tests.bots.conftest import add_photo
from tests.bots.flows import pick_kind
from tests.packets.builders import ROTATE_90_CW, photo


def test_the_download_job_keeps_the_print_copy(world, wechat_user, standin, jobs, config):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    sent = photo(1, size=(2000, 1500), orientation=ROTATE_90_CW)
    user.photo(add_photo(standin, sent))
    jobs()
    stored = ChatMedia.get().file
    kept = PrintCache(FileStore(config.storage_dir)).get(print_key(stored.sha256))
    assert kept == print_image(sent).data


def test_an_undecodable_chat_image_is_not_kept_and_the_chair_is_asked_again(world, wechat_user, standin, jobs):
    """A packet could never print it: refused while the chair can still send another."""
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.photo(add_photo(standin, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32))  # a PNG signature and nothing else
    jobs()
    media = ChatMedia.get()
    assert media.status == MediaStatus.FAILED and media.file is None and EvidenceLink.select().count() == 0
    told = [e for e in standin.state.sent if e["openid"] == "o-王建国"][-1]["payload"]["text"]["content"]
    assert told == "您在申报中发送的一张照片未能保存（图片无法识别），请在第1项下重新发送。"
