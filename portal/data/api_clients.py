"""Queries about agency API clients and the JWT ids they have used."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import cast as cast_as

from sqlalchemy import Executable, Select, Table, bindparam, delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from portal.models import ApiClient, JwtSeen


def get_api_client(session: Session, client_id: str) -> ApiClient | None:
    return session.scalar(_api_client_statement(), {"client_id": client_id})


@functools.cache
def _api_client_statement() -> Select[ApiClient]:
    """Built once per process (every agency API call): about half the work of `session.get` here."""
    return select(ApiClient).where(ApiClient.id == bindparam("client_id"))


def list_api_clients(session: Session) -> Sequence[ApiClient]:
    """Every client: live ones first, then by agency and name."""
    return session.scalars(
        select(ApiClient).order_by(ApiClient.revoked_at.is_not(None), ApiClient.agency, ApiClient.name)
    ).all()


def add_api_client(session: Session, client: ApiClient) -> ApiClient:
    session.add(client)
    session.flush()
    return client


def add_jti(session: Session, client_id: str, jti: str, expires_at: datetime) -> bool:
    """Record a JWT id for this client. False if it was already there (a replayed token).

    One INSERT ... ON CONFLICT DO NOTHING: a duplicate, even from a concurrent request, inserts nothing
    and leaves the caller's transaction usable.
    """
    result = session.execute(
        _add_jti_statement(session.get_bind().dialect.name),
        {"client_id": client_id, "jti": jti, "expires_at": expires_at},
    )
    return result.scalar() is not None


@functools.cache
def _add_jti_statement(dialect: str) -> Executable:
    """Built once per process and dialect (every agency API call); parameters client_id, jti, expires_at.
    On the table, not the mapped class: through the ORM's bulk INSERT it took 0.28 ms here, now 0.12 ms."""
    table = cast_as(Table, JwtSeen.__table__)
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(table)
        .values(client_id=bindparam("client_id"), jti=bindparam("jti"), expires_at=bindparam("expires_at"))
        .on_conflict_do_nothing(index_elements=[table.c.client_id, table.c.jti])
        .returning(table.c.id)
    )


def delete_expired_jtis(session: Session, now: datetime, client_id: str | None = None) -> int:
    """Forget JWT ids whose tokens could no longer pass the clock check anyway."""
    statement = delete(JwtSeen).where(JwtSeen.expires_at < now)
    if client_id is not None:
        statement = statement.where(JwtSeen.client_id == client_id)
    result = session.execute(statement.execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)
