"""Plays WeChat's side of the official-account callback: builds, signs, encrypts and POSTs XML."""
import secrets
import time
from dataclasses import dataclass

import requests
from defusedxml import DefusedXmlException
from defusedxml import ElementTree

from standin import crypto

# Tencent's callback requests carry this User-Agent.
TENCENT_USER_AGENT = "Mozilla/4.0"

# Friendly keyword names for event fields; CamelCase names pass through unchanged.
EVENT_FIELD_NAMES = {
    "event_key": "EventKey", "ticket": "Ticket", "latitude": "Latitude",
    "longitude": "Longitude", "precision": "Precision", "menu_id": "MenuId",
    "msg_id": "MsgID", "status": "Status",
}


def _cdata(text):
    """A CDATA section; a literal ']]>' is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _render(name, value):
    """One element: strings in CDATA, numbers bare, dicts nested, lists as <item> children."""
    if isinstance(value, dict):
        inner = "".join(_render(key, item) for key, item in value.items())
    elif isinstance(value, list):
        inner = "".join(_render("item", item) for item in value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        inner = str(value)
    else:
        inner = _cdata(str(value))
    return f"<{name}>{inner}</{name}>"


def build_xml(fields):
    """Tencent's XML for an ordered mapping of fields, one top-level element per line."""
    return "<xml>" + "\n".join(_render(key, value) for key, value in fields.items()) + "\n</xml>"


def _to_value(element):
    """Text for a leaf, a dict for a parent; <item> children always become a list."""
    children = list(element)
    if not children:
        return element.text or ""
    result = {}
    for child in children:
        if child.tag == "item":
            result.setdefault("item", []).append(_to_value(child))
        else:
            result[child.tag] = _to_value(child)
    return result


def parse_xml(text):
    """Parse WeChat XML into a dict; defusedxml refuses entity tricks."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    value = _to_value(ElementTree.fromstring(data))
    return value if isinstance(value, dict) else {}


def new_msg_id():
    """A MsgId shaped like Tencent's (a 19-digit positive 64-bit integer)."""
    return secrets.randbelow(8 * 10 ** 18) + 10 ** 18


def new_nonce():
    """A numeric nonce like the ones WeChat sends."""
    return str(secrets.randbelow(9 * 10 ** 9) + 10 ** 9)


@dataclass
class CallbackResult:
    """What our server answered to one callback; `query` and `body` allow an identical resend."""

    status: object
    text: str
    reply: object
    error: object
    xml: str
    query: dict
    body: str


def _event_body(event, fields):
    """Event fields in Tencent's order, structured parts (scan, pictures, location) nested."""
    body = {"Event": event}
    if "event_key" in fields or event == "subscribe":
        body["EventKey"] = fields.pop("event_key", "")
    if "scan_result" in fields:
        body["ScanCodeInfo"] = {"ScanType": fields.pop("scan_type", "qrcode"),
                                "ScanResult": fields.pop("scan_result")}
    if "pic_md5s" in fields:
        md5s = fields.pop("pic_md5s")
        body["SendPicsInfo"] = {"Count": len(md5s), "PicList": [{"PicMd5Sum": m} for m in md5s]}
    if event == "location_select":
        # In this event Tencent sends every location part as CDATA text.
        body["SendLocationInfo"] = {
            "Location_X": str(fields.pop("lat")), "Location_Y": str(fields.pop("lng")),
            "Scale": str(fields.pop("scale", 15)), "Label": fields.pop("label", ""),
            "Poiname": fields.pop("poiname", "")}
    body.update({EVENT_FIELD_NAMES.get(key, key): value for key, value in fields.items()})
    return body


class CallbackClient:
    """Sends messages and events to our callback URL exactly as WeChat does, plain or safe mode."""

    def __init__(self, url, token, appid, aes_key=None, account_id="gh_standin0001",
                 timeout=5.0, clock=time.time, observer=None):
        """Aim at our callback `url` with the account's token (and AES key for safe mode)."""
        self.url, self.token, self.appid = url, token, appid
        self.account_id, self.timeout, self.clock = account_id, timeout, clock
        # Called with each new message's fields before it is posted (the stand-in's bookkeeping).
        self.observer = observer
        self.crypto = crypto.MessageCrypto(aes_key, appid) if aes_key else None

    def verify(self, echostr):
        """The server-URL check WeChat makes when the URL is saved; returns the response text."""
        timestamp, nonce = str(int(self.clock())), new_nonce()
        params = {"signature": crypto.signature(self.token, timestamp, nonce),
                  "echostr": echostr, "timestamp": timestamp, "nonce": nonce}
        return requests.get(self.url, params=params, timeout=self.timeout).text

    build_xml = staticmethod(build_xml)

    def post(self, xml, timestamp=None, nonce=None):
        """Sign (and in safe mode encrypt) one XML message and POST it."""
        timestamp, nonce = str(timestamp or int(self.clock())), str(nonce or new_nonce())
        query = {"signature": crypto.signature(self.token, timestamp, nonce),
                 "timestamp": timestamp, "nonce": nonce,
                 "openid": parse_xml(xml).get("FromUserName", "")}
        body = xml
        if self.crypto:
            encrypt = self.crypto.encrypt(xml)
            query["encrypt_type"] = "aes"
            query["msg_signature"] = crypto.msg_signature(self.token, timestamp, nonce, encrypt)
            body = build_xml({"ToUserName": self.account_id, "Encrypt": encrypt})
        return self._deliver(xml, query, body)

    def resend(self, result):
        """WeChat's retry: the identical request again (same body, nonce, timestamp)."""
        return self._deliver(result.xml, result.query, result.body)

    def _deliver(self, xml, query, body):
        """POST one prepared request and read the reply."""
        try:
            response = requests.post(
                self.url, params=query, data=body.encode("utf-8"), timeout=self.timeout,
                headers={"Content-Type": "text/xml", "User-Agent": TENCENT_USER_AGENT})
        except requests.Timeout:
            return CallbackResult(None, "", None, "timeout", xml, query, body)
        except requests.ConnectionError as exc:
            return CallbackResult(None, "", None, f"connection failed: {exc}", xml, query, body)
        reply, error = self._read_reply(response)
        return CallbackResult(response.status_code, response.text, reply, error, xml, query, body)

    def _read_reply(self, response):
        """(reply dict or None, error or None); checks and decrypts safe-mode replies."""
        text = response.text.strip()
        if response.status_code != 200:
            return None, f"HTTP {response.status_code}"
        if text in ("", "success"):
            return None, None
        try:
            message = parse_xml(text)
        except (ElementTree.ParseError, DefusedXmlException):
            return None, "reply is not XML"
        if self.crypto is None:
            return message, None
        if "Encrypt" not in message:
            return None, "safe mode needs an encrypted reply"
        expected = crypto.msg_signature(self.token, message.get("TimeStamp", ""),
                                        message.get("Nonce", ""), message["Encrypt"])
        if not crypto.same_signature(expected, message.get("MsgSignature")):
            return None, "reply MsgSignature does not match"
        try:
            return parse_xml(self.crypto.decrypt(message["Encrypt"])), None
        except (crypto.CryptoError, ElementTree.ParseError, DefusedXmlException) as exc:
            return None, f"reply does not decrypt: {exc}"

    def message_fields(self, openid, msg_type, body, msg_id=None):
        """The fields of an ordinary message (not an event), MsgId last."""
        return {"ToUserName": self.account_id, "FromUserName": openid,
                "CreateTime": int(self.clock()), "MsgType": msg_type, **body,
                "MsgId": msg_id or new_msg_id()}

    def event_fields(self, openid, event, **fields):
        """The fields of an event; see `event` for the keyword names."""
        return {"ToUserName": self.account_id, "FromUserName": openid,
                "CreateTime": int(self.clock()), "MsgType": "event", **_event_body(event, fields)}

    def send(self, fields):
        """Build and POST a message from its fields."""
        if self.observer:
            self.observer(fields)
        return self.post(build_xml(fields))

    def text(self, openid, content, msg_id=None):
        """A text message."""
        return self.send(self.message_fields(openid, "text", {"Content": content}, msg_id))

    def image(self, openid, media_id, pic_url="", msg_id=None):
        """An image message (MediaId is valid for 3 days)."""
        body = {"PicUrl": pic_url, "MediaId": media_id}
        return self.send(self.message_fields(openid, "image", body, msg_id))

    def voice(self, openid, media_id, format="amr", recognition=None, msg_id=None):
        """A voice message, with speech recognition text when given."""
        body = {"MediaId": media_id, "Format": format}
        if recognition is not None:
            body["Recognition"] = recognition
        return self.send(self.message_fields(openid, "voice", body, msg_id))

    def video(self, openid, media_id, thumb_media_id="", msg_id=None):
        """A video message."""
        body = {"MediaId": media_id, "ThumbMediaId": thumb_media_id}
        return self.send(self.message_fields(openid, "video", body, msg_id))

    def shortvideo(self, openid, media_id, thumb_media_id="", msg_id=None):
        """A short-video message."""
        body = {"MediaId": media_id, "ThumbMediaId": thumb_media_id}
        return self.send(self.message_fields(openid, "shortvideo", body, msg_id))

    def location(self, openid, lat, lng, scale=15, label="", msg_id=None):
        """A location message: Location_X is latitude, Location_Y longitude (GCJ-02)."""
        body = {"Location_X": lat, "Location_Y": lng, "Scale": scale, "Label": label}
        return self.send(self.message_fields(openid, "location", body, msg_id))

    def link(self, openid, title, description, url, msg_id=None):
        """A link message."""
        body = {"Title": title, "Description": description, "Url": url}
        return self.send(self.message_fields(openid, "link", body, msg_id))

    def event(self, openid, event, **fields):
        """An event: event_key, ticket, latitude/longitude/precision, menu_id, msg_id/status,
        scan_type/scan_result, pic_md5s, or lat/lng/scale/label/poiname for location_select."""
        return self.send(self.event_fields(openid, event, **fields))
