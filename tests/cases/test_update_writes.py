"""The agency API writes new updates without the ORM's unit of work: a batch in one statement (COPY on
PostgreSQL, inside the call's SAVEPOINT), one update correcting none in an INSERT that does nothing on a
replay (no SAVEPOINT). Each row must be the one the ORM writes for an officer's update, column for column,
and the objects must then be in the session as if read back (nothing more sent, nothing left to flush)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import Case, CaseUpdate
from portal.services.cases import records as case_records
from portal.services.cases.records import NewUpdate
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from portal.services.messaging import dispatch
from tests.support.statements import counting

#: Made when the row is made, so never the same in two rows.
MADE_NOW = {"id", "agency_event_id", "created_at"}


def _new(event_id: str, **changes: Any) -> NewUpdate:
    at = datetime(2026, 11, 2, 9, 30, tzinfo=timezone(timedelta(hours=1)))  # another zone: stored as UTC
    fields: dict[str, Any] = {
        "agency": "cps",
        "event_type": "suspect-charged",
        "agency_event_id": event_id,
        "occurred_at": at,
        "received_at": at + timedelta(minutes=5),
        "details": {"decision": "charged", "reason": 'Tabs\tand "quotes" \\N and\nlines', "n": [1, None]},
        "message": "We charged them.\nThe next step is court.",
        "message_cy": None,
        "victim_id": DEMO_VICTIM_ID,
    }
    return NewUpdate(**{**fields, **changes})


def _row(session: Session, update_id: str) -> dict[str, Any]:
    """The row as the database holds it (no ORM in between)."""
    row = session.execute(text("SELECT * FROM case_update WHERE id = :id"), {"id": update_id}).one()
    return {key: value for key, value in row._mapping.items() if key not in MADE_NOW}


def _case(session: Session) -> Case:
    case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
    assert case is not None
    return case


@pytest.mark.parametrize("changes", [{}, {"message": None, "victim_id": None, "details": {}}])
def test_updates_written_in_one_statement_are_the_rows_the_orm_writes(
    seeded: Flask, changes: dict[str, Any]
) -> None:
    with seeded.app_context(), db.job() as session:
        case = _case(session)
        by_orm = case_records.record_update(session, case, _new("ORM-1", **changes), announce=False)
        audience = dispatch.Audience()
        with session.begin_nested():
            batch = case_records.store_updates(
                session, case, [(_new(f"COPY-{n}", **changes), None) for n in range(2)], audience
            )
        single = case_records.store_new_update(session, case, _new("SINGLE-1", **changes), audience)
        assert single is not None
        session.flush()
        expected = _row(session, by_orm.id)
        assert expected["code_deadline"] is not None
        for update in [*batch, single]:
            assert _row(session, update.id) == expected
            assert update.created_at is not None


def test_written_updates_are_in_the_session_as_if_read_back(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = _case(session)
        audience = dispatch.Audience()
        audience.victims(session, case)  # read before counting
        with counting(seeded) as statements:
            with session.begin_nested():
                [first] = case_records.store_updates(session, case, [(_new("READ-1"), None)], audience)
            second = case_records.store_new_update(session, case, _new("READ-2"), audience)
            assert second is not None
            for update in (first, second):
                assert update in session and update not in session.dirty and update not in session.new
                assert session.get(CaseUpdate, update.id) is update
                assert update.details["decision"] == "charged" and update.code_deadline is not None
                assert isinstance(update.code_deadline, date)
            session.flush()
        # SAVEPOINT, the batch, RELEASE, the single INSERT: nothing read back, nothing flushed after
        assert len(statements) == 4, statements


def test_a_single_update_sent_again_stores_nothing_and_leaves_the_transaction_usable(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = _case(session)
        audience = dispatch.Audience()
        first = case_records.store_new_update(session, case, _new("AGAIN-1"), audience)
        assert first is not None
        assert (
            case_records.store_new_update(session, case, _new("AGAIN-1", message="Other"), audience) is None
        )
        stored = session.scalars(
            select(CaseUpdate).where(CaseUpdate.agency == "cps", CaseUpdate.agency_event_id == "AGAIN-1")
        ).all()
        assert stored == [first] and first.message == "We charged them.\nThe next step is court."
        # the same event id for another agency is another event
        assert case_records.store_new_update(session, case, _new("AGAIN-1", agency="police"), audience)


def test_a_batch_meeting_a_stored_event_id_raises_and_its_savepoint_undoes_it(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = _case(session)
        audience = dispatch.Audience()
        earlier = case_records.store_new_update(session, case, _new("CLASH-1"), audience)
        assert earlier is not None
        news = [(_new("CLASH-2"), earlier), (_new("CLASH-1"), None)]
        with pytest.raises(IntegrityError), session.begin_nested():
            case_records.store_updates(session, case, news, audience)
        session.refresh(earlier)
        assert earlier.superseded is False  # the mark was undone with the rest
        assert session.scalar(select(CaseUpdate).where(CaseUpdate.agency_event_id == "CLASH-2")) is None


def test_the_times_are_stored_in_utc(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = _case(session)
        update = case_records.store_new_update(session, case, _new("UTC-1"), dispatch.Audience())
        assert update is not None
        session.expire(update)
        assert update.occurred_at == datetime(2026, 11, 2, 8, 30, tzinfo=UTC)
