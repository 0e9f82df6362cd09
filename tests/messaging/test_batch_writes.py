"""Announcing a batch of updates writes the messages' records in one statement on every database (an
agency sends up to 100 updates in one call): an INSERT, or on PostgreSQL a COPY."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Case, Communication
from portal.services.cases import records as case_records
from portal.services.cases.records import NewUpdate
from portal.services.demo_data import DEMO_CASE_URN
from portal.services.messaging import dispatch
from tests.support.statements import counting


def test_the_messages_about_a_batch_of_updates_are_recorded_in_one_insert(seeded: Flask) -> None:
    now = datetime.now(UTC)
    news = [
        (
            NewUpdate(
                agency="police",
                event_type="suspect-charged",
                agency_event_id=f"BATCH-WRITE-{n}",
                occurred_at=now,
                received_at=now,
                details={},
                message=None,
                victim_id=None,
            ),
            None,
        )
        for n in range(5)
    ]
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        audience = dispatch.Audience()
        updates = case_records.store_updates(session, case, news, audience)
        with counting(seeded) as statements:
            case_records.announce(session, case, updates, audience)
            session.flush()
        written = session.scalar(
            select(func.count())
            .select_from(Communication)
            .where(Communication.update_id.in_([u.id for u in updates]))
        )
        assert written is not None and written >= len(updates)  # every update announced
        inserts = [
            s
            for s in statements
            if s.lstrip().upper().startswith(("INSERT INTO COMMUNICATION", "COPY COMMUNICATION"))
        ]
        assert len(inserts) == 1
