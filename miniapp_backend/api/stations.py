"""暖心驿站: the nearest open ones for workers, details, and a chair's own stations."""
from miniapp_backend.api import access, bp, context, nearest, sessions
from miniapp_backend.api.operations import Auth, operation
from miniapp_backend.api.ratelimit import Bucket
from miniapp_backend.api.schemas import Schema, array, boolean, identifier, integer, number, string
from miniapp_backend.api.sessions import current_person
from miniapp_backend.api.station_shapes import (
    HOURS, SERVICE_KEY, NearbyList, ScannedStation, ServiceList, StationList, StationView, station_view)
from miniapp_backend.models import Station, StationKind
from miniapp_backend.services import permissions, station_changes, stations
from miniapp_backend.services.errors import NotFound, ValidationFailed
from miniapp_backend.services.geo import Datum, to_gcj02
from workers import stations as station_jobs

TAG = "暖心驿站"
GEO_LAT_LIMIT = 85  # Redis GEO indexes latitudes within ±85.05°
DATUM = string("坐标系", enum=[d.value for d in Datum], default=Datum.GCJ02.value,
               description="wx.getLocation 默认给 wgs84；wx.chooseLocation 给 gcj02")

NearbyQuery = Schema("NearbyQuery", {
    "lat": number("纬度", minimum=-GEO_LAT_LIMIT, maximum=GEO_LAT_LIMIT),
    "lng": number("经度", minimum=-180, maximum=180),
    "radius": integer("半径（米）", minimum=100, maximum=50000, default=3000),
    "service": SERVICE_KEY, "open_now": boolean("只看现在开放的", default=False),
    "kind": string("类别", enum=[k.value for k in StationKind]), "coord": DATUM,
    "limit": integer("最多几个", minimum=1, maximum=50, default=10),
}, required=["lat", "lng"])
EDITABLE = {
    "name": string("驿站名称", min_length=2, max_length=100),
    "address": string("地址", min_length=4, max_length=200),
    "lat": number("纬度（来自 wx.chooseLocation）", minimum=-90, maximum=90),
    "lng": number("经度（来自 wx.chooseLocation）", minimum=-180, maximum=180),
    "coord": DATUM,
    "place_type": string("场所类型", enum=list(stations.PLACE_TYPES) + [""]),
    "public": boolean("对职工公开"), "hours": HOURS,
    "services": array("服务项目", SERVICE_KEY, max_items=30, unique=True),
    "phone": string("联系电话", max_length=40),
}
StationCreate = Schema("StationCreate", {
    **EDITABLE, "org_id": identifier("组织编号", description="只在一个组织任职时可不填"),
    "kind": string("类别", enum=[k.value for k in StationKind], default=StationKind.WARM_STATION.value),
}, required=["name", "address", "lat", "lng"])
StationUpdate = Schema("StationUpdate", EDITABLE,
                       description="只传要改的字段；驿站状态随暖心驿站申报变化，这里不能改。")


def _filter(query):
    """The test a station's card must pass for the query's service, kind and open-now filters."""
    moment = context.now()

    def keep(card):
        """True when the card matches every filter given."""
        return (("service" not in query or query["service"] in (card.services or []))
                and ("kind" not in query or card.kind == query["kind"])
                and (not query["open_now"] or stations.is_open(card, moment)))
    return keep


@bp.get("/stations/nearby")
@operation("附近的暖心驿站（由近到远，只含公开且开放的）", tag=TAG, auth=Auth.OPTIONAL,
           bucket=Bucket.PUBLIC, query=NearbyQuery, response=NearbyList)
def nearby_stations(query):
    """Nearest first, with distance, services, hours and open-now; coordinates answered in GCJ-02."""
    lat, lng = to_gcj02(query["lat"], query["lng"], query["coord"])
    hits = nearest.nearest(context.redis(), lat, lng, query["radius"] / 1000, query["limit"],
                           _filter(query))
    moment = context.now()
    return {"coord": Datum.GCJ02.value, "origin": {"lat": lat, "lng": lng},
            "stations": [{**station_view(hit.card, moment), "distance_m": hit.metres} for hit in hits]}


@bp.get("/stations/services")
@operation("服务项目词表", tag=TAG, auth=Auth.OPTIONAL, bucket=Bucket.PUBLIC, response=ServiceList)
def services():
    """Every service a station may offer."""
    return {"services": [{"key": k, "label": v} for k, v in stations.vocabulary().items()]}


@bp.get("/stations/mine")
@operation("我所在组织的驿站（含未公开、建设中的）", tag=TAG, response=StationList)
def my_stations():
    """Stations of every org the person files for."""
    person = current_person()
    orgs = permissions.orgs_where(person, permissions.FILL_ROLES)
    found = Station.select().where(Station.org.in_([o.id for o in orgs])).order_by(Station.id)
    moment = context.now()
    return {"stations": [station_view(s, moment, person) for s in found]}


@bp.get("/stations/<id:station_id>")
@operation("驿站详情（公开驿站任何人可看；本组织的驿站含管理信息）", tag=TAG, auth=Auth.OPTIONAL,
           bucket=Bucket.PUBLIC, response=StationView, errors=(401, 404))
def get_station(station_id):
    """One station."""
    person = current_person()
    try:
        station = access.station_for(person, station_id)
    except NotFound:
        sessions.refuse_stale_token()  # maybe the caller's own unlisted station
        raise
    return station_view(station, context.now(), person)


@bp.get("/stations/scene/<scene>")
@operation("扫驿站牌上的小程序码打开的驿站（scene 为 st.<公开码>）", tag=TAG, auth=Auth.OPTIONAL,
           bucket=Bucket.PUBLIC, response=ScannedStation, errors=(404,),
           description="小程序码的 scene 经 decodeURIComponent 后原样传入；已迁址的驿站在 moved_to 给出新址。")
def station_by_scene(scene):
    """The station a scanned sign names, as its page shows it: whatever its status, with the
    chair's contact an internal one publishes."""
    station = access.station_by_scene(scene)
    return {**station_view(station, context.now(), current_person()), "chair": stations.chair_contact(station)}


def _values(body):
    """Editable values in GCJ-02, without the datum flag."""
    values = {k: v for k, v in body.items() if k not in ("coord", "org_id")}
    if "lat" in values or "lng" in values:
        values["lat"], values["lng"] = to_gcj02(values["lat"], values["lng"], body["coord"])
    return values


@bp.post("/stations")
@operation("新建驿站（工会主席）", tag=TAG, bucket=Bucket.WRITE, body=StationCreate,
           response=StationView, status=201, errors=(403, 404, 422))
def create_station(body):
    """A new station of the chair's org; the nearby index follows at once, its sign by a job."""
    person = current_person()
    org = access.fill_org(person, body.get("org_id"))
    permissions.require(permissions.can_submit(person, org), "只有本单位工会主席可以新建驿站")
    station = station_changes.register_station(org, person, **_values(body))
    station_jobs.station_changed(context.redis(), context.settings(), station)
    return station_view(station, context.now(), person)


@bp.patch("/stations/<id:station_id>")
@operation("修改驿站信息（工会主席）", tag=TAG, bucket=Bucket.WRITE, body=StationUpdate,
           response=StationView, errors=(403, 404, 422))
def update_station(station_id, body):
    """Change a station; the nearby index follows at once, its sign by a job."""
    person = current_person()
    station = access.station_for_editing(person, station_id)
    if ("lat" in body) != ("lng" in body):
        raise ValidationFailed("纬度和经度要一起修改", key="lat" if "lng" in body else "lng")
    station_changes.change_station(station, person, **_values(body))
    station_jobs.station_changed(context.redis(), context.settings(), station)
    return station_view(station, context.now(), person)
