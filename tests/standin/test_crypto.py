"""standin.crypto against Tencent's official sample vector and against wechatpy both ways."""
import pytest
from wechatpy.crypto import WeChatCrypto
from wechatpy.utils import check_signature

from standin import crypto
from tests.standin.conftest import new_aes_key

SAMPLE_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
SAMPLE_TOKEN, SAMPLE_APPID = "spamtest", "wx2c2769f8efd9abc2"
SAMPLE_TIMESTAMP, SAMPLE_NONCE = "1409735669", "1320562132"
SAMPLE_MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
SAMPLE_SIGNATURE = "16120ec1b8dbb870f510d87ce6bc2463eae6ca1a"
# From Tencent's cryptoDemo (the same value appears in SDK test suites).
SAMPLE_ENCRYPT = (
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PG"
    "HQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6"
    "tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp"
    "3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhv"
    "Ql+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=")


def test_sample_signatures():
    """Both signatures of the official sample."""
    assert crypto.signature(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE) == SAMPLE_SIGNATURE
    assert crypto.msg_signature(SAMPLE_TOKEN, SAMPLE_TIMESTAMP, SAMPLE_NONCE,
                                SAMPLE_ENCRYPT) == SAMPLE_MSG_SIGNATURE


def test_sample_decrypts_and_reencrypts_exactly():
    """The sample decrypts to the abcdteT text message; re-encrypting reproduces it exactly."""
    box = crypto.MessageCrypto(SAMPLE_KEY, SAMPLE_APPID)
    xml = box.decrypt(SAMPLE_ENCRYPT)
    assert "<Content><![CDATA[abcdteT]]></Content>" in xml
    assert "<MsgType><![CDATA[text]]></MsgType>" in xml
    prefix, body, appid = box.unpack(SAMPLE_ENCRYPT)
    assert appid == SAMPLE_APPID
    assert box.encrypt(body, random_prefix=prefix) == SAMPLE_ENCRYPT


def test_wrong_appid_and_damage_are_refused():
    """Another AppId, a flipped byte (bad padding) or garbage raise CryptoError."""
    with pytest.raises(crypto.CryptoError):
        crypto.MessageCrypto(SAMPLE_KEY, "wx0000000000000001").decrypt(SAMPLE_ENCRYPT)
    box = crypto.MessageCrypto(SAMPLE_KEY, SAMPLE_APPID)
    flipped = "A" if SAMPLE_ENCRYPT[-6] != "A" else "B"
    damaged = SAMPLE_ENCRYPT[:-6] + flipped + SAMPLE_ENCRYPT[-5:]
    with pytest.raises(crypto.CryptoError):
        box.decrypt(damaged)
    with pytest.raises(crypto.CryptoError):
        box.decrypt("not base64!")
    with pytest.raises(crypto.CryptoError):
        crypto.MessageCrypto("short", SAMPLE_APPID)


def test_padding_is_to_32_byte_blocks():
    """A full extra block of padding when the plaintext is already aligned."""
    assert crypto._pad(b"x" * 32)[-1] == 32
    assert len(crypto._pad(b"x" * 33)) == 64


def test_signature_accepted_by_wechatpy():
    """wechatpy's check_signature accepts ours (it raises otherwise)."""
    check_signature("standintoken", crypto.signature("standintoken", "1700000000", "42"),
                    "1700000000", "42")


@pytest.mark.parametrize("text", ["<xml><Content><![CDATA[你好]]></Content></xml>", "x" * 96])
def test_cross_check_with_wechatpy_both_ways(text):
    """Our ciphertext decrypts in wechatpy, and wechatpy's decrypts in ours."""
    key, token, appid = new_aes_key(), "tok", "wx0000000000000001"
    ours = crypto.MessageCrypto(key, appid)
    theirs = WeChatCrypto(token, key, appid)
    encrypt = ours.encrypt(text)
    envelope = f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    signed = crypto.msg_signature(token, "1700000000", "99", encrypt)
    assert theirs.decrypt_message(envelope, signed, "1700000000", "99") == text
    reply = theirs.encrypt_message(text, "77", "1700000001")
    encrypted = reply.split("<Encrypt><![CDATA[")[1].split("]]>")[0]
    assert ours.decrypt(encrypted) == text
    signed = crypto.msg_signature(token, "1700000001", "77", encrypted)
    assert f"<MsgSignature><![CDATA[{signed}]]>" in reply
