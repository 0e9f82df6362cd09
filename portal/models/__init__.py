"""Typed SQLAlchemy models. No queries and no Flask here."""

from portal.models.accessible_formats import AccessibleFormatTask
from portal.models.api_clients import ApiAgency, ApiClient, JwtSeen
from portal.models.audit import AuditEvent
from portal.models.base import Base
from portal.models.case_contacts import CaseContact
from portal.models.cases import Case, CaseStanding, CaseUpdate, CaseVictim, UpdateSeen
from portal.models.communications import Communication
from portal.models.contact_points import ContactPoint, ContactVerification
from portal.models.court_needs import CourtNeedsReview, CourtNeedsVersion
from portal.models.delegations import Delegation
from portal.models.erasure import ErasureRequest
from portal.models.hearing_reminders import HearingReminder
from portal.models.invitations import Invitation, InvitationKind
from portal.models.messages import MessageAttachment, MessageThread, SecureMessage
from portal.models.one_login import OneLoginIdentity, OneLoginLogoutToken
from portal.models.people import Organisation, OrganisationKind, Role, User, Victim
from portal.models.preference_drafts import PreferenceDraft
from portal.models.preferences import PreferenceReview, PreferenceVersion
from portal.models.quality import UpdateQualityCheck, UpdateRating, UpdateReview
from portal.models.recorded_contacts import RecordedContact, RecordedContactUpdate
from portal.models.sign_in_codes import PasswordReset, SignInCode
from portal.models.statement_drafts import StatementDocument, StatementDraft
from portal.models.victim_requests import VictimRequest, VictimRequestEvent

__all__ = [
    "AccessibleFormatTask",
    "ApiAgency",
    "ApiClient",
    "AuditEvent",
    "Base",
    "Case",
    "CaseContact",
    "CaseStanding",
    "CaseUpdate",
    "CaseVictim",
    "Communication",
    "ContactPoint",
    "ContactVerification",
    "CourtNeedsReview",
    "CourtNeedsVersion",
    "Delegation",
    "ErasureRequest",
    "HearingReminder",
    "Invitation",
    "InvitationKind",
    "JwtSeen",
    "MessageAttachment",
    "MessageThread",
    "OneLoginIdentity",
    "OneLoginLogoutToken",
    "Organisation",
    "OrganisationKind",
    "PasswordReset",
    "PreferenceDraft",
    "PreferenceReview",
    "PreferenceVersion",
    "RecordedContact",
    "RecordedContactUpdate",
    "Role",
    "SecureMessage",
    "SignInCode",
    "StatementDocument",
    "StatementDraft",
    "UpdateQualityCheck",
    "UpdateRating",
    "UpdateReview",
    "UpdateSeen",
    "User",
    "Victim",
    "VictimRequest",
    "VictimRequestEvent",
]
