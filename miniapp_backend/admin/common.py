"""What admin pages share: the campaign in view, visibility checks that 404, small form readers."""
import datetime as dt

from flask import abort, current_app, g, request

from miniapp_backend.admin.blueprint import current_config
from miniapp_backend.clock import local_today, utcnow
from miniapp_backend.models import Application, Campaign, Org, Round
from miniapp_backend.services import application_search, campaigns
from miniapp_backend.services.application_search import ID_DIGITS
from miniapp_backend.services.errors import ValidationFailed
from miniapp_backend.storage import FileStore

NOT_YOURS = "找不到这个对象，或它不在您的管理范围内"
# Quiet hours make the time of day decide whether a notice may go out; tests and demos pin the
# moment with app.config["ADMIN_NOW"] (a naive UTC datetime) instead of patching time.
NOW_SETTING = "ADMIN_NOW"


def now():
    """The current moment as naive UTC (the pinned one when set)."""
    return current_app.config.get(NOW_SETTING) or utcnow()


def campaign_in_view():
    """The campaign of ?year=, else the current one; 404 when none is loaded."""
    year = int_arg("year")
    campaign = (Campaign.get_or_none(Campaign.year == year) if year
                else campaigns.current_campaign(local_today()))
    if campaign is None and year:
        loaded = "、".join(str(c.year) for c in Campaign.select(Campaign.year).order_by(Campaign.year))
        abort(404, description=f"没有{year}年度的申报安排" + (f"，现有年度：{loaded}" if loaded else ""))
    if campaign is None:
        abort(404, description="还没有载入任何年度的申报安排，请联系系统管理员载入")
    return campaign


def kind_labels(campaign):
    """{kind: Chinese label} of a campaign."""
    return {spec.kind: spec.label for spec in campaigns.kind_specs(campaign)}


def rounds_of(campaign):
    """The campaign's rounds, by kind and date."""
    return list(Round.select().where(Round.campaign == campaign).order_by(Round.kind, Round.opens_on))


def visible_application(application_id):
    """The application if this admin sees it; 404 otherwise (other subtrees do not exist for them)."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None or not g.scope.sees_application(application):
        abort(404, description=NOT_YOURS)
    return application


def visible_org(org_id):
    """The org if this admin sees it; 404 otherwise."""
    org = Org.get_or_none(Org.id == org_id)
    if org is None or not g.scope.sees_org(org):
        abort(404, description=NOT_YOURS)
    return org


def require_admin():
    """Pages for 系统工会 and 区总工会 admins only."""
    if not g.scope.is_admin:
        abort(403, description="这个页面只对系统工会和区总工会管理员开放")


def require_district():
    """Pages for 区总工会 admins only."""
    if not g.scope.is_district:
        abort(403, description="这个页面只对区总工会管理员开放")


def filestore():
    """The content-addressed file store."""
    return FileStore(current_config().storage_dir)


def redis():
    """The shared Redis client."""
    return current_app.extensions["redis"]


def form_date(name, label, required=False):
    """A yyyy-mm-dd form field as a date (None when empty and optional); `label` names it in
    refusals, since a page can hold several forms with dates."""
    text = request.form.get(name, "").strip()
    if not text:
        if required:
            raise ValidationFailed(f"请填写{label}", key=name)
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(f"{label}格式应为 2018-05-10", key=name) from None


def form_int(name, default=None):
    """An integer form field (None/default when empty)."""
    text = request.form.get(name, "").strip()
    if not text:
        return default
    if not (text.isascii() and text.lstrip("-").isdigit()):
        raise ValidationFailed("请填写整数", key=name)
    if len(text.lstrip("-")) > ID_DIGITS:
        raise ValidationFailed(f"请填写不超过{ID_DIGITS}位的整数", key=name)
    return int(text)


def form_ids(name, refusal):
    """The whole numbers of the boxes ticked under `name`; a value that is none (a tampered form:
    "²" passes str.isdigit but not int) is refused with `refusal`."""
    ids = [application_search.id_from_text(value) for value in request.form.getlist(name)]
    if None in ids:
        raise ValidationFailed(refusal, key=name)
    return ids


def int_arg(name):
    """?name= as an id, a year or a page (application_search.id_from_text), else None."""
    return application_search.id_from_text(request.args.get(name))


def page_number():
    """?page= as a positive int."""
    return max(1, int_arg("page") or 1)
