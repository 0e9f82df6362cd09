"""Queries for a witness care unit's view: its victims (by the force code of their cases), their
cases, and the messages sent to them. Scoping is applied by services/access.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import Case, CaseUpdate, CaseVictim, Communication, Victim


def victim_on_force_case(session: Session, victim_id: str, force_code: str) -> Victim | None:
    """The victim if they are on at least one case of this force; otherwise None."""
    return session.scalar(
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .join(Case, Case.id == CaseVictim.case_id)
        .where(Victim.id == victim_id, Case.force_code == force_code)
        .limit(1)
    )


def victim_ids_of_force(session: Session, force_code: str) -> list[str]:
    return list(
        session.scalars(
            select(CaseVictim.victim_id)
            .join(Case, Case.id == CaseVictim.case_id)
            .where(Case.force_code == force_code)
            .distinct()
        )
    )


def victims_by_id(session: Session, victim_ids: Iterable[str]) -> dict[str, Victim]:
    ids = list(victim_ids)
    if not ids:
        return {}
    return {victim.id: victim for victim in session.scalars(select(Victim).where(Victim.id.in_(ids)))}


def force_cases_of_victim(session: Session, victim_id: str, force_code: str) -> Sequence[Case]:
    return session.scalars(
        select(Case)
        .join(CaseVictim, CaseVictim.case_id == Case.id)
        .where(CaseVictim.victim_id == victim_id, Case.force_code == force_code)
        .order_by(Case.created_at.desc(), Case.id.desc())
    ).all()


def victims_on_case(session: Session, case_id: int) -> Sequence[Victim]:
    return session.scalars(
        select(Victim)
        .join(CaseVictim, CaseVictim.victim_id == Victim.id)
        .where(CaseVictim.case_id == case_id)
        .order_by(Victim.family_name, Victim.given_name)
    ).all()


def communications_of(
    session: Session, victim_id: str
) -> Sequence[tuple[Communication, OutboundMessage, CaseUpdate | None]]:
    """Every message sent to the victim (or a copy to their support worker), newest first."""
    rows = session.execute(
        select(Communication, OutboundMessage, CaseUpdate)
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .outerjoin(CaseUpdate, CaseUpdate.id == Communication.update_id)
        .where(Communication.victim_id == victim_id)
        .order_by(Communication.created_at.desc(), Communication.id.desc())
    ).all()
    return [(communication, message, update) for communication, message, update in rows]
