"""Answers in progress until the victim confirms them, and the way through the question pages.

The answers are kept on the server (portal.victim.server_drafts, finding 4 of issue 14): the
session cookie holds only an opaque token (`preference_draft`), never the answers themselves. One draft
per section ({"contact": {"doc": ..., "base": ..., "answered": [...]}, "needs": ...}). A draft is stored
only once the victim answers something (a POST); opening a page only keeps an existing draft alive as
long as the session (its expiry, as the session's own last-active time moves on).
"""

from __future__ import annotations

import copy
from typing import Any

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

from portal.extensions import db
from portal.services.accounts import sessions
from portal.services.preferences import labels
from portal.services.preferences import records as preferences
from portal.victim import server_drafts
from portal.victim.preferences_steps import SECTION_KEYS, applicable
from portal.victim.server_drafts import victim_id

#: Changing any of these needs the password again.
SENSITIVE_KEYS = (
    "channels", "officer_phone_only", "safe", "detailed", "email", "phone", "address", "safe_days",
    "safe_from", "safe_to", "urgent_any_time", "alternative_phone", "alternative_email",
    "alternative_address",
)  # fmt: skip


def get_draft(section: str) -> dict[str, Any]:
    """The section's answers in progress, started from what is recorded (or the defaults). A draft just
    started is kept only when something is answered (save_draft)."""
    found = server_drafts.stored(section)
    if found is not None:
        return found
    document, version = preferences.base_document(db.session, victim_id())
    # Someone who has answered before is asked only what they change; a first time, every page.
    answered = [s.name for s in applicable(section, document)] if version is not None else []
    # A section nobody has answered yet (what you need, when only how we contact you was saved) holds
    # defaults, not answers: its pages show no answer until the victim gives one (`shows_answer`).
    unanswered = [] if version is None or _section_recorded(section) else list(answered)
    # "base" is what the answers were when the draft started: only what the victim changes is saved,
    # so a change someone else makes meanwhile (an officer, by phone) is not overwritten.
    return {"doc": document, "base": copy.deepcopy(document), "answered": answered, "unanswered": unanswered}


def _section_recorded(section: str) -> bool:
    """Whether any recorded version changed an answer of this section (a key, or "safe.email")."""
    keys = set(SECTION_KEYS[section])
    return any(
        field.split(".")[0] in keys
        for entry in preferences.preference_history(db.session, victim_id())
        for field in entry.changed_fields
    )


def shows_answer(draft: dict[str, Any], name: str) -> bool:
    """Whether the step's page shows the draft's answer: the victim (or someone for them) answered it.
    Otherwise nothing is selected: a default is not an answer (issue 21, item 4)."""
    return name in draft["answered"] and name not in draft.get("unanswered", [])


def save_draft(section: str, draft: dict[str, Any]) -> None:
    server_drafts.save(section, draft)


def drop_draft(section: str) -> None:
    """The section was saved or cancelled: its draft is deleted (the row too, when it was the last)."""
    server_drafts.drop(section)


def mark_answered(draft: dict[str, Any], *names: str) -> None:
    draft["answered"] = list(dict.fromkeys([*draft["answered"], *names]))
    draft["unanswered"] = [n for n in draft.get("unanswered", []) if n not in names]


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
