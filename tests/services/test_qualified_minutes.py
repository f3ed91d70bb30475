"""The minutes of the 会员代表大会 behind a 合格 declaration: the chair attaches them, the confirming
union cannot confirm without them, and a decided declaration takes no more."""
import datetime as dt

import pytest

from miniapp_backend.models import HonourKind, HonourStatus
from miniapp_backend.services import qualified, qualified_minutes
from miniapp_backend.services.errors import InvalidState, PermissionDenied, ValidationFailed
from tests.factories import IN_WINDOW, minutes_scan


def _declared(world, minutes=()):
    return qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                       minutes=minutes, today=IN_WINDOW)


def test_a_declaration_without_minutes_is_not_confirmed_until_the_chair_adds_them(world):
    honour = _declared(world)
    with pytest.raises(InvalidState, match="还没有附会员代表大会的会议记录或决议，不能确认"):
        qualified.verify_qualified(honour, world.system_admin)
    assert honour.__class__.get_by_id(honour.id).status == HonourStatus.DECLARED
    scan = minutes_scan()
    assert qualified_minutes.attach_minutes(honour, world.chair, scan) == [scan]
    assert qualified_minutes.attach_minutes(honour, world.chair, scan) == [scan], "the same file again adds none"
    assert qualified.verify_qualified(honour, world.system_admin).status == HonourStatus.ACTIVE
    with pytest.raises(InvalidState, match="已经确认，无需再上传会议记录"):
        qualified_minutes.attach_minutes(honour, world.chair, minutes_scan("决议"))


def test_only_the_chair_adds_minutes_and_at_most_nine(world):
    honour = _declared(world, [minutes_scan("第1页")])
    with pytest.raises(PermissionDenied, match="由本单位工会主席上传"):
        qualified_minutes.attach_minutes(honour, world.staff, minutes_scan("第2页"))
    for page in range(2, 10):
        qualified_minutes.attach_minutes(honour, world.chair, minutes_scan(f"第{page}页"))
    with pytest.raises(ValidationFailed, match="会议记录已有9张，最多9张"):
        qualified_minutes.attach_minutes(honour, world.chair, minutes_scan("第10页"))
    assert len(qualified_minutes.minutes_of(honour)) == 9


def test_a_refused_declaration_takes_no_more_minutes(world):
    honour = qualified.refuse_declaration(_declared(world), world.system_admin, "会议记录不全")
    with pytest.raises(InvalidState, match=r"已被退回（会议记录不全），请重新申报并附上会议记录"):
        qualified_minutes.attach_minutes(honour, world.chair, minutes_scan())
