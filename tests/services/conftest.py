"""Fixtures shared by the notification tests: the real messenger over the stand-in, and a chair
known to both the official account and the mini-program."""
import pytest

from miniapp_backend import wechat
from miniapp_backend.models import Channel
from miniapp_backend.services import people


@pytest.fixture
def messenger(official, miniapp):
    return wechat.WeChatMessenger(official, miniapp)


@pytest.fixture
def chair(world):
    """The chair, also known to the mini-program."""
    mini = people.person_for(Channel.MINIAPP, "m-chair")
    code = people.create_link_code(world.chair, Channel.OFFICIAL)
    return people.redeem_link_code(mini, Channel.MINIAPP, code.code)
