"""Messages built from the parsed tree are the ones wechatpy's parse_message would give."""
import pytest
from wechatpy import parse_message

from bots.messages import message_from, text_reply
from bots.xml_reader import UnreadableXml, read_xml
from standin.callback import build_xml, parse_xml

HEAD = {"ToUserName": "gh_standin0001", "FromUserName": "o-chair", "CreateTime": 1525917600}
SAMPLES = [
    {"MsgType": "text", "Content": "  是 ", "MsgId": 6555},
    {"MsgType": "text", "Content": "", "MsgId": 6556},
    {"MsgType": "image", "PicUrl": "http://x/p.jpg", "MediaId": "m1", "MsgId": 6557},
    {"MsgType": "voice", "MediaId": "m2", "Format": "amr", "Recognition": "附近驿站", "MsgId": 6558},
    {"MsgType": "video", "MediaId": "m3", "ThumbMediaId": "t3", "MsgId": 6559},
    {"MsgType": "shortvideo", "MediaId": "m4", "ThumbMediaId": "t4", "MsgId": 6560},
    {"MsgType": "location", "Location_X": 39.72, "Location_Y": 116.14, "Scale": 15, "Label": "良乡",
     "MsgId": 6561},
    {"MsgType": "link", "Title": "t", "Description": "d", "Url": "http://x", "MsgId": 6562},
    {"MsgType": "miniprogrampage", "Title": "t", "AppId": "wx1", "PagePath": "p", "MsgId": 6563},
    {"MsgType": "somethingnew", "MsgId": 6564},
    {"MsgType": "event", "Event": "subscribe", "EventKey": ""},
    {"MsgType": "event", "Event": "subscribe", "EventKey": "qrscene_st.ab12cd34", "Ticket": "t"},
    {"MsgType": "event", "Event": "subscribe", "EventKey": "scanbarcode|x"},
    {"MsgType": "event", "Event": "SCAN", "EventKey": "st.ab12cd34", "Ticket": "t"},
    {"MsgType": "event", "Event": "unsubscribe", "EventKey": ""},
    {"MsgType": "event", "Event": "CLICK", "EventKey": "apply"},
    {"MsgType": "event", "Event": "VIEW", "EventKey": "http://x", "MenuId": 1},
    {"MsgType": "event", "Event": "LOCATION", "Latitude": 39.7, "Longitude": 116.1, "Precision": 30},
    {"MsgType": "event", "Event": "scancode_waitmsg", "EventKey": "scan",
     "ScanCodeInfo": {"ScanType": "qrcode", "ScanResult": "http://127.0.0.1/s/ab12"}},
    {"MsgType": "event", "Event": "pic_sysphoto", "EventKey": "p",
     "SendPicsInfo": {"Count": 1, "PicList": [{"PicMd5Sum": "a"}]}},
    {"MsgType": "event", "Event": "pic_weixin", "EventKey": "p",
     "SendPicsInfo": {"Count": 2, "PicList": [{"PicMd5Sum": "a"}, {"PicMd5Sum": "b"}]}},
    {"MsgType": "event", "Event": "location_select", "EventKey": "nearby",
     "SendLocationInfo": {"Location_X": "39.7", "Location_Y": "116.1", "Scale": "15", "Label": "",
                          "Poiname": ""}},
    {"MsgType": "event", "Event": "TEMPLATESENDJOBFINISH", "MsgID": 1, "Status": "success"},
    {"MsgType": "event", "Event": "kf_create_session", "KfAccount": "a@b"},
    {"MsgType": "device_event", "Event": "bind", "DeviceType": "d", "DeviceID": "1"},
    {"MsgType": "device_text", "DeviceType": "d", "DeviceID": "1", "Content": "x"},
]


@pytest.mark.parametrize("fields", SAMPLES, ids=lambda f: f"{f['MsgType']}:{f.get('Event', '')}")
def test_the_same_message_as_wechatpy_gives(fields):
    xml = build_xml({**HEAD, **fields})
    ours, theirs = message_from(*read_xml(xml.encode())), parse_message(xml)
    assert (type(ours), ours._data) == (type(theirs), theirs._data)


@pytest.mark.parametrize("xml", ["<xml></xml>", "<xml><MsgType/></xml>", "<other><MsgType>text</MsgType></other>",
                                 "<xml><MsgType><A>b</A></MsgType></xml>"])
def test_what_is_not_a_message_is_refused(xml):
    with pytest.raises(ValueError):
        message_from(*read_xml(xml))


def test_an_event_without_a_name_is_an_unknown_one():
    message = message_from(*read_xml(build_xml({**HEAD, "MsgType": "event", "Event": ""})))
    assert message.type == "unknown"


@pytest.mark.parametrize("xml", [
    '<!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">]><xml><Content>&a;</Content></xml>',
    '<!DOCTYPE xml SYSTEM "http://127.0.0.1/x.dtd"><xml/>',
    '<xml><Content>&undefined;</Content></xml>',
    '<xml><Content>unclosed</xml>',
    '',
])
def test_dtds_entities_and_broken_xml_are_not_read(xml):
    with pytest.raises(UnreadableXml):
        read_xml(xml)


def test_text_cdata_and_character_references_read_as_xmltodict_reads_them():
    tag, data = read_xml("<xml><A><![CDATA[ 是]]>&amp;&#26159; </A><B/><C><D>1</D><D>2</D></C></xml>")
    assert (tag, data) == ("xml", {"A": "是&是", "B": None, "C": {"D": ["1", "2"]}})


def test_a_messages_own_indent_is_kept_only_xml_whitespace_trimmed():
    tag, data = read_xml("<xml><Content><![CDATA[\u3000\u3000第一段]]>\n</Content></xml>".encode())
    assert data == {"Content": "\u3000\u3000第一段"}


def test_a_text_reply_carries_any_text_back_to_the_sender():
    message = message_from(*read_xml(build_xml({**HEAD, "MsgType": "text", "Content": "否 ]]> 在建", "MsgId": 1})))
    content = "第3项已记录：否（说明：]]> 在建）\n<b>&amp;</b>"
    reply = parse_xml(text_reply(message, content))
    assert reply["Content"] == content and reply["MsgType"] == "text"
    assert (reply["ToUserName"], reply["FromUserName"]) == ("o-chair", "gh_standin0001")
