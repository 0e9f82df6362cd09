"""Queries about preference drafts (answers in progress, kept on the server; see
portal.models.preference_drafts). May flush, never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, select
from sqlalchemy.orm import Session

from portal.models import PreferenceDraft


def get_draft(session: Session, draft_id: str, user_id: int) -> PreferenceDraft | None:
    """The draft with this id, only if it is this user's."""
    return session.scalar(
        select(PreferenceDraft).where(PreferenceDraft.id == draft_id, PreferenceDraft.user_id == user_id)
    )


def add_draft(session: Session, draft: PreferenceDraft) -> PreferenceDraft:
    session.add(draft)
    session.flush()
    return draft


def delete_draft(session: Session, draft_id: str, user_id: int) -> int:
    """Delete this user's draft with this id (another user's is left alone)."""
    return _delete(session, PreferenceDraft.id == draft_id, PreferenceDraft.user_id == user_id)


def delete_drafts_of_user(session: Session, user_id: int) -> int:
    return _delete(session, PreferenceDraft.user_id == user_id)


def delete_expired_drafts(session: Session, now: datetime, user_id: int | None = None) -> int:
    """Delete the drafts that expired by `now` (only this user's, when given)."""
    if user_id is None:
        return _delete(session, PreferenceDraft.expires_at <= now)
    return _delete(session, PreferenceDraft.expires_at <= now, PreferenceDraft.user_id == user_id)


def _delete(session: Session, *conditions: ColumnElement[bool]) -> int:
    """A bulk DELETE; drafts already loaded in the session are removed from it too."""
    result = session.execute(delete(PreferenceDraft).where(*conditions))
    return int(getattr(result, "rowcount", 0) or 0)
