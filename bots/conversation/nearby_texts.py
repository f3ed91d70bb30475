"""What the bot tells workers looking for a 职工暖心驿站: station cards and nearest lists."""
from bots.conversation.replies import ASK_LOCATION
from miniapp_backend.services.nearby import distance_text

STATION_UNKNOWN = "没有找到这个二维码对应的驿站。" + ASK_LOCATION
STATION_STATES = {"planned": "这个驿站还在建设中，尚未开放。", "closed": "这个驿站已关闭。",
                  "moved": "这个驿站已迁址。"}
STATION_MOVED_TO = "这个驿站已迁至新址："


def station_card(station, services, open_now, hours, link, metres=None, chair=""):
    """One station for workers; `open_now` is None when its hours are not registered (then
    `hours` says so, and neither open nor closed is claimed); `chair` is the contact an internal
    station publishes."""
    distance = ""
    if metres is not None:
        distance = f"（{distance_text(metres)}）"
    state = {True: "开放中 · ", False: "现在未开放 · ", None: ""}[open_now]
    services = "、".join(services)
    phone = station.phone and f"电话：{station.phone}"  # whom “可致电” asks to call, as the page
    return "\n".join(filter(None, [f"{station.name}{distance}", services and f"服务：{services}",
                                   f"{state}{hours}", phone, chair, f"地址：{station.address}", f"详情：{link}"]))


def nearby_list(cards, in_district=True):
    """The nearest stations, or why there are none (far from 房山区: it lists no others)."""
    if not cards and not in_district:
        return "您发送的位置不在房山区，本公众号只收录房山区的职工暖心驿站。需要帮助可拨打12351职工服务热线。"
    if not cards:
        return "附近20公里内暂无开放的职工暖心驿站。需要帮助可拨打12351职工服务热线。"
    return "离您最近的职工暖心驿站：\n\n" + "\n\n".join(cards)


def alternatives(cards):
    """Nearest other stations after a closed or unknown one (or where else to turn)."""
    if not cards:
        return "附近20公里内暂无其他开放的职工暖心驿站。需要帮助可拨打12351职工服务热线。"
    return "附近其他驿站：\n\n" + "\n\n".join(cards)
