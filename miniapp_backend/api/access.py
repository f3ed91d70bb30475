"""Which objects a person may see through the API, composed from the domain's permission rules.

Objects outside a person's view answer 404, so ids reveal nothing; writes are refused by the
domain itself (403) when the person may see but not change.
"""
from miniapp_backend.models import Application, Honour, Station
from miniapp_backend.models.evaluations import EvaluationRound, Voter
from miniapp_backend.services import evaluations, nearby, permissions, stations
from miniapp_backend.services.errors import NotFound, PermissionDenied, ValidationFailed


def application_for(person, application_id):
    """The application with this id if the person may see it, else NotFound."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None or not permissions.can_view_application(person, application):
        raise NotFound("没有这份申报，或您无权查看")
    return application


def fill_orgs(person, org_id=None):
    """The orgs the person files for (only the one asked for, when an id is given)."""
    orgs = permissions.orgs_where(person, permissions.FILL_ROLES)
    if org_id is None:
        return orgs
    chosen = [org for org in orgs if org.id == org_id]
    if not chosen:
        raise NotFound("您不是这个组织的工会主席或工作人员")
    return chosen


def fill_org(person, org_id=None):
    """The one org to file for: the one named, or the person's only one."""
    orgs = fill_orgs(person, org_id)
    if not orgs:
        raise PermissionDenied("请先用邀请码绑定您所在的工会组织")
    if len(orgs) > 1:
        raise ValidationFailed("您在多个组织任职，请选择为哪个组织填报", key="org_id")
    return orgs[0]


def honour_for(person, honour_id):
    """A title of one of the person's orgs (chair or staff), else NotFound."""
    honour = Honour.get_or_none(Honour.id == honour_id)
    if honour is None or not _member(person, honour.org):
        raise NotFound("没有这个称号，或您不是它所在单位的工会主席或工作人员")
    return honour


def can_edit_station(person, station):
    """A station is edited by the chair of its org."""
    return permissions.can_submit(person, station.org)


def station_for(person, station_id):
    """A station anyone may see (public and open, or moved to an open new site a worker is sent
    on to) or one of the person's orgs, else NotFound."""
    station = Station.get_or_none(Station.id == station_id)
    if station is None or not (nearby.listed(station) or _member(person, station.org)
                               or stations.open_new_site(station)):
        raise NotFound("没有这个驿站，或它目前不对外开放")
    return station


def station_by_scene(scene):
    """The station a sign's mini-program code names (scene st.<code>), whatever its status: the
    code is printed on the station's own sign, and its page (/s/<code>) shows it as well."""
    station = stations.by_scene(scene)
    if station is None:
        raise NotFound("没有这个驿站码，请确认扫的是驿站牌上的小程序码")
    return station


def _member(person, org):
    """The person fills forms for `org` (chair or staff)."""
    return person is not None and permissions.can_fill(person, org)


def station_to_manage(person, station_id):
    """A station of one of the person's orgs (chair or staff), else NotFound: another org's
    station, public or not, is answered like a missing one."""
    station = Station.get_or_none(Station.id == station_id)
    if station is None or not _member(person, station.org):
        raise NotFound("没有这个驿站，或您不是它所在单位的工会主席或工作人员")
    return station


def station_for_editing(person, station_id):
    """A station the person may change; NotFound when unseen, PermissionDenied when only seen."""
    station = station_for(person, station_id)
    permissions.require(can_edit_station(person, station), "只有本单位工会主席可以修改驿站信息")
    return station


def evaluation_for(person, round_id):
    """The 会员评家 round with this id if the person may follow it (its org's chair or staff, an
    admin above it), else NotFound; changes are refused by the domain (403) for the admins."""
    round_ = EvaluationRound.get_or_none(EvaluationRound.id == round_id)
    if round_ is None or not evaluations.can_view_round(person, round_):
        raise NotFound("没有这轮会员评家，或您无权查看")
    return round_


def voter_of(round_, voter_id):
    """The person with this id on the round's roster, else NotFound."""
    voter = Voter.get_or_none(Voter.id == voter_id, Voter.round == round_)
    if voter is None:
        raise NotFound("本轮评议的名单中没有这个人（可能已被移出）")
    return voter
