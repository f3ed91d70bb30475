"""Eligibility reasons, 合格 declaration and verification, 区级 → 市级, revocation, 复验."""
import datetime as dt

import pytest

from miniapp_backend.models import ApplicationKind, Honour, HonourKind, HonourStatus, Org, Reinspection
from miniapp_backend.services import eligibility, qualified, revocation_proposals, stations
from miniapp_backend.services.errors import InvalidState, PermissionDenied, ValidationFailed
from tests.factories import IN_WINDOW, make_qualified, minutes_scan, station_for


def option(world, org, kind, today=IN_WINDOW):
    return next(o for o in eligibility.options_for(org, world.campaign, today) if o.spec.kind == kind)


def test_options_list_every_kind_with_reasons(world):
    options = {o.spec.kind: o for o in eligibility.options_for(world.unit, world.campaign, IN_WINDOW)}
    assert set(options) == {k.value for k in ApplicationKind}
    assert options["model_home"].allowed
    assert options["new_union_home"].allowed
    assert any("合格职工之家" in r for r in options["district_home"].reasons)
    assert any("车间" in r for r in options["small_home"].reasons)
    assert option(world, world.unit, "model_home").round.name == "上半年"
    assert option(world, world.unit, "model_home", dt.date(2018, 8, 1)).round.name == "下半年"


def test_window_reasons_before_and_after(world):
    early = option(world, world.unit, "model_home", dt.date(2018, 4, 1))
    assert early.reasons == ["上半年申报将于2018年4月28日开始"]
    late = option(world, world.unit, "model_home", dt.date(2018, 11, 1))
    assert late.reasons == ["下半年申报已于2018年10月31日截止"]


def test_declared_qualified_counts_only_once_verified(world):
    honour = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME,
                                           dt.date(2018, 3, 20), minutes=[minutes_scan()], today=IN_WINDOW)
    assert honour.status == HonourStatus.DECLARED
    assert option(world, world.unit, "district_home").reasons == [
        "本单位已申报“合格职工之家”（会员代表大会2018年3月20日），待系统工会确认后即可申报"]
    with pytest.raises(PermissionDenied):
        qualified.verify_qualified(honour, world.other_system_admin)
    qualified.verify_qualified(honour, world.system_admin)
    assert option(world, world.unit, "district_home").allowed
    with pytest.raises(PermissionDenied):
        qualified.declare_qualified(world.unit, world.staff, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 20),
                                      minutes=[minutes_scan()], today=IN_WINDOW)


def test_a_declaration_is_refused_for_a_bad_date_a_wrong_level_or_a_title_already_in_hand(world):
    declare = qualified.declare_qualified
    with pytest.raises(ValidationFailed, match="不能晚于今天（2018年5月10日）"):
        declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 5, 11), today=IN_WINDOW)
    with pytest.raises(ValidationFailed, match="早于2013年5月10日"):
        declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2013, 5, 9), today=IN_WINDOW)
    with pytest.raises(ValidationFailed, match="基层工会请申报合格职工之家"):
        declare(world.unit, world.chair, HonourKind.QUALIFIED_SMALL_HOME, dt.date(2018, 3, 1), today=IN_WINDOW)
    assert qualified.declarable_kinds(world.branch) == [HonourKind.QUALIFIED_SMALL_HOME]
    first = declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 1), minutes=[minutes_scan()],
                  today=IN_WINDOW)
    assert qualified.declarable_kinds(world.unit) == []
    assert declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 3, 1), today=IN_WINDOW) == first
    with pytest.raises(InvalidState, match="正在等待系统工会确认"):
        declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 4, 1), today=IN_WINDOW)
    qualified.verify_qualified(first, world.system_admin)
    with pytest.raises(InvalidState, match="已获得2018年度“合格职工之家”称号"):
        declare(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 4, 1), today=IN_WINDOW)


def test_after_a_revocation_a_new_congress_declares_the_title_again_and_the_revoked_one_stays(world):
    first = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 1, 10),
                                          minutes=[minutes_scan()], today=IN_WINDOW)
    qualified.verify_qualified(first, world.system_admin)
    eligibility.revoke(first, world.system_admin, "复查发现职工之家已停用")
    assert "需重新经会员代表大会决定" in option(world, world.unit, "district_home").reasons[0]
    assert qualified.declarable_kinds(world.unit) == [HonourKind.QUALIFIED_HOME]
    again = qualified.declare_qualified(world.unit, world.chair, HonourKind.QUALIFIED_HOME, dt.date(2018, 4, 20),
                                          minutes=[minutes_scan()], today=IN_WINDOW)
    assert again.id != first.id and (again.status, again.year) == (HonourStatus.DECLARED, 2018)
    first = Honour.get_by_id(first.id)
    assert (first.status, first.revoked_reason) == (HonourStatus.REVOKED, "复查发现职工之家已停用")
    assert "已申报" in option(world, world.unit, "district_home").reasons[0]
    qualified.verify_qualified(again, world.system_admin)
    assert option(world, world.unit, "district_home").allowed
    # A title revoked stays revoked: the register does not hand the same year's out again by hand.
    district = eligibility.award(world.unit, HonourKind.DISTRICT_HOME, 2017, dt.date(2017, 12, 1))
    eligibility.revoke(district, world.district_admin, "复验不合格")
    with pytest.raises(InvalidState, match="已被撤销，不能再次授予"):
        eligibility.award(world.unit, HonourKind.DISTRICT_HOME, 2017, dt.date(2017, 12, 1))


def test_revoked_honour_counts_for_nothing_and_city_needs_district(world):
    qualified = make_qualified(world.unit)
    assert option(world, world.unit, "district_home").allowed
    with pytest.raises(ValidationFailed):
        eligibility.revoke(qualified, world.system_admin, " ")
    eligibility.revoke(qualified, world.system_admin, "复查发现职工之家已停用")
    assert not option(world, world.unit, "district_home").allowed
    assert not eligibility.may_seek_city_title(world.unit, HonourKind.CITY_MODEL_HOME)
    with pytest.raises(InvalidState, match="房山区先进职工之家"):
        eligibility.award(world.unit, HonourKind.CITY_MODEL_HOME, 2019, dt.date(2019, 12, 1))
    district = eligibility.award(world.unit, HonourKind.DISTRICT_HOME, 2018, dt.date(2018, 12, 20))
    assert eligibility.may_seek_city_title(world.unit, HonourKind.CITY_MODEL_HOME)
    with pytest.raises(PermissionDenied, match="区总工会"):  # the seed: 区总工会……撤销所获得的荣誉称号
        eligibility.revoke(district, world.system_admin, "复验不合格")
    eligibility.reinspect(district, world.system_admin, dt.date(2019, 10, 1), keep=False, findings="标识缺失")
    assert district.status == HonourStatus.ACTIVE and [r.kept for r in district.reinspections] == ["proposed"]
    eligibility.reinspect(district, world.district_admin, dt.date(2019, 11, 1), keep=False, findings="复验不合格")
    assert district.status == HonourStatus.REVOKED
    assert not eligibility.may_seek_city_title(world.unit, HonourKind.CITY_MODEL_HOME)


def test_only_the_district_answers_a_proposal_to_revoke_and_any_revocation_answers_it(world):
    district = eligibility.award(world.unit, HonourKind.DISTRICT_HOME, 2018, dt.date(2018, 12, 20))
    eligibility.reinspect(district, world.system_admin, dt.date(2019, 10, 1), keep=False, findings="标识缺失")
    [proposal] = revocation_proposals.pending_of(district)
    assert [p.id for p in revocation_proposals.pending(Org.id == world.unit.id)] == [proposal.id]
    assert not list(revocation_proposals.pending(Org.id == world.other_unit.id))
    with pytest.raises(PermissionDenied, match="区总工会"):
        revocation_proposals.decide(proposal, world.system_admin, revoke=False, note="不撤销")
    assert revocation_proposals.deciders(district) == [world.district_admin.id]
    assert revocation_proposals.proposers(district) == [world.system_admin.id]
    # The district revoking by its own 复验 answers the waiting proposal too.
    eligibility.reinspect(district, world.district_admin, dt.date(2019, 11, 1), keep=False, findings="复验不合格")
    assert revocation_proposals.pending_of(district) == []
    answered = Reinspection.get_by_id(proposal.id)
    assert (answered.decision, answered.decided_by_id) == ("revoked", world.district_admin.id)


def test_warm_station_needs_an_open_station_of_the_org(world):
    station = station_for(world.unit)
    spec = option(world, world.unit, "warm_station").spec
    round_ = option(world, world.unit, "warm_station").round
    assert eligibility.reasons_against(world.unit, spec, round_, IN_WINDOW, station) == []
    assert eligibility.reasons_against(world.other_unit, spec, round_, IN_WINDOW, station) == ["这个驿站不属于本单位"]
    stations.update_station(station, status="closed")
    assert "已关闭" in eligibility.reasons_against(world.unit, spec, round_, IN_WINDOW, station)[0]


def test_a_revoked_honour_is_not_silently_re_awarded(world):
    honour = make_qualified(world.unit)
    eligibility.revoke(honour, world.system_admin, "会员代表大会记录不实")
    with pytest.raises(InvalidState, match="已被撤销"):
        make_qualified(world.unit)
