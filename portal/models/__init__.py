"""Typed SQLAlchemy models. No queries and no Flask here."""

from portal.models.audit import AuditEvent
from portal.models.base import Base
from portal.models.cases import Case, CaseUpdate, CaseVictim, UpdateSeen
from portal.models.people import Organisation, OrganisationKind, Role, User, Victim

__all__ = [
    "AuditEvent",
    "Base",
    "Case",
    "CaseUpdate",
    "CaseVictim",
    "Organisation",
    "OrganisationKind",
    "Role",
    "UpdateSeen",
    "User",
    "Victim",
]
