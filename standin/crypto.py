"""WeChat callback signatures and safe-mode (AES) message encryption, written from the spec.

Deliberately independent of wechatpy, so the stand-in and the product check each other.
"""
import base64
import hashlib
import hmac
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # WeChat pads to 32-byte blocks, not AES's 16.


class CryptoError(ValueError):
    """A message failed to decrypt: bad base64, padding, length or AppId."""


def _sha1_sorted(*parts):
    """SHA-1 hex digest of the parts sorted as strings and joined, as WeChat signs."""
    joined = "".join(sorted(str(part) for part in parts))
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()


def signature(token, timestamp, nonce):
    """The plain-mode `signature` query parameter."""
    return _sha1_sorted(token, timestamp, nonce)


def msg_signature(token, timestamp, nonce, encrypt):
    """The safe-mode `msg_signature`, which also covers the ciphertext."""
    return _sha1_sorted(token, timestamp, nonce, encrypt)


def same_signature(expected, given):
    """Constant-time comparison of two hex signatures."""
    return hmac.compare_digest(str(expected), str(given or ""))


def _pad(data):
    """PKCS#7 to a 32-byte block; a full block of padding when already aligned."""
    count = BLOCK - len(data) % BLOCK
    return data + bytes([count]) * count


def _unpad(data):
    """Strip and check PKCS#7 padding (1..32 bytes, all equal)."""
    if not data or len(data) % 16:
        raise CryptoError("ciphertext length is not a multiple of the AES block")
    count = data[-1]
    if not 1 <= count <= BLOCK or data[-count:] != bytes([count]) * count:
        raise CryptoError("bad padding")
    return data[:-count]


class MessageCrypto:
    """Encrypts and decrypts message bodies for one account (EncodingAESKey + AppId)."""

    def __init__(self, encoding_aes_key, appid):
        """Decode the 43-character key into the 32-byte AES key."""
        if len(encoding_aes_key) != 43:
            raise CryptoError("an EncodingAESKey has exactly 43 characters")
        self.key = base64.b64decode(encoding_aes_key + "=")
        self.appid = appid

    def _cipher(self):
        """AES-256-CBC with IV = first 16 bytes of the key."""
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, xml, random_prefix=None):
        """Base64 ciphertext of 16 random bytes + length + XML + AppId."""
        body = xml.encode("utf-8") if isinstance(xml, str) else xml
        prefix = random_prefix if random_prefix is not None else os.urandom(16)
        plain = prefix + struct.pack(">I", len(body)) + body + self.appid.encode("utf-8")
        encryptor = self._cipher().encryptor()
        ciphertext = encryptor.update(_pad(plain)) + encryptor.finalize()
        return base64.b64encode(ciphertext).decode("ascii")

    def unpack(self, encrypt):
        """Decrypt into (random prefix, XML bytes, AppId) without judging the AppId."""
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except ValueError as exc:
            raise CryptoError("Encrypt is not base64") from exc
        decryptor = self._cipher().decryptor()
        plain = _unpad(decryptor.update(raw) + decryptor.finalize())
        if len(plain) < 20:
            raise CryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise CryptoError("length field exceeds the plaintext")
        return plain[:16], plain[20:20 + length], plain[20 + length:].decode("utf-8", "replace")

    def decrypt(self, encrypt):
        """The XML text inside `encrypt`; raises CryptoError unless it is for our AppId."""
        _prefix, xml, appid = self.unpack(encrypt)
        if appid != self.appid:
            raise CryptoError(f"AppId mismatch: {appid!r}")
        return xml.decode("utf-8")
