"""How stations look in the API: public facts for everyone, management facts for their org."""
from miniapp_backend.api.schemas import Schema, array, boolean, integer, nullable, number, string
from miniapp_backend.api.shapes import OrgRef, moment, org_view, timestamp
from miniapp_backend.models import STATION_STATUS_LABELS, StationKind, StationStatus
from miniapp_backend.services import permissions, stations

KIND_LABELS = {StationKind.WARM_STATION: "职工暖心驿站", StationKind.PUBLIC_HOME: "公共区域职工之家"}
TIME = string("时刻", pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
              description="如 08:00；24:00 只作结束时间（开放到午夜），00:00-24:00 为全天")
SPAN = array("时段", TIME, min_items=2, max_items=2)
HOURS = {
    "type": "object", "title": "开放时间", "additionalProperties": False,
    "description": "always 为 true 表示24小时；否则按星期几列出时段，如 mon: [[\"08:00\", \"18:00\"]]",
    "properties": {"always": boolean("24小时开放"),
                   **{day: array(f"周{label}", SPAN, max_items=6)
                      for day, label in stations.WEEKDAY_LABELS.items()}},
}
SERVICE_KEY = string("服务项目", enum=list(stations.vocabulary()))
Service = Schema("Service", {"key": string("键"), "label": string("名称")}, required=["key", "label"],
                 closed=False)
NewSite = Schema("StationNewSite", {
    "id": integer("驿站编号"), "code": string("公开码"), "name": string("名称"), "address": string("地址"),
    "lat": number("纬度（GCJ-02）"), "lng": number("经度（GCJ-02）"),
}, required=["id", "code", "name", "address", "lat", "lng"], closed=False,
   description="已迁址的驿站迁往的、现在开放的新址")
StationView = Schema("Station", {
    "id": integer("驿站编号"), "code": string("公开码"), "name": string("名称"),
    "address": string("地址"), "lat": number("纬度（GCJ-02）"), "lng": number("经度（GCJ-02）"),
    "kind": string("类别", enum=[k.value for k in StationKind]), "kind_label": string("类别名称"),
    "place_type": string("场所类型"), "services": array("服务项目", Service.ref),
    "hours": {"type": "object", "title": "开放时间"}, "hours_text": string("开放时间（文字）"),
    "open_now": nullable(boolean("现在开放", description="开放时间未登记时为 null：不知道，不是未开放")),
    "phone": string("电话"),
    "status": string("状态", enum=[s.value for s in StationStatus]), "status_label": string("状态名称"),
    "public": nullable(boolean("对职工公开（仅本组织可见）")),
    "org": nullable(OrgRef.ref), "updated_at": timestamp("更新时间"),
    "can_edit": boolean("我能修改"),
    "distance_m": integer("距离（米）"),
    "moved_to": nullable(NewSite.ref),
}, required=["id", "name", "address", "lat", "lng", "services", "hours_text", "open_now", "status"],
   closed=False)
ScannedStation = Schema("ScannedStation", {
    **StationView.properties,
    "chair": {"type": "object", "title": "工会主席联系方式（单位内部驿站公布；公开驿站为空）",
              "properties": {"name": string("姓名"), "phone": string("电话"), "email": string("电子邮箱")}},
}, required=[*StationView.required, "chair"], closed=False,
   description="驿站（同 Station，任何状态），加上单位内部驿站公布的工会主席联系方式")
NearbyList = Schema("NearbyStations", {
    "coord": string("坐标系", enum=["gcj02"]),
    "origin": {"type": "object", "title": "查询点（GCJ-02）",
               "properties": {"lat": number("纬度"), "lng": number("经度")}},
    "stations": array("驿站（由近到远）", StationView.ref),
}, required=["coord", "stations"], closed=False)
StationList = Schema("StationList", {"stations": array("驿站", StationView.ref)},
                     required=["stations"], closed=False)
ServiceList = Schema("ServiceList", {"services": array("服务项目", Service.ref)},
                     required=["services"], closed=False)


def station_view(station, now, person=None):
    """Public facts of a Station or a nearby card; the org's chair and staff also see the
    public flag and who runs it (a card is only ever shown without a person)."""
    vocabulary = stations.vocabulary()
    view = {
        "id": station.id, "code": station.code, "name": station.name, "address": station.address,
        "lat": station.lat, "lng": station.lng, "kind": station.kind,
        "kind_label": KIND_LABELS[StationKind(station.kind)], "place_type": station.place_type,
        "services": [{"key": s, "label": vocabulary.get(s, s)} for s in station.services or []],
        "hours": station.hours or {}, "hours_text": stations.hours_text(station),
        "open_now": stations.open_now(station, now),
        "phone": station.phone,
        "status": station.status, "status_label": STATION_STATUS_LABELS[StationStatus(station.status)],
        "public": None, "org": None, "updated_at": None, "can_edit": False,
        "moved_to": _new_site(station),
    }
    if person is not None and permissions.can_fill(person, station.org_id):
        view.update(public=station.public, org=org_view(station.org),
                    updated_at=moment(station.updated_at),
                    can_edit=permissions.can_submit(person, station.org_id))
    return view


def _new_site(station):
    """Where a moved station sends workers (its open new site), else None; a card is never moved."""
    site = stations.open_new_site(station) if station.status == StationStatus.MOVED else None
    return None if site is None else {"id": site.id, "code": site.code, "name": site.name,
                                      "address": site.address, "lat": site.lat, "lng": site.lng}
