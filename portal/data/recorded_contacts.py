"""Queries about contacts recorded by officers (a victim told by phone, in person, at court or by a letter
delivered by hand): adding one with the updates it covered, a case's contacts for one victim, and the
told times they give. May flush, never commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session, selectinload

from portal.data import chunks
from portal.models import RecordedContact, RecordedContactUpdate


def add_contact(session: Session, contact: RecordedContact, update_ids: Iterable[str]) -> RecordedContact:
    """Store the contact and one link row per update it covered (one executemany)."""
    session.add(contact)
    session.flush()
    rows = [
        {"recorded_contact_id": contact.id, "update_id": update_id} for update_id in dict.fromkeys(update_ids)
    ]
    if rows:
        session.execute(insert(RecordedContactUpdate), rows)
    return contact


def contacts_for_case_and_victim(session: Session, case_id: int, victim_id: str) -> Sequence[RecordedContact]:
    """The contacts recorded with this victim about this case, the latest told first, with their updates."""
    return session.scalars(
        select(RecordedContact)
        .options(selectinload(RecordedContact.updates))
        .where(RecordedContact.case_id == case_id, RecordedContact.victim_id == victim_id)
        .order_by(RecordedContact.told_at.desc(), RecordedContact.id.desc())
    ).all()


def _aware(moment: datetime) -> datetime:
    # min() loses the column type on SQLite, so it may come back naive (it is UTC).
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def told_times_by_update_and_victim(
    session: Session, updates: Select[str]
) -> dict[tuple[str, str], datetime]:
    """(update id, victim id) -> the earliest time a recorded contact told the victim of the update, for
    the updates whose ids `updates` selects (read as a subquery)."""
    rows = session.execute(
        select(RecordedContactUpdate.update_id, RecordedContact.victim_id, func.min(RecordedContact.told_at))
        .join(RecordedContact, RecordedContact.id == RecordedContactUpdate.recorded_contact_id)
        .where(RecordedContactUpdate.update_id.in_(updates))
        .group_by(RecordedContactUpdate.update_id, RecordedContact.victim_id)
    )
    return {
        (update_id, victim_id): _aware(told_at)
        for update_id, victim_id, told_at in rows
        if told_at is not None
    }


@dataclass(frozen=True)
class ContactForUpdate:
    """One recorded contact as the communications log shows it, per update it covered."""

    update_id: str
    victim_id: str
    method: str
    told_at: datetime


def contacts_for_updates(session: Session, update_ids: Iterable[str]) -> list[ContactForUpdate]:
    """Every recorded contact about these updates, once per update it covered, the earliest told first."""
    found: list[ContactForUpdate] = []
    for chunk in chunks(list(dict.fromkeys(update_ids))):
        rows = session.execute(
            select(
                RecordedContactUpdate.update_id,
                RecordedContact.victim_id,
                RecordedContact.method,
                RecordedContact.told_at,
            )
            .join(RecordedContact, RecordedContact.id == RecordedContactUpdate.recorded_contact_id)
            .where(RecordedContactUpdate.update_id.in_(chunk))
        )
        found += [
            ContactForUpdate(update_id, victim_id, method, _aware(told_at))
            for update_id, victim_id, method, told_at in rows
        ]
    return sorted(found, key=lambda item: (item.told_at, item.update_id))
