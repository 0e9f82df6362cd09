"""How a change to preferences and needs is applied, compared with the version before, and audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.preferences.rules import PHONE


def merge(document: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """The document with the (already validated) changes applied; per-channel flags merge."""
    merged = {key: (dict(value) if isinstance(value, dict) else value) for key, value in document.items()}
    for key, value in changes.items():
        if key in ("safe", "detailed"):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    if merged["officer_phone_only"]:
        merged["channels"] = [PHONE]
        merged["safe"] = {**merged["safe"], PHONE: True}
    if not merged["interpreter_needed"]:
        merged["interpreter_language"] = None
    if "advocate" not in merged["accessibility"]:
        merged["advocate_name"] = None
    return merged


def diff_documents(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Keys whose value differs; per-channel flags as "safe.email", "detailed.sms"."""
    changed = []
    for key, value in after.items():
        if key in ("safe", "detailed"):
            old = before.get(key) or {}
            changed += [f"{key}.{c}" for c in value if bool(old.get(c)) != bool(value[c])]
        elif before.get(key) != value:
            changed.append(key)
    return changed


CONTACT_DETAIL_KEYS = (
    "email",
    "phone",
    "address",
    "alternative_phone",
    "alternative_email",
    "alternative_address",
)
SAFE_CONTACT_KEYS = (
    "channels",
    "officer_phone_only",
    "safe",
    "detailed",
    "safe_days",
    "safe_from",
    "safe_to",
    "urgent_any_time",
)
PREFERENCES_CHANGED = "preferences-changed"


def audit_change(
    session: Session,
    actor: Actor | None,
    actor_label: str,
    victim_id: str,
    version: int,
    changed: list[str],
    source: str,
) -> None:
    """Which answers changed, never the answers themselves (they include contact details)."""
    top = {field.split(".")[0] for field in changed}
    actions = [
        action
        for action, keys in (
            (audit.CONTACT_DETAILS_CHANGED, CONTACT_DETAIL_KEYS),
            (audit.SAFE_CONTACT_CHANGED, SAFE_CONTACT_KEYS),
        )
        if top & set(keys)
    ] or [PREFERENCES_CHANGED]
    for action in actions:
        audit.record(
            session,
            actor_label,
            action,
            actor_user_id=actor.user_id if actor else None,
            subject_victim_id=victim_id,
            detail={"version": version, "answers_changed": len(changed), "source": source},
        )
