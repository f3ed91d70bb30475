"""All models, in dependency order (tables are created and dropped in this order)."""
from miniapp_backend.models.admin_accounts import AdminAccount
from miniapp_backend.models.admin_records import (
    InspectionPhoto, Selection, SelectionEntry, SiteInspection, SystemQuota)
from miniapp_backend.models.applications import (
    APP_STATUS_LABELS, Answer, Application, AppStatus, StatusEvent, Submission)
from miniapp_backend.models.assets import Asset
from miniapp_backend.models.campaigns import ApplicationKind, Campaign, Round, Target
from miniapp_backend.models.chat_media import ChatMedia
from miniapp_backend.models.evidence import EvidenceLink, FileKind, StoredFile
from miniapp_backend.models.evaluations import Ballot, EvaluationRound, Voter
from miniapp_backend.models.honours import (
    ENDED, HONOUR_LABELS, PROPOSED, Honour, HonourKind, HonourMinutes, HonourStatus, ProposalDecision,
    Reinspection)
from miniapp_backend.models.notifications import ChannelState, Notice, NoticeStatus, SubscribeGrant
from miniapp_backend.models.orgs import ORG_KIND_LABELS, BuildingMode, Org, OrgKind
from miniapp_backend.models.packets import PACKET_STATUS_LABELS, Packet, PacketStatus
from miniapp_backend.models.people import (
    ROLE_LABELS, Channel, Identity, InviteCode, LinkCode, Person, Role, RoleKind)
from miniapp_backend.models.reviews import AuditLog, Decision, ReviewStep, StepMode, StepStatus
from miniapp_backend.models.stations import (
    STATION_STATUS_LABELS, Station, StationKind, StationStatus)
from miniapp_backend.models.station_pages import CodeKind, QrQuota, StationFeedback, StationWechatCode

ALL_MODELS = [
    Org, Person, Identity, Role, InviteCode, LinkCode,
    Campaign, Round, Target, Station,
    Application, Answer, Submission, StatusEvent,
    StoredFile, EvidenceLink, ReviewStep, AuditLog,
    Honour, HonourMinutes, Reinspection,
    ChannelState, SubscribeGrant, Notice, ChatMedia,
    AdminAccount, SystemQuota, SiteInspection, InspectionPhoto, Selection, SelectionEntry,
    EvaluationRound, Voter, Ballot,
    Packet, StationWechatCode, QrQuota, StationFeedback, Asset,
]

__all__ = [m.__name__ for m in ALL_MODELS] + [
    "APP_STATUS_LABELS", "AppStatus", "ApplicationKind", "BuildingMode", "Channel", "Decision",
    "ENDED", "FileKind", "HONOUR_LABELS", "HonourKind", "HonourStatus", "NoticeStatus", "ORG_KIND_LABELS",
    "OrgKind", "PROPOSED", "ProposalDecision", "ROLE_LABELS", "RoleKind", "STATION_STATUS_LABELS", "StationKind", "StationStatus",
    "StepMode", "StepStatus", "ALL_MODELS",
    "CodeKind", "PACKET_STATUS_LABELS", "PacketStatus",
]
