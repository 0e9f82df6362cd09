"""Queries about a case's named contacts (officer in the case, witness care officer, Victim Liaison
Officer). Which contact a victim sees, and who may set one, is decided in services/cases/contacts.py."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from portal.models import CaseContact


def contacts_for_case(session: Session, case_id: int) -> Sequence[CaseContact]:
    """Every contact of the case (for every victim and for one), in the order they were first set."""
    return session.scalars(
        select(CaseContact).where(CaseContact.case_id == case_id).order_by(CaseContact.id)
    ).all()


def contacts_for_case_and_victim(session: Session, case_id: int, victim_id: str) -> Sequence[CaseContact]:
    """The contacts of the case for every victim and those for this victim only, in the order they were
    first set."""
    return session.scalars(
        _contacts_for_case_and_victim_statement(), {"case_id": case_id, "victim_id": victim_id}
    ).all()


@functools.cache
def _contacts_for_case_and_victim_statement() -> Select[CaseContact]:
    """Built once per process (every victim's case page); parameters case_id and victim_id."""
    return (
        select(CaseContact)
        .where(
            CaseContact.case_id == bindparam("case_id"),
            or_(CaseContact.victim_id.is_(None), CaseContact.victim_id == bindparam("victim_id")),
        )
        .order_by(CaseContact.id)
    )


def get_contact(session: Session, case_id: int, role: str, victim_key: str) -> CaseContact | None:
    """The one contact for this case, role and victim (`victim_key`: a victim id, or "all")."""
    return session.scalar(
        select(CaseContact).where(
            CaseContact.case_id == case_id, CaseContact.role == role, CaseContact.victim_key == victim_key
        )
    )


def add_contact(session: Session, contact: CaseContact) -> CaseContact:
    session.add(contact)
    session.flush()
    return contact


def delete_contact(session: Session, contact: CaseContact) -> None:
    session.delete(contact)
    session.flush()
