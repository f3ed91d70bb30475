"""WeChat's message XML → wechatpy's message objects, from the tree the safety check parsed.

wechatpy's parse_message parses the XML once more (xmltodict). This builds the same data from
the element tree bots/security has already parsed (WeChat's XML has neither attributes nor
mixed content) and picks the message class as parse_message does.
"""
from wechatpy.events import EVENT_TYPES
from wechatpy.messages import MESSAGE_TYPES, UnknownMessage

SCAN_PRODUCT_PREFIXES = ("scanbarcode|", "scanimage|")
SCENE_PREFIX = "qrscene_"


def element_data(element):
    """An element as xmltodict gives it: its stripped text (None when empty), or a dict of its
    children, a repeated child's values in a list."""
    children = list(element)
    if not children:
        return (element.text or "").strip() or None
    data = {}
    for child in children:
        value = element_data(child)
        if child.tag not in data:
            data[child.tag] = value
        elif isinstance(data[child.tag], list):
            data[child.tag].append(value)
        else:
            data[child.tag] = [data[child.tag], value]
    return data


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


def message_from(root):
    """The wechatpy message (or event) of a parsed <xml> root; ValueError when it is not one."""
    message = element_data(root) if root.tag == "xml" else None
    if not isinstance(message, dict) or not isinstance(message.get("MsgType"), str):
        raise ValueError("not a WeChat message: no <xml> root with a MsgType")
    message_type = message["MsgType"].lower()
    if message_type == "event" or message_type.startswith("device_"):
        return EVENT_TYPES.get(_event_type(message, message_type), UnknownMessage)(message)
    return MESSAGE_TYPES.get(message_type, UnknownMessage)(message)
