"""Stations: creating and editing them, their public code, hours and the service vocabulary."""
import datetime as dt
import secrets
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml
from peewee import IntegrityError

from miniapp_backend.clock import SHANGHAI, utcnow
from miniapp_backend.db import database
from miniapp_backend.forms import Field, FieldError
from miniapp_backend.forms.validation import parse_field
from miniapp_backend.models import (
    STATION_STATUS_LABELS, CodeKind, Station, StationKind, StationStatus, StationWechatCode)
from miniapp_backend.services import scenes
from miniapp_backend.services.errors import ValidationFailed

VOCABULARY_FILE = Path(__file__).resolve().parent.parent / "station_services.yaml"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_LABELS = dict(zip(WEEKDAYS, "一二三四五六日"))
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
PLACE_TYPES = ("车间班组", "社区", "楼宇", "商业网点", "加油站", "车站", "商场", "医院", "商务办公区", "园区", "其他")
# Every station of this federation is in 房山区: a box around the district in GCJ-02 (its borders
# lie at about 39.50–39.92°N, 115.42–116.25°E). A box is approximate, so a refusal names the district.
LAT_RANGE, LNG_RANGE = (39.48, 39.93), (115.41, 116.26)
PHONE = Field(key="phone", label="联系电话", type="phone", required=False)
# Said wherever hours would show when none are registered: not knowing is not being closed.
# Calling is offered only where the station has a phone to call (listed beside the hours).
HOURS_UNKNOWN = "开放时间未登记，可致电或到场咨询"
HOURS_UNKNOWN_NO_PHONE = "开放时间未登记，可到场咨询"
DAY_END = "24:00"
WHOLE_DAY = ["00:00", DAY_END]
WHOLE_DAY_TEXT = "全天"
# A move chain this long is far beyond any real one: the walk stops there rather than trusting the data.
MOVES_FOLLOWED = 20
EDITABLE_FIELDS = ("name", "address", "lat", "lng", "place_type", "public", "hours", "services",
                   "phone", "kind", "status")


@lru_cache(maxsize=1)
def vocabulary():
    """{key: label} of every known service, in file order."""
    entries = yaml.safe_load(VOCABULARY_FILE.read_text(encoding="utf-8"))
    return {entry["key"]: entry["label"] for entry in entries}


def _new_code():
    """A short unguessable code for /s/<code> (about 50 bits)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def scene_of(station):
    """The station's scene string for QR codes (see services.scenes)."""
    return scenes.encode(scenes.SceneKind.STATION, station.code)


def by_scene(scene):
    """The station a scanned scene points at, or None."""
    decoded = scenes.decode(scene)
    if decoded is None or decoded[0] != scenes.SceneKind.STATION:
        return None
    return Station.get_or_none(Station.code == decoded[1])


def sites_moved_to(station):
    """The stations `station` moved to, one after another (its new site, that site's new site, …),
    as recorded whatever their status; each once and at most MOVES_FOLLOWED of them, so that a
    cycle left in older data ends the walk instead of looping."""
    seen, current = {station.id}, station
    for _ in range(MOVES_FOLLOWED):
        if not current.moved_to_id or current.moved_to_id in seen:
            return
        current = Station.get_or_none(Station.id == current.moved_to_id)
        if current is None:
            return
        seen.add(current.id)
        yield current


def open_new_site(station):
    """Where a moved station went in the end: the first of its sites in turn that did not move on,
    when that site is open (one closed since, or not yet open, is no place to send a worker);
    None otherwise. Chat and the station page send workers there."""
    for site in sites_moved_to(station):
        if site.status != StationStatus.MOVED:
            return site if site.status == StationStatus.ACTIVE else None
    return None


def by_code_url(url):
    """The station whose official-account code on its sign encodes `url` (what a scan of that
    code in the 扫码 menu reports, where a plain scan reports its scene), or None."""
    code = StationWechatCode.get_or_none(StationWechatCode.url == url, StationWechatCode.kind == CodeKind.OFFICIAL)
    return code.station if code else None


def clean(values):
    """Validate and normalize editable station values; raise ValidationFailed naming the field."""
    values = {k: v for k, v in values.items() if k in EDITABLE_FIELDS}
    for key, label in (("name", "驿站名称"), ("address", "地址")):
        if key in values:
            # Pasted text keeps no edge spaces; inside, a line break would split the sign's line.
            values[key] = str(values[key]).strip()
            if any(unicodedata.category(ch) == "Cc" for ch in values[key]):
                raise ValidationFailed(f"{label}不能含换行等控制字符，请写在一行里", key=key)
    if "name" in values and not 2 <= len(values["name"]) <= 100:
        raise ValidationFailed("驿站名称应为2到100个字", key="name")
    if "address" in values and not 4 <= len(values["address"]) <= 200:
        raise ValidationFailed("地址应为4到200个字，请写到门牌号", key="address")
    for key, (low, high) in (("lat", LAT_RANGE), ("lng", LNG_RANGE)):
        if key in values and not (isinstance(values[key], (int, float)) and low <= values[key] <= high):
            raise ValidationFailed(_outside_district(values), key=key)
    if "services" in values:
        unknown = [s for s in values["services"] if s not in vocabulary()]
        if unknown:
            raise ValidationFailed(f"未知的服务项目：{'、'.join(unknown)}", key="services")
    if "place_type" in values and values["place_type"] not in PLACE_TYPES + ("",):
        raise ValidationFailed(f"场所类型应为：{'、'.join(PLACE_TYPES)}", key="place_type")
    if "hours" in values:
        values["hours"] = clean_hours(values["hours"])
    if "phone" in values:
        try:
            values["phone"] = parse_field(PHONE, values["phone"]) or ""
        except FieldError as exc:
            raise ValidationFailed(exc.message, key="phone") from None
    if "kind" in values and values["kind"] not in set(StationKind):
        raise ValidationFailed("类型应为职工暖心驿站或公共区域职工之家", key="kind")
    if "status" in values and values["status"] not in set(StationStatus):
        raise ValidationFailed(f"驿站状态应为：{'、'.join(STATION_STATUS_LABELS.values())}", key="status")
    return values


def in_district(lat, lng):
    """Whether (lat, lng), GCJ-02, lies in the box around 房山区 that every station lies in."""
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def _outside_district(values):
    """The refusal of a place outside 房山区, with the coordinates received."""
    received = "，".join(f"{label}{_shown(values[key])}" for key, label in (("lat", "纬度"), ("lng", "经度"))
                        if key in values)
    return f"这个位置不在房山区范围内（收到{received}）。本平台的驿站都在房山区，请重新选择驿站所在的位置"


def _shown(coordinate):
    """A received coordinate as the refusal quotes it (a converted WGS84 one has many decimals)."""
    return round(coordinate, 6) if isinstance(coordinate, float) else coordinate


def _minutes(clock, may_be_day_end=False):
    """Minutes since midnight of "HH:MM"; "24:00" (the midnight that ends the day) only as an end."""
    if may_be_day_end and clock == DAY_END:
        return 24 * 60
    moment = dt.time.fromisoformat(clock)
    return moment.hour * 60 + moment.minute


def clean_hours(hours):
    """{"always": bool, "mon": [["08:00","18:00"], …], …} with each span checked; a span may end
    at "24:00" (open until midnight) and ["00:00", "24:00"] is the whole day."""
    if not isinstance(hours, dict):
        raise ValidationFailed("开放时间格式不对", key="hours")
    result = {"always": bool(hours.get("always"))}
    for day in WEEKDAYS:
        spans = hours.get(day) or []
        times = []
        for span in spans:
            try:
                start_text, end_text = span
                start, end = _minutes(start_text), _minutes(end_text, may_be_day_end=True)
            except (TypeError, ValueError):
                raise ValidationFailed(f"周{WEEKDAY_LABELS[day]}的开放时间应写成 08:00-18:00", key="hours") from None
            if end_text == "00:00" and start > 0:
                raise ValidationFailed(f"周{WEEKDAY_LABELS[day]}开放到午夜的，结束时间请写成24:00", key="hours")
            if start >= end:
                raise ValidationFailed(f"周{WEEKDAY_LABELS[day]}的开始时间应早于结束时间", key="hours")
            times.append((start, end))
        times.sort()
        if any(later[0] < earlier[1] for earlier, later in zip(times, times[1:])):
            raise ValidationFailed(f"周{WEEKDAY_LABELS[day]}的开放时段有重叠，请合并后再保存", key="hours")
        result[day] = [list(span) for span in spans]
    return result


def create_station(org, **values):
    """A new station of `org` with a fresh public code."""
    values = clean(values)
    for _ in range(5):
        try:
            with database.atomic():
                return Station.create(org=org, code=_new_code(), **values)
        except IntegrityError:
            continue
    raise RuntimeError("could not allocate a unique station code")


def update_station(station, **values):
    """Change editable fields of a station; one no longer moved keeps no new site."""
    for key, value in clean(values).items():
        setattr(station, key, value)
    if station.status != StationStatus.MOVED:
        station.moved_to = None
    station.updated_at = utcnow()
    station.save()
    return station


def chair_contact(station):
    """{"name", "phone", "email"} of the chair's contact, those known, that an internal (non-public)
    station publishes (the notice: 单位内部的职工暖心驿站要公布工会主席的联系方式、电子邮箱); {} for a
    public one (a nearby card is always public)."""
    if station.public:
        return {}
    org = station.org
    return {key: value for key, value in (("name", org.chair_name), ("phone", org.phone), ("email", org.email))
            if value}


def chair_contact_text(contact):
    """The chair's contact in one line, as the sign and the chat card give it ("" when none)."""
    labels = {"name": "工会主席", "phone": "电话", "email": "邮箱"}
    return "　".join(f"{labels[key]}：{value}" for key, value in contact.items())


def hours_known(station):
    """Whether the station (or its nearby card) has any opening hours registered."""
    hours = station.hours or {}
    return bool(hours.get("always")) or any(hours.get(day) for day in WEEKDAYS)


def is_open(station, moment=None):
    """Whether the station (or its nearby card) is open at `moment` (naive UTC; default now),
    by its local hours (False when none are registered: see hours_known)."""
    if station.status != StationStatus.ACTIVE:
        return False
    hours = station.hours or {}
    if hours.get("always"):
        return True
    local = (moment or utcnow()).replace(tzinfo=dt.timezone.utc).astimezone(SHANGHAI)
    now = local.strftime("%H:%M")  # at most "23:59", so before an end of "24:00"
    return any(start <= now < end for start, end in hours.get(WEEKDAYS[local.weekday()], []))


def open_now(station, moment=None):
    """is_open, or None when no hours are registered: then neither open nor closed is claimed."""
    return is_open(station, moment) if hours_known(station) else None


def _days_text(first, last):
    """Days `first`..`last` (indexes into WEEKDAYS) as people write them: 周一, 周六、周日, 周一至周五, 每天."""
    if (first, last) == (0, len(WEEKDAYS) - 1):
        return "每天"
    names = [f"周{WEEKDAY_LABELS[WEEKDAYS[i]]}" for i in (first, last)]
    return names[0] if first == last else ("、" if last == first + 1 else "至").join(names)


def hours_written(hours):
    """Opening hours in Chinese, e.g. “24小时开放” or “周一至周五 08:00-18:00；周六 全天”:
    following days with the same spans are one run, as a chair types them and a sign prints them;
    "" when none are registered."""
    hours = hours or {}
    if hours.get("always") or all(hours.get(day) == [WHOLE_DAY] for day in WEEKDAYS):
        return "24小时开放"
    runs = []  # [first day, last day, spans], days as indexes into WEEKDAYS
    for index, day in enumerate(WEEKDAYS):
        spans = "、".join(WHOLE_DAY_TEXT if [s, e] == WHOLE_DAY else f"{s}-{e}" for s, e in hours.get(day) or [])
        if spans and runs and runs[-1][1] == index - 1 and runs[-1][2] == spans:
            runs[-1][1] = index
        elif spans:
            runs.append([index, index, spans])
    return "；".join(f"{_days_text(first, last)} {spans}" for first, last, spans in runs)


def hours_text(station):
    """The station's opening hours in Chinese (hours_written), or that they are not registered."""
    return hours_written(station.hours) or (HOURS_UNKNOWN if station.phone else HOURS_UNKNOWN_NO_PHONE)
