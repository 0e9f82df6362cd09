"""The roles people have, their labels, and the rules that depend only on a role. (Which pages a role may
open is decided by the page guards in portal/web/guards.py.)"""

from __future__ import annotations

from typing import Any

from portal.models import Role

VICTIM = Role.VICTIM.value
WITNESS_CARE_OFFICER = Role.WITNESS_CARE_OFFICER.value
SUPPORT_WORKER = Role.SUPPORT_WORKER.value
ADMIN = Role.ADMIN.value
ALL_ROLES: tuple[str, ...] = (VICTIM, WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)
# Roles that must use an authenticator app for their second factor.
TOTP_ONLY_ROLES: tuple[str, ...] = (WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)
# Roles an admin can create.
CREATABLE_ROLES: tuple[str, ...] = (WITNESS_CARE_OFFICER, SUPPORT_WORKER, ADMIN)

ROLE_LABELS: dict[str, str] = {
    VICTIM: "Victim",
    WITNESS_CARE_OFFICER: "Witness care officer",
    SUPPORT_WORKER: "Support worker",
    ADMIN: "Administrator",
}


def has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in roles


def must_use_totp(role: str) -> bool:
    return role in TOTP_ONLY_ROLES
