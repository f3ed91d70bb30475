"""Small pieces on their own: ranges and pages, commands, the security helpers, nearby search."""
import base64
import os

import pytest
from wechatpy.crypto import WeChatCrypto

from bots import activity, dedupe, security
from bots.admission import Admission, admit, finish
from bots.conversation import session
from bots.conversation.session import UserTurn
from bots.conversation.matchers import Command, parse_command, parse_number, parse_numbers
from bots.conversation.render import paginate, ranges, size
from standin import crypto as wx_crypto
from standin.callback import parse_xml

FOOTER = "（第{}/{}页）".format


def test_ranges_condense_runs():
    assert ranges([1, 2, 3, 5, 7, 8, 9, 12, 13]) == "1-3、5、7-9、12、13"
    assert ranges([]) == ""


def test_pages_fit_and_break_between_sentences():
    text = "\n".join(f"第{n}句话说明一些事情。" * 3 for n in range(200))
    pages = paginate(text, FOOTER)
    assert len(pages) > 1 and all(size(page) <= 2048 for page in pages)
    assert all(page.split("\n")[-2].endswith("。") for page in pages[:-1])
    bodies = [page.rsplit("\n", 1)[0] for page in pages[:-1]] + pages[-1:]
    assert "".join(bodies).count("句话") == 600


def test_a_sentence_longer_than_a_page_is_cut_by_characters():
    pages = paginate("字" * 1500, FOOTER)
    assert len(pages) == 3 and all(size(page) <= 2048 for page in pages)


@pytest.mark.parametrize("text, command", [
    ("修改 5", Command.JUMP), ("第12项", Command.JUMP), ("修改验收单第3项", Command.JUMP),
    ("跳过。", Command.SKIP), ("？", Command.HELP), ("绑定 ab12cd34", Command.BIND),
    ("这张也用于第6、7项", Command.SHARE), ("附近驿站", Command.NEARBY), ("主要事迹", None),
    ("第二十项", Command.JUMP), ("验收单第3项", Command.JUMP), ("登记表 5", Command.JUMP), ("3", None),
    ("这张也用于第六、七项", Command.SHARE), ("也用于第6，7项", Command.SHARE),
    ("这个也用在第6项", Command.SHARE), ("这张照片同时用于第6项和第7项", Command.SHARE),
    ("用于第6项", None)])
def test_commands(text, command):
    found = parse_command(text)
    assert (found[0] if found else None) == command


def test_item_numbers():
    assert parse_numbers("6、7") == [6, 7]
    assert parse_numbers("6,8-10和12") == [6, 8, 9, 10, 12]
    assert parse_numbers("六、八至十") == [6, 8, 9, 10]
    assert parse_numbers("第6项和第7项") == [6, 7]


@pytest.mark.parametrize("text, number", [
    ("12", 12), ("十", 10), ("十二", 12), ("二十", 20), ("二十一", 21), ("两", 2), ("一百零五", 105),
    ("二三", None), ("", None), ("第", None), pytest.param("9" * 5000, None, id="5000 digits")])
def test_chinese_numerals(text, number):
    assert parse_number(text) == number


def test_signature_and_timestamp_checks():
    parts = ("tok", "1409735669", "1320562132")
    security.check_signature(parts, wx_crypto.signature(*parts))
    with pytest.raises(security.Rejected):
        security.check_signature(parts, None)
    security.check_timestamp("1000", now=1200)
    with pytest.raises(security.Rejected):
        security.check_timestamp("1000", now=1301)


def test_decrypt_against_an_independent_encryptor():
    key = base64.b64encode(os.urandom(32)).decode()[:43]
    encrypt = wx_crypto.MessageCrypto(key, "wxapp").encrypt("<xml><A>中文</A></xml>")
    assert security.decrypt(key, "wxapp", encrypt).decode() == "<xml><A>中文</A></xml>"
    with pytest.raises(security.Rejected):
        security.decrypt(key, "wxother", encrypt)
    with pytest.raises(security.Rejected):
        security.decrypt(key, "wxapp", "not base64!")
    with pytest.raises(security.Rejected):
        security.decrypt(key, "wxapp", base64.b64encode(b"short").decode())


def test_encrypted_replies_open_with_an_independent_decryptor_and_with_wechatpy():
    key = base64.b64encode(os.urandom(32)).decode()[:43]
    xml = "<xml><Content><![CDATA[第3项已记录。" + "字" * 300 + "]]></Content></xml>"
    envelope = parse_xml(security.encrypt("tok", key, "wxapp", xml, "4242", "1409735669"))
    assert envelope["Nonce"] == "4242" and envelope["TimeStamp"] == "1409735669"
    assert envelope["MsgSignature"] == wx_crypto.msg_signature("tok", "1409735669", "4242", envelope["Encrypt"])
    prefix, plain, appid = wx_crypto.MessageCrypto(key, "wxapp").unpack(envelope["Encrypt"])
    assert (plain.decode(), appid, len(prefix)) == (xml, "wxapp", 16)
    reply = security.encrypt("tok", key, "wxapp", xml, "4242", "1409735669")
    signature = parse_xml(reply)["MsgSignature"]
    assert WeChatCrypto("tok", key, "wxapp").decrypt_message(reply, signature, "1409735669", "4242") == xml
    assert security.sign("b", "a", "c") == wx_crypto.signature("a", "b", "c")


def _admit(redis, nonce, body, message_key, openid="o-1", acted=False):
    return admit(redis, nonce, body, message_key, UserTurn(redis, openid), acted)


def test_nonces_may_repeat_only_with_the_same_body(redis_client):
    assert _admit(redis_client, "n1", b"body", "id:1") == Admission.FIRST
    assert _admit(redis_client, "n1", b"body", "id:1") == Admission.RETRY
    assert _admit(redis_client, "n1", b"other", "id:2") == Admission.REPLAYED
    # The replay touched nothing: message 2 is still new under a fresh nonce.
    assert _admit(redis_client, "n2", b"other", "id:2") == Admission.FIRST


def test_activity_is_noted_once_a_minute_and_only_for_first_attempts(redis_client):
    assert _admit(redis_client, "n1", b"a", "id:1", "o-1", acted=True) == Admission.FIRST_ACTIVE
    assert _admit(redis_client, "n1", b"a", "id:1", "o-1", acted=True) == Admission.RETRY
    assert _admit(redis_client, "n2", b"b", "id:2", "o-1", acted=True) == Admission.FIRST
    assert _admit(redis_client, "n3", b"c", "id:3", "o-2", acted=True) == Admission.FIRST_ACTIVE
    assert 0 < redis_client.ttl(activity.NOTED_KEY.format("o-1")) <= activity.NOTE_EVERY_SECONDS
    redis_client.delete(activity.NOTED_KEY.format("o-1"))
    assert _admit(redis_client, "n4", b"d", "id:4", "o-1", acted=True) == Admission.FIRST_ACTIVE


def test_admission_takes_a_free_turn_and_finishing_lets_it_go(redis_client):
    first = UserTurn(redis_client, "o-1")
    assert admit(redis_client, "n1", b"a", "id:1", first, True) == Admission.FIRST_ACTIVE
    assert first.held and first.stored is None
    # A second message of the same user meanwhile finds the turn taken: it will wait for it.
    second = UserTurn(redis_client, "o-1")
    assert admit(redis_client, "n2", b"b", "id:2", second, True) == Admission.FIRST
    assert not second.held
    first.keep('{"state": "idle"}')
    finish(redis_client, "id:1", "<xml>answer</xml>", first)
    assert dedupe.answer_of(redis_client, "id:1") == "<xml>answer</xml>"
    with second:  # taken now that the first let go, with the position the first kept
        assert second.stored == '{"state": "idle"}'
    finish(redis_client, "id:2", "success", second)
    assert not redis_client.exists(session.LOCK_KEY.format("o-1"))
