"""Workers finding 暖心驿站: by location, by the location picker, and by scanning a station's code."""
import dataclasses

from bots.conversation import replies
from bots.conversation.handlers.nearby import station_of_scan
from miniapp_backend.models import Answer, CodeKind, Station, StationStatus, StationWechatCode
from miniapp_backend.packets.qrcodes import station_url
from miniapp_backend.services import nearby, stations
from tests.bots.flows import pick_kind
from tests.factories import station_for

LIANGXIANG = (39.7355, 116.1397)


def open_station(world, name, lat, lng, **extra):
    """An active public station with 24-hour hours, indexed for nearby search."""
    values = dict(status=StationStatus.ACTIVE, hours={"always": True}, lat=lat, lng=lng)
    values.update(extra)
    return station_for(world.unit, name=name, **values)


def test_a_location_answers_with_the_nearest_open_stations(world, wechat_user, redis_client):
    near = open_station(world, "拱辰大街驿站", 39.7360, 116.1400, services=["饮水", "充电"])
    open_station(world, "长阳驿站", 39.7600, 116.2000)
    open_station(world, "燕山驿站", 39.7200, 115.9800, hours={"mon": [["08:00", "09:00"]]})
    open_station(world, "远处驿站", 39.6300, 115.5900)  # 十渡, 48 km away
    open_station(world, "内部驿站", 39.7356, 116.1398, public=False)
    station_for(world.unit, name="建设中驿站", lat=39.7355, lng=116.1397)
    reply = wechat_user("o-worker").location(*LIANGXIANG, "良乡")
    names = [line for line in reply.splitlines() if line.endswith("米）") or "公里）" in line]
    assert [n.split("（")[0] for n in names] == ["拱辰大街驿站", "长阳驿站", "燕山驿站"]
    assert "服务：饮水、手机充电" in reply and "开放中 · 24小时开放" in reply
    assert "现在未开放 · 周一 08:00-09:00" in reply
    assert f"详情：http://127.0.0.1:8000/s/{near.code}" in reply
    assert "地址：房山区良乡镇拱辰大街1号" in reply


def test_a_location_answers_with_each_stations_facts_as_last_changed(world, wechat_user, redis_client):
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    user = wechat_user("o-worker")
    assert "拱辰大街驿站" in user.location(*LIANGXIANG)
    stations.update_station(station, name="拱辰大街暖心驿站", services=["如厕"], hours={"sat": [["09:00", "10:00"]]})
    nearby.station_changed(redis_client, station)
    reply = user.location(39.7356, 116.1397)
    assert "拱辰大街暖心驿站（约" in reply and "服务：如厕" in reply and "现在未开放 · 周六 09:00-10:00" in reply


def test_a_station_without_hours_is_neither_open_nor_closed_on_its_card(world, wechat_user):
    open_station(world, "新建驿站", 39.7360, 116.1400, hours={})
    reply = wechat_user("o-worker").location(*LIANGXIANG, "良乡")
    assert "新建驿站" in reply and "\n开放时间未登记，可到场咨询\n" in reply  # no phone to call
    assert "未开放" not in reply and "开放中" not in reply and "致电" not in reply


def test_a_card_gives_the_phone_that_its_unknown_hours_ask_to_call(world, wechat_user):
    """“可致电” names no number unless the card shows the station's phone, as its page does."""
    open_station(world, "新建驿站", 39.7360, 116.1400, hours={}, phone="010-69312345")
    open_station(world, "长阳驿站", 39.7600, 116.2000, phone="13800138000")
    reply = wechat_user("o-worker").location(*LIANGXIANG, "良乡")
    assert "\n开放时间未登记，可致电或到场咨询\n电话：010-69312345\n地址：" in reply
    assert "开放中 · 24小时开放\n电话：13800138000\n" in reply


def test_a_location_far_from_the_district_is_told_what_the_account_lists(world, wechat_user):
    """Beijing has thousands of stations: a worker in 海淀 is not told there are none near."""
    open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    user = wechat_user("o-worker")
    far = user.location(39.9593, 116.2981, "海淀区")
    assert far.startswith("您发送的位置不在房山区，本公众号只收录房山区的职工暖心驿站") and "12351" in far
    inside = user.location(39.7000, 115.5000, "十渡")  # in the district, no station within 20 km
    assert inside.startswith("附近20公里内暂无开放的职工暖心驿站")


def test_nearby_asks_for_a_location_and_the_picker_answers_once(world, wechat_user):
    open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    user = wechat_user("o-worker")
    assert "请发送您的位置" in user.say("附近驿站")
    picked = user.event("location_select", event_key="NEARBY", lat=39.7355, lng=116.1397, label="良乡")
    assert "拱辰大街驿站" in picked.text
    assert user.location(39.7355, 116.1397) == ""  # the same pick, reported again as a message
    # A place the user sends twice, without the picker, is answered twice.
    assert "拱辰大街驿站" in user.location(39.7355, 116.1397)
    assert "拱辰大街驿站" in user.location(39.7355, 116.1397)


def test_nearby_still_answers_after_redis_is_wiped(world, wechat_user, redis_client):
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    user = wechat_user("o-worker")
    assert "拱辰大街驿站" in user.location(*LIANGXIANG)
    redis_client.flushdb()
    assert "拱辰大街驿站" in user.location(39.7356, 116.1397)
    stations.update_station(station, status=StationStatus.CLOSED)
    nearby.station_changed(redis_client, station)
    assert "附近20公里内暂无开放的职工暖心驿站" in user.location(39.7357, 116.1397)


def test_scanning_a_station_code_shows_its_card(world, wechat_user):
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    user = wechat_user("o-worker")
    scene = stations.scene_of(station)
    assert "拱辰大街驿站\n" in user.event("SCAN", event_key=scene).text
    welcome = user.event("subscribe", event_key=f"qrscene_{scene}").text
    assert "欢迎关注房山区总工会" in welcome and "拱辰大街驿站" in welcome
    pushed = user.event("scancode_push", event_key="SCAN", scan_type="qrcode",
                        scan_result=f"http://127.0.0.1:8000/s/{station.code}")
    assert "拱辰大街驿站" in pushed.text
    other = user.event("scancode_waitmsg", event_key="SCAN", scan_type="qrcode", scan_result="hello")
    assert "无法识别这个二维码" in other.text


def test_the_scan_button_knows_a_station_page_under_a_base_url_with_a_path(world, config):
    """PUBLIC_BASE_URL https://host/prefix: the sign's page URL is https://host/prefix/s/<code>."""
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    prefixed = dataclasses.replace(config, public_base_url="https://zgh.example.cn/zgzj")
    page = station_url(prefixed.public_base_url, station.code)
    assert station_of_scan(prefixed, page) == station
    assert station_of_scan(prefixed, page + "/?from=sign") == station
    for elsewhere in (f"https://zgh.example.cn/s/{station.code}", f"https://zgh.example.cn/other/s/{station.code}",
                      f"https://evil.example.cn/zgzj/s/{station.code}"):
        assert station_of_scan(prefixed, elsewhere) is None


def test_the_scan_button_on_a_signs_official_account_code_shows_the_station(world, wechat_user):
    """The 扫码 menu reports the code's URL (weixin.qq.com/q/…), not its scene: still the station."""
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    url = "http://weixin.qq.com/q/02abcDEF123"
    StationWechatCode.create(station=station, kind=CodeKind.OFFICIAL, scene=stations.scene_of(station), url=url)
    user = wechat_user("o-worker")
    pushed = user.event("scancode_push", event_key="SCAN", scan_type="qrcode", scan_result=url)
    assert pushed.text.startswith("拱辰大街驿站\n")
    other = user.event("scancode_push", event_key="SCAN", scan_type="qrcode", scan_result="http://weixin.qq.com/q/other")
    assert "无法识别这个二维码" in other.text


def test_a_closed_or_unknown_station_points_to_alternatives(world, wechat_user):
    closed = open_station(world, "旧驿站", 39.7355, 116.1397, status=StationStatus.CLOSED)
    open_station(world, "新驿站", 39.7360, 116.1400)
    planned = station_for(world.unit, name="未开放驿站")
    user = wechat_user("o-worker")
    reply = user.event("SCAN", event_key=stations.scene_of(closed)).text
    assert reply.startswith("这个驿站已关闭。") and "附近其他驿站" in reply and "新驿站" in reply
    assert "还在建设中" in user.event("SCAN", event_key=stations.scene_of(planned)).text
    assert "没有找到这个二维码对应的驿站" in user.event("SCAN", event_key="st.nosuchcode").text
    assert "无法识别这个二维码" in user.event("SCAN", event_key="bt.ballot1").text


def test_a_moved_station_leads_to_its_new_site_once_and_a_last_one_to_the_hotline(world, wechat_user, redis_client):
    """The new site is named as such and not listed again among the alternatives; with none
    left nearby the worker is not left with a bare “已关闭”."""
    new = open_station(world, "新址驿站", 39.7360, 116.1400)
    old = open_station(world, "旧址驿站", 39.7355, 116.1397)
    open_station(world, "长阳驿站", 39.7600, 116.2000)
    Station.update(status=StationStatus.MOVED, moved_to=new).where(Station.id == old.id).execute()
    nearby.station_changed(redis_client, Station.get_by_id(old.id))
    user = wechat_user("o-worker")
    reply = user.event("SCAN", event_key=stations.scene_of(old)).text
    assert reply.startswith("这个驿站已迁至新址：\n新址驿站\n") and reply.count("新址驿站") == 1
    assert "附近其他驿站：\n\n长阳驿站（约5.8公里）" in reply
    for station in Station.select().where(Station.status == StationStatus.ACTIVE):
        stations.update_station(station, status=StationStatus.CLOSED)
        nearby.station_changed(redis_client, station)
    reply = user.event("SCAN", event_key=stations.scene_of(old)).text
    assert reply == "这个驿站已迁址。\n\n附近20公里内暂无其他开放的职工暖心驿站。需要帮助可拨打12351职工服务热线。"


def test_a_station_whose_new_site_moved_too_leads_to_the_last_site(world, wechat_user, redis_client):
    last = open_station(world, "最终新址驿站", 39.7360, 116.1400)
    middle = open_station(world, "中间驿站", 39.7358, 116.1399)
    old = open_station(world, "旧址驿站", 39.7355, 116.1397)
    Station.update(status=StationStatus.MOVED, moved_to=last).where(Station.id == middle.id).execute()
    Station.update(status=StationStatus.MOVED, moved_to=middle).where(Station.id == old.id).execute()
    for station in (middle, old):
        nearby.station_changed(redis_client, Station.get_by_id(station.id))
    reply = wechat_user("o-worker").event("SCAN", event_key=stations.scene_of(old)).text
    assert reply.startswith("这个驿站已迁至新址：\n最终新址驿站\n") and "中间驿站" not in reply


def test_a_station_asked_for_in_a_workers_own_words_asks_for_the_location(world, wechat_user):
    user = wechat_user("o-worker")
    for question in ("附近的驿站", "最近的驿站在哪", "你好，请问附近有暖心驿站吗？", "哪里有厕所", "想找个地方喝水"):
        assert user.say(question) == replies.ASK_LOCATION, question
    chair = wechat_user("o-王建国")
    asked = chair.say("暖心驿站怎么申报")  # about applying for one: not a search
    assert replies.ASK_LOCATION not in asked and "可申报（回复序号开始或继续）" in asked
    chair.say("申报")  # while registering a station, its name is the name
    chair.say("3")
    assert "请回复驿站地址" in chair.say("拱辰大街暖心驿站")


def test_a_location_mid_form_lists_stations_then_asks_the_open_question_again(world, wechat_user):
    open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    chair = wechat_user("o-王建国")
    pick_kind(chair, "示范职工之家")
    chair.say("确认")
    chair.say("否，正在筹建")  # item 1
    answers = {a.key: (a.value, a.revision) for a in Answer.select()}
    sent = chair.location(*LIANGXIANG, "良乡")
    assert "拱辰大街驿站" in sent and "第2/21项" in sent and sent.rstrip().endswith(ITEM_2_QUESTION), sent
    picked = chair.event("location_select", event_key="NEARBY", lat=39.7356, lng=116.1397, label="良乡").text
    assert "拱辰大街驿站" in picked and picked.rstrip().endswith(ITEM_2_QUESTION), picked
    assert {a.key: (a.value, a.revision) for a in Answer.select()} == answers  # the draft as it was
    assert "第2项已记录：否" in chair.say("否")  # and the chair still at item 2
    idle = wechat_user("o-worker").location(*LIANGXIANG)
    assert "拱辰大街驿站" in idle and "请回复" not in idle  # a worker has no question to be asked


ITEM_2_QUESTION = "请回复“是”或“否”（“否”可加说明，如：否，正在筹建）。本项需照片佐证：请先发送照片（可多张），再回复“是”。"


def test_a_station_code_scanned_mid_form_shows_it_then_asks_the_open_question_again(world, wechat_user):
    station = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    closed = open_station(world, "旧驿站", 39.7355, 116.1397, status=StationStatus.CLOSED)
    chair = wechat_user("o-王建国")
    pick_kind(chair, "示范职工之家")
    chair.say("确认")
    chair.say("否，正在筹建")  # item 1
    for sent in (chair.event("SCAN", event_key=stations.scene_of(station)).text,
                 chair.event("SCAN", event_key=stations.scene_of(closed)).text,
                 chair.event("scancode_push", event_key="SCAN", scan_type="qrcode",
                             scan_result=f"http://127.0.0.1:8000/s/{station.code}").text,
                 chair.event("scancode_push", event_key="SCAN", scan_type="qrcode", scan_result="hello").text):
        assert "第2/21项" in sent and sent.rstrip().endswith(ITEM_2_QUESTION), sent
    assert "第2项已记录：否" in chair.say("否")  # the chair still at item 2


def test_an_internal_stations_card_gives_its_chairs_contact_as_its_sign_and_page_do(world, wechat_user):
    """The notice: 单位内部的职工暖心驿站要公布工会主席的联系方式、电子邮箱等."""
    world.unit.email = "gh@example.com"
    world.unit.save()
    internal = open_station(world, "车间驿站", 39.7360, 116.1400, public=False)
    card = wechat_user("o-worker").event("SCAN", event_key=stations.scene_of(internal)).text
    assert "工会主席：王建国　电话：010-69312345　邮箱：gh@example.com" in card, card
    listed = open_station(world, "拱辰大街驿站", 39.7360, 116.1400)
    assert "工会主席" not in wechat_user("o-worker").event("SCAN", event_key=stations.scene_of(listed)).text
