"""Record-keeping on the admin web: paper received, granted funding, 现场验收, per-系统工会 quotas."""
from miniapp_backend.clock import format_day, local_today, utcnow
from miniapp_backend.db import database
from miniapp_backend.models import AuditLog, FileKind, OrgKind
from miniapp_backend.models.admin_records import (
    INSPECTION_RESULT_LABELS, InspectionPhoto, InspectionResult, SiteInspection, SystemQuota)
from miniapp_backend.services import acceptance, campaigns
from miniapp_backend.services.errors import InvalidState, ValidationFailed
from miniapp_backend.services.evidence import store
from miniapp_backend.services.permissions import administers, is_district_admin_over, require

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PAPER_DISTRICT_ONLY = "纸质件报送区总工会组宣部，只有区总工会管理员可以登记"


def _audit(person, action, application, **detail):
    """One audit row about an application."""
    AuditLog.create(actor=person, action=action, object_type="application", object_id=application.id,
                    detail=detail)


def mark_paper_received(application, person, received=True):
    """Record (or clear) that the stamped paper copy reached the 区总工会组宣部."""
    require(is_district_admin_over(person, application.org), PAPER_DISTRICT_ONLY)
    if received and application.paper_received_at:
        return application  # a second click or an older page: the copy arrived when first recorded
    application.paper_received_at = utcnow() if received else None
    application.save(only=[type(application).paper_received_at])
    _audit(person, "application.paper" if received else "application.paper_cleared", application)
    return application


def set_funding(application, person, yuan):
    """The amount actually granted to an approved (验收合格) application, set by the district."""
    require(is_district_admin_over(person, application.org), "只有区总工会管理员可以登记资金")
    # 经验收合格 the funding follows: where the round has a 验收 period, that is the district's 现场验收.
    if not acceptance.accepted(application):
        raise InvalidState("只有验收合格的申报可以登记资金")
    # The notice grants each kind its amount (10万元, 3万元, 2000元): more is a typo that would
    # inflate the totals reported to 市总; a kind it grants nothing (区级先进, a title) has no amount.
    spec = campaigns.kind_spec(application.campaign, application.kind)
    if not spec.funding_yuan:
        raise InvalidState(f"{spec.label}没有资金支持，不登记金额")
    if yuan is not None and not 0 <= yuan <= spec.funding_yuan:
        raise ValidationFailed(f"{spec.label}的资金支持标准为每个{spec.funding_yuan:,}元，"
                               f"登记金额应在0到{spec.funding_yuan:,}元之间，请核对", key="funding_yuan")
    application.funding_yuan = yuan
    application.save(only=[type(application).funding_yuan])
    _audit(person, "application.funding", application, yuan=yuan)
    return application


def record_inspection(application, person, filestore, inspected_on, inspectors, findings, result, photos=(),
                      today=None):
    """A 现场验收 record with its photos ((bytes, mime) pairs whose content was checked by the
    edge); return it. A visit is recorded after it took place, never ahead."""
    require(administers(person, application.org), "只有上级工会管理员可以登记现场验收")
    if not inspectors.strip():
        raise ValidationFailed("请填写验收人员", key="inspectors")
    if inspected_on is None:
        raise ValidationFailed("请填写验收日期", key="inspected_on")
    today = today or local_today()
    if inspected_on > today:
        raise ValidationFailed(f"验收日期不能晚于今天（{format_day(today)}），请填写实际验收的日期",
                               key="inspected_on")
    if result not in set(InspectionResult):
        raise ValidationFailed(f"验收结论应为：{'、'.join(INSPECTION_RESULT_LABELS.values())}", key="result")
    bad = [mime for _, mime in photos if mime not in PHOTO_TYPES]
    if bad:
        raise ValidationFailed("现场照片只能是 JPG、PNG 或 WebP 图片", key="photos")
    with database.atomic():
        recorded = SiteInspection.select().where(
            SiteInspection.application == application, SiteInspection.inspected_on == inspected_on,
            SiteInspection.inspectors == inspectors.strip()[:200], SiteInspection.findings == findings.strip(),
            SiteInspection.result == result).exists()
        if recorded:  # the form sent twice (a double click, a reload)
            raise InvalidState(f"{format_day(inspected_on)}这次现场验收已经登记，请勿重复提交")
        inspection = SiteInspection.create(application=application, inspected_on=inspected_on,
                                           inspectors=inspectors.strip()[:200], findings=findings.strip(),
                                           result=InspectionResult(result), recorded_by=person)
        for data, mime in photos:
            stored = store(filestore, data, FileKind.PHOTO, mime, uploaded_by=person)
            InspectionPhoto.insert(inspection=inspection, file=stored).on_conflict_ignore().execute()
        _audit(person, "application.inspection", application, inspection=inspection.id, result=result)
    return inspection


def set_quota(campaign, kind, system_org, count, person):
    """How many of `kind` the 系统工会 `system_org` should deliver (0 removes the quota)."""
    require(is_district_admin_over(person, system_org), "只有区总工会管理员可以分配指标")
    if system_org.kind != OrgKind.SYSTEM:
        raise ValidationFailed("指标只能分配给系统工会", key="org")
    campaigns.kind_spec(campaign, kind)
    if count < 0:
        raise ValidationFailed("指标不能为负数", key="count")
    if count == 0:
        SystemQuota.delete().where(SystemQuota.campaign == campaign, SystemQuota.kind == kind,
                                   SystemQuota.org == system_org).execute()
        return None
    SystemQuota.insert(campaign=campaign, kind=kind, org=system_org, count=count).on_conflict(
        conflict_target=[SystemQuota.campaign, SystemQuota.kind, SystemQuota.org],
        update={SystemQuota.count: count}).execute()
    AuditLog.create(actor=person, action="quota.set", object_type="org", object_id=system_org.id,
                    detail={"campaign": campaign.year, "kind": kind, "count": count})
    return count
