"""Answers in progress, kept in the Flask session until the victim confirms them: one draft per section
(`preference_drafts` -> {"contact": {"doc": ..., "answered": [...]}, "needs": ...}), and the way
through the question pages."""

from __future__ import annotations

import copy
from typing import Any

from flask import redirect, request, session, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.accounts import sessions
from portal.services.preferences import labels
from portal.services.preferences import records as preferences
from portal.victim.preferences_steps import applicable

DRAFTS = "preference_drafts"
#: Changing any of these needs the password again.
SENSITIVE_KEYS = (
    "channels", "officer_phone_only", "safe", "detailed", "email", "phone", "address", "safe_days",
    "safe_from", "safe_to", "urgent_any_time", "alternative_phone", "alternative_email",
    "alternative_address",
)  # fmt: skip


def victim_id() -> str:
    return str(current_user.actor.victim_id)


# --- The draft ---------------------------------------------------------------------------------


def get_draft(section: str) -> dict[str, Any]:
    """The section's answers in progress, started from what is recorded (or the defaults)."""
    drafts = session.get(DRAFTS) or {}
    if section not in drafts:
        document, version = preferences.base_document(db.session, victim_id())
        # Someone who has answered before is asked only what they change; a first time, every page.
        answered = [s.name for s in applicable(section, document)] if version is not None else []
        # "base" is what the answers were when the draft started: only what the victim changes is saved,
        # so a change someone else makes meanwhile (an officer, by phone) is not overwritten.
        drafts = {**drafts, section: {"doc": document, "base": copy.deepcopy(document), "answered": answered}}
        session[DRAFTS] = drafts
    return copy.deepcopy(drafts[section])


def save_draft(section: str, draft: dict[str, Any]) -> None:
    session[DRAFTS] = {**(session.get(DRAFTS) or {}), section: draft}


def drop_draft(section: str) -> None:
    drafts = dict(session.get(DRAFTS) or {})
    drafts.pop(section, None)
    session[DRAFTS] = drafts


def mark_answered(draft: dict[str, Any], *names: str) -> None:
    draft["answered"] = list(dict.fromkeys([*draft["answered"], *names]))


def forget_answered(draft: dict[str, Any], *names: str) -> None:
    draft["answered"] = [n for n in draft["answered"] if n not in names]


def next_url(section: str, draft: dict[str, Any]) -> str:
    for step in applicable(section, draft["doc"]):
        if step.name not in draft["answered"]:
            return url_for("victim.preferences_question", section=section, step_name=step.name)
    return url_for("victim.preferences_check", section=section)


def back_url(section: str, draft: dict[str, Any], step_name: str) -> str:
    names = [s.name for s in applicable(section, draft["doc"])]
    if all(name in draft["answered"] for name in names):
        return url_for("victim.preferences_check", section=section)
    if step_name in names and names.index(step_name) > 0:
        return url_for(
            "victim.preferences_question", section=section, step_name=names[names.index(step_name) - 1]
        )
    return url_for("victim.preferences_summary")


def needs_password(section: str, draft: dict[str, Any] | None = None) -> bool:
    """Contact details and safe-contact settings: the password again, unless entered in the last
    10 minutes."""
    if section != labels.CONTACT_SECTION or sessions.password_recently_confirmed(session):
        return False
    if draft is None:
        return True
    return bool(section_changes(section, draft, SENSITIVE_KEYS))


def confirm_password_redirect() -> Response:
    return redirect(url_for("auth.confirm_password", next=request.full_path.rstrip("?")))


def section_changes(section: str, draft: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """The answers of this section the victim changed since the draft started."""
    doc, base = draft["doc"], draft.get("base") or {}
    changes: dict[str, Any] = {}
    for key in keys:
        if key in ("safe", "detailed"):
            flags = {c: v for c, v in doc[key].items() if bool((base.get(key) or {}).get(c)) != bool(v)}
            if flags:
                changes[key] = flags
        elif doc.get(key) != base.get(key):  # .get: a draft begun before a new answer existed
            changes[key] = doc[key]
    return changes
