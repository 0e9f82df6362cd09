"""Answers in progress on the victim's question pages, kept on the server (finding 4 of issue 14).

The session cookie is signed, not encrypted: whatever is in it can be read by whoever holds it. So the
answers a victim is giving (contact details and safe times on the preferences pages; the support
worker's email address and what they may do on "Ask someone to help you") are kept in the
`preference_draft` table (portal.services.preferences.drafts), one row per session holding a draft per
journey ({"contact": {...}, "needs": {...}, "delegation": {...}}). The cookie holds only an opaque random
token (`preference_draft`). A draft lives as long as the session would, and goes at sign-out.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from flask import g, session
from flask_login import current_user

from portal.extensions import db
from portal.services.accounts import sessions
from portal.services.preferences import drafts

#: The session key holding the draft's id: an opaque random token, nothing else about the answers.
DRAFT_KEY = "preference_draft"
#: Where answers were kept before (readable in the cookie): dropped when seen.
OLD_COOKIE_DRAFTS = ("preference_drafts", "delegation_draft")


def victim_id() -> str:
    return str(current_user.actor.victim_id)


def _session_ends_at() -> datetime:
    return datetime.fromtimestamp(sessions.ends_at(session), UTC)


def all_drafts() -> dict[str, Any]:
    """Every journey's draft of this session (read once a request)."""
    if "victim_drafts" not in g:
        for key in OLD_COOKIE_DRAFTS:
            session.pop(key, None)
        g.victim_drafts = drafts.load(
            db.session,
            session.get(DRAFT_KEY),
            user_id=current_user.id,
            victim_id=victim_id(),
            expires_at=_session_ends_at(),
        )
    result: dict[str, Any] = g.victim_drafts
    return result


def _store(every_draft: dict[str, Any]) -> None:
    token = session.get(DRAFT_KEY)
    if every_draft:
        session[DRAFT_KEY] = drafts.save(
            db.session,
            token,
            every_draft,
            user_id=current_user.id,
            victim_id=victim_id(),
            expires_at=_session_ends_at(),
        )
    else:
        drafts.discard(db.session, token, user_id=current_user.id)
        session.pop(DRAFT_KEY, None)
    g.victim_drafts = every_draft


def stored(journey: str) -> dict[str, Any] | None:
    """A copy of the journey's draft, or None when nothing has been answered yet."""
    found = all_drafts().get(journey)
    return copy.deepcopy(found) if found is not None else None


def save(journey: str, draft: dict[str, Any]) -> None:
    _store({**all_drafts(), journey: copy.deepcopy(draft)})


def drop(journey: str) -> None:
    """The journey's answers were saved or cancelled: its draft is deleted (the row too, when last)."""
    _store({name: value for name, value in all_drafts().items() if name != journey})
