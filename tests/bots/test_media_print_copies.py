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


def test_an_undecodable_chat_image_is_still_stored_without_a_copy(world, wechat_user, standin, jobs, config):
    user = wechat_user("o-王建国")
    pick_kind(user, "示范职工之家")
    user.say("确认")
    user.photo(add_photo(standin))  # a PNG signature and nothing else
    jobs()
    media = ChatMedia.get()
    assert media.status == MediaStatus.STORED and EvidenceLink.select().count() == 1
    assert PrintCache(FileStore(config.storage_dir)).get(print_key(media.file.sha256)) is None
