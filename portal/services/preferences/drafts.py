"""Answers in progress on the preferences question pages ("drafts"), kept on the server.

Finding 4 of the security review (issue 14): the session cookie is signed, not encrypted, so anything in
it can be read by whoever holds the cookie. A victim's answers in progress (email address, phone number,
address, safe days and times, another safe way to reach them) therefore live in the `preference_draft`
table; the session holds only a random token (32 bytes, url-safe), and the table only the token's
SHA-256, so a copy of the table gives no usable token.

- A draft is read and changed only by the user whose session made it, for the victim that user is: a
  token from someone else's cookie gives nothing (and their draft is left alone).
- It ends with the session: `expires_at` is when the session would end if nothing more happened (the
  idle and absolute limits of portal.services.accounts.sessions), moved on each time the draft is used,
  like the session's own last-active time. An expired draft is never returned, and is deleted when its
  user next uses drafts, when their session times out, and by `flask drafts purge`.
- It is deleted at sign-out, quick exit and "sign out everywhere" (portal.services.accounts.sessions),
  and when the answers are saved or cancelled.

The caller passes in who is asking and when the session ends (no Flask, no signed-in user here); nothing
here commits.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from portal.data import preference_drafts as drafts_data
from portal.models import PreferenceDraft

TOKEN_BYTES = 32
#: Using a draft moves its expiry on only when that moves it by more than this (fewer writes).
EXPIRY_STEP = timedelta(seconds=60)


def _draft_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _find(
    session: Session, token: str | None, *, user_id: int, victim_id: str, now: datetime
) -> PreferenceDraft | None:
    """This user's live draft for the token, after deleting their expired ones."""
    drafts_data.delete_expired_drafts(session, now, user_id)
    if not token:
        return None
    row = drafts_data.get_draft(session, _draft_id(token), user_id)
    if row is None or row.victim_id != victim_id:
        return None
    return row


def load(
    session: Session,
    token: str | None,
    *,
    user_id: int,
    victim_id: str,
    expires_at: datetime,
    now: datetime | None = None,
) -> dict[str, Any]:
    """The drafts held under `token` ({section: draft}): empty when there is none, it expired, or it is
    not this user's. Using it keeps it alive until `expires_at` (when the session would end)."""
    row = _find(session, token, user_id=user_id, victim_id=victim_id, now=_now(now))
    if row is None:
        return {}
    if expires_at - row.expires_at > EXPIRY_STEP:
        row.expires_at = expires_at
    return copy.deepcopy(row.document)


def save(
    session: Session,
    token: str | None,
    document: dict[str, Any],
    *,
    user_id: int,
    victim_id: str,
    expires_at: datetime,
    now: datetime | None = None,
) -> str:
    """Keep the drafts under `token`, or under a new token when there is no live draft of this user's
    under it. Returns the token the session must hold from now on."""
    now = _now(now)
    row = _find(session, token, user_id=user_id, victim_id=victim_id, now=now)
    if row is not None and token:
        row.document = copy.deepcopy(document)  # a new object, so the JSON column is written
        row.updated_at, row.expires_at = now, expires_at
        return token
    token = secrets.token_urlsafe(TOKEN_BYTES)
    drafts_data.add_draft(
        session,
        PreferenceDraft(
            id=_draft_id(token),
            user_id=user_id,
            victim_id=victim_id,
            document=copy.deepcopy(document),
            created_at=now,
            updated_at=now,
            expires_at=expires_at,
        ),
    )
    return token


def discard(session: Session, token: str | None, *, user_id: int) -> None:
    """The answers were saved or cancelled: delete the draft (only if it is this user's)."""
    if token:
        drafts_data.delete_draft(session, _draft_id(token), user_id)


def end_for_user(session: Session, user_id: int) -> int:
    """Every session of the user ended (sign-out, quick exit, sign out everywhere): delete their drafts."""
    return drafts_data.delete_drafts_of_user(session, user_id)


def purge_expired(session: Session, *, user_id: int | None = None, now: datetime | None = None) -> int:
    """Delete the drafts whose session has ended (only this user's, when given). Returns how many."""
    return drafts_data.delete_expired_drafts(session, _now(now), user_id)
