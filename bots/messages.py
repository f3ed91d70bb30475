"""WeChat's message data → wechatpy's message objects, and the passive text reply back.

parse_message reads the XML itself (xmltodict); the callback has read it already, safely and
into the same shape (bots/xml_reader), so only the choice of class is made here. wechatpy's
TextReply puts text in CDATA as it is, so a "]]>" in it (a chair's 说明 shown back) breaks
the reply; text_reply splits such a section.
"""
import time

from wechatpy.events import EVENT_TYPES
from wechatpy.messages import MESSAGE_TYPES, UnknownMessage

SCAN_PRODUCT_PREFIXES = ("scanbarcode|", "scanimage|")
SCENE_PREFIX = "qrscene_"


def _event_type(message, message_type):
    """The event name wechatpy registers the event under (lower case); may rewrite `message`."""
    event = message.get("Event")
    event_type = event.lower() if isinstance(event, str) else None
    if message_type.startswith("device_"):
        event_type = f"device_{event_type}" if event_type is not None else message_type
    event_key = message.get("EventKey")
    if event_type == "subscribe" and isinstance(event_key, str):
        if event_key.startswith(SCAN_PRODUCT_PREFIXES):
            event_type = message["Event"] = "subscribe_scan_product"
        elif event_key.startswith(SCENE_PREFIX):
            event_type = message["Event"] = "subscribe_scan"
            message["EventKey"] = event_key[len(SCENE_PREFIX):]
    return event_type


def message_from(tag, message):
    """The wechatpy message (or event) of a read <xml> document; ValueError when it is not one."""
    message = message if tag == "xml" else None
    if not isinstance(message, dict) or not isinstance(message.get("MsgType"), str):
        raise ValueError("not a WeChat message: no <xml> root with a MsgType")
    message_type = message["MsgType"].lower()
    if message_type == "event" or message_type.startswith("device_"):
        return EVENT_TYPES.get(_event_type(message, message_type), UnknownMessage)(message)
    return MESSAGE_TYPES.get(message_type, UnknownMessage)(message)


TEXT_REPLY = ("<xml>\n<ToUserName>{to}</ToUserName>\n<FromUserName>{sender}</FromUserName>\n"
              "<CreateTime>{time}</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n"
              "<Content>{content}</Content>\n</xml>")


def cdata(text):
    """`text` as CDATA; a literal "]]>" is split across two sections."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply(message, content):
    """The passive reply XML answering `message` with `content`."""
    return TEXT_REPLY.format(to=cdata(message.source), sender=cdata(message.target or ""),
                             time=int(time.time()), content=cdata(content))
