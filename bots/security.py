"""Checks at the callback's edge: size, signatures, freshness, safe XML, safe mode.

wechatpy compares signatures with `!=`, checks neither freshness nor nonce reuse, and does not
validate PKCS#7 padding when decrypting; those checks live here (nonce reuse: bots/admission).
Safe mode is written from WeChat's spec, with one AES cipher per key, not one per message.
"""
import base64
import hashlib
import hmac
import secrets
import struct
import time
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bots import xml_reader

MAX_BODY_BYTES = 64 * 1024
MAX_CLOCK_SKEW = 300  # seconds; Tencent publishes no window, so we pick a tight one
BLOCK = 32  # WeChat pads to 32-byte blocks
RANDOM_PREFIX, LENGTH_BYTES = 16, 4


class Rejected(Exception):
    """The request is refused with an HTTP status; `reason` is for the log, not the caller."""

    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


REPLY_ENVELOPE = """<xml>
<Encrypt><![CDATA[{encrypt}]]></Encrypt>
<MsgSignature><![CDATA[{signature}]]></MsgSignature>
<TimeStamp>{timestamp}</TimeStamp>
<Nonce><![CDATA[{nonce}]]></Nonce>
</xml>"""


def sign(*parts):
    """WeChat's signature: SHA-1 of the parts sorted and joined."""
    return hashlib.sha1(b"".join(sorted(str(part).encode("utf-8") for part in parts))).hexdigest()


def check_signature(expected_parts, given):
    """Refuse unless `given` equals the signature of the parts (constant-time compare)."""
    if not hmac.compare_digest(sign(*expected_parts), str(given or "")):
        raise Rejected(403, "bad signature")


def check_timestamp(timestamp, now=None):
    """Refuse a timestamp that is not a number or is more than MAX_CLOCK_SKEW off."""
    try:
        moment = int(timestamp)
    except (TypeError, ValueError):
        raise Rejected(400, "timestamp is not a number") from None
    if abs((now or time.time()) - moment) > MAX_CLOCK_SKEW:
        raise Rejected(403, "stale timestamp")


def read_xml(data):
    """(root tag, data) of XML (bots/xml_reader: DTDs and entities refused), else a 400."""
    try:
        return xml_reader.read_xml(data)
    except xml_reader.UnreadableXml as exc:
        raise Rejected(400, f"unsafe or malformed XML: {exc}") from None


def _unpad(plain):
    """Strip PKCS#7 padding, refusing anything that is not valid padding."""
    count = plain[-1] if plain else 0
    if not 1 <= count <= BLOCK or plain[-count:] != bytes([count]) * count:
        raise Rejected(400, "bad padding")
    return plain[:-count]


@lru_cache(maxsize=4)
def _cipher(aes_key):
    """AES-256-CBC with the EncodingAESKey's 32 bytes, the IV being their first 16."""
    key = base64.b64decode(aes_key + "=")
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def decrypt(aes_key, appid, encrypt):
    """The XML inside a safe-mode `Encrypt` value; refuse bad base64, padding, length or AppId."""
    try:
        raw = base64.b64decode(encrypt, validate=True)
    except ValueError:
        raise Rejected(400, "Encrypt is not base64") from None
    if not raw or len(raw) % 16:
        raise Rejected(400, "ciphertext is not whole AES blocks")
    decryptor = _cipher(aes_key).decryptor()
    plain = _unpad(decryptor.update(raw) + decryptor.finalize())
    header = RANDOM_PREFIX + LENGTH_BYTES
    if len(plain) < header:
        raise Rejected(400, "plaintext too short")
    (length,) = struct.unpack(">I", plain[RANDOM_PREFIX:header])
    xml, sender = plain[header:header + length], plain[header + length:]
    if header + length > len(plain) or not hmac.compare_digest(sender, appid.encode()):
        raise Rejected(400, "wrong AppId or length")
    return xml


def encrypt(token, aes_key, appid, xml, nonce, timestamp):
    """A safe-mode reply envelope for `xml`, signed with msg_signature: 16 random characters
    (as Tencent's sample code makes them), the XML's length, the XML and the AppId, padded."""
    body = xml.encode("utf-8")
    plain = secrets.token_hex(RANDOM_PREFIX // 2).encode() + struct.pack(">I", len(body)) + body + appid.encode()
    count = BLOCK - len(plain) % BLOCK
    encryptor = _cipher(aes_key).encryptor()
    sealed = encryptor.update(plain + bytes([count]) * count) + encryptor.finalize()
    encrypted = base64.b64encode(sealed).decode("ascii")
    return REPLY_ENVELOPE.format(encrypt=encrypted, signature=sign(token, timestamp, nonce, encrypted),
                                 timestamp=timestamp, nonce=nonce)
