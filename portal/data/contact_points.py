"""Queries about a victim's contact points (an email address, phone number or postal address, confirmed
or known to fail) and the codes sent to confirm them (verifications)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from portal.data import chunks
from portal.models import ContactPoint, ContactVerification


def get_contact_point(session: Session, victim_id: str, kind: str, value: str) -> ContactPoint | None:
    return session.scalar(
        select(ContactPoint).where(
            ContactPoint.victim_id == victim_id, ContactPoint.kind == kind, ContactPoint.value == value
        )
    )


@functools.cache
def _contact_points_statement() -> Select[ContactPoint]:
    """Built once per process (every message addressed reads it); parameter victim_id."""
    return select(ContactPoint).where(ContactPoint.victim_id == bindparam("victim_id"))


def contact_points_for_victim(session: Session, victim_id: str) -> Sequence[ContactPoint]:
    return session.scalars(_contact_points_statement(), {"victim_id": victim_id}).all()


def contact_points_by_victim(session: Session, victim_ids: Iterable[str]) -> dict[str, list[ContactPoint]]:
    """Each of these victims' contact points (an empty list for a victim with none)."""
    ids = list(victim_ids)
    found: dict[str, list[ContactPoint]] = {victim_id: [] for victim_id in ids}
    for chunk in chunks(ids):
        for point in session.scalars(select(ContactPoint).where(ContactPoint.victim_id.in_(chunk))):
            found[point.victim_id].append(point)
    return found


def add_contact_point(session: Session, point: ContactPoint) -> ContactPoint:
    session.add(point)
    session.flush()
    return point


# --- Verifications: codes sent to confirm a contact point -----------------------------------------


def live_verifications_for_contact_point(
    session: Session, victim_id: str, kind: str, value: str, now: datetime
) -> Sequence[ContactVerification]:
    """Unused, unexpired codes for this contact point, newest first."""
    return session.scalars(
        select(ContactVerification)
        .where(
            ContactVerification.victim_id == victim_id,
            ContactVerification.kind == kind,
            ContactVerification.value == value,
            ContactVerification.used_at.is_(None),
            ContactVerification.expires_at > now,
        )
        .order_by(ContactVerification.created_at.desc(), ContactVerification.id.desc())
    ).all()


def add_verification(session: Session, verification: ContactVerification) -> ContactVerification:
    session.add(verification)
    session.flush()
    return verification
