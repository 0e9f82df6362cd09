"""Queries for agency API clients, the JWT ids they have used, and the case records the API reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import ApiClient, Case, CaseUpdate, CaseVictim, Communication, JwtSeen, UpdateSeen


def get_client(session: Session, client_id: str) -> ApiClient | None:
    return session.get(ApiClient, client_id)


def list_clients(session: Session) -> Sequence[ApiClient]:
    return session.scalars(
        select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.agency, ApiClient.name)
    ).all()


def add_client(session: Session, client: ApiClient) -> ApiClient:
    session.add(client)
    session.flush()
    return client


def remember_jti(session: Session, client_id: str, jti: str, expires_at: datetime) -> bool:
    """Record a JWT id for this client. False if it was already there (a replayed token).

    One INSERT ... ON CONFLICT DO NOTHING: a duplicate, even from a concurrent request, inserts nothing
    and leaves the caller's transaction usable.
    """
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    result = session.execute(
        insert(JwtSeen)
        .values(client_id=client_id, jti=jti, expires_at=expires_at)
        .on_conflict_do_nothing(index_elements=["client_id", "jti"])
        .returning(JwtSeen.id)
    )
    return result.scalar() is not None


def purge_expired_jtis(session: Session, now: datetime, client_id: str | None = None) -> int:
    """Forget JWT ids whose tokens could no longer pass the clock check anyway."""
    statement = delete(JwtSeen).where(JwtSeen.expires_at < now)
    if client_id is not None:
        statement = statement.where(JwtSeen.client_id == client_id)
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


def update_by_agency_event(session: Session, agency: str, agency_event_id: str) -> CaseUpdate | None:
    return session.scalar(
        select(CaseUpdate).where(CaseUpdate.agency == agency, CaseUpdate.agency_event_id == agency_event_id)
    )


def updates_by_agency_events(
    session: Session, agency: str, agency_event_ids: Iterable[str]
) -> dict[str, CaseUpdate]:
    """The updates already stored under these event ids of this agency, by event id (one query)."""
    ids = list(dict.fromkeys(agency_event_ids))
    found: dict[str, CaseUpdate] = {}
    for start in range(0, len(ids), 500):
        for row in session.scalars(
            select(CaseUpdate).where(
                CaseUpdate.agency == agency, CaseUpdate.agency_event_id.in_(ids[start : start + 500])
            )
        ):
            found[row.agency_event_id] = row
    return found


def case_victim_by_reference(session: Session, case_id: int, reference: str) -> CaseVictim | None:
    return session.scalar(
        select(CaseVictim)
        .where(CaseVictim.case_id == case_id, CaseVictim.agency_person_reference == reference)
        .order_by(CaseVictim.id)
        .limit(1)
    )


def case_victim(session: Session, case_id: int, victim_id: str) -> CaseVictim | None:
    return session.scalar(
        select(CaseVictim).where(CaseVictim.case_id == case_id, CaseVictim.victim_id == victim_id)
    )


def case_victims(session: Session, case_id: int) -> Sequence[CaseVictim]:
    return session.scalars(
        select(CaseVictim).where(CaseVictim.case_id == case_id).order_by(CaseVictim.added_at, CaseVictim.id)
    ).all()


def updates_of_case(session: Session, case_id: int) -> Sequence[CaseUpdate]:
    """Every update on the case, superseded ones included, in the order things happened."""
    return session.scalars(
        select(CaseUpdate)
        .where(CaseUpdate.case_id == case_id)
        .order_by(CaseUpdate.occurred_at, CaseUpdate.created_at, CaseUpdate.id)
    ).all()


def seen_times(session: Session, update_ids: Iterable[str]) -> dict[tuple[str, str], datetime]:
    """(update id, victim id) -> when the victim first opened the update in the portal."""
    ids = list(update_ids)
    if not ids:
        return {}
    rows = session.execute(
        select(UpdateSeen.update_id, UpdateSeen.victim_id, UpdateSeen.seen_at).where(
            UpdateSeen.update_id.in_(ids)
        )
    )
    return {(update_id, victim_id): seen_at for update_id, victim_id, seen_at in rows}


def get_case(session: Session, case_id: int) -> Case | None:
    return session.get(Case, case_id)


def lock_case(session: Session, case_id: int) -> None:
    """Hold the case row until the transaction ends, so checks-then-inserts on it run one at a time.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite has no row locks: a no-op UPDATE takes the write lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(Case.id).where(Case.id == case_id).with_for_update())
    else:
        session.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(id=Case.id)
            .execution_options(synchronize_session=False)
        )


def communications_for_updates(session: Session, update_ids: Iterable[str]) -> list[dict[str, Any]]:
    """Messages sent about these updates, with their delivery outcome from the outbox."""
    ids = list(update_ids)
    if not ids:
        return []
    rows = session.execute(
        select(
            Communication.update_id,
            Communication.victim_id,
            Communication.channel,
            Communication.recipient_user_id,
            Communication.created_at,
            OutboundMessage.status,
            OutboundMessage.sent_at,
            OutboundMessage.delivered_at,
        )
        .join(OutboundMessage, OutboundMessage.id == Communication.outbound_message_id)
        .where(Communication.update_id.in_(ids))
        .order_by(Communication.created_at, Communication.id)
    )
    return [dict(row._mapping) for row in rows]


def serialise_case_writes(session: Session, case_id: int) -> None:
    """SQLite only: take the database's write lock now, before reading inside the transaction.

    SQLite cannot upgrade a read snapshot to a write once another connection has written (it fails at
    once instead of waiting), so a writer must lock first. PostgreSQL needs nothing: concurrent inserts
    of the same event meet at the unique constraint, and the loser's SAVEPOINT rolls back.
    """
    if session.get_bind().dialect.name == "sqlite":
        lock_case(session, case_id)
