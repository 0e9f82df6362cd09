"""Court needs are versioned like preferences: every change a new version with who made it and how, the
same answers again add none, text for a need not chosen is dropped, and the audit trail says what kind
of answer changed, never the answers. On both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Case
from portal.services.court_needs import records
from portal.services.court_needs.records import CourtNeeds, DateToAvoid, InvalidCourtNeeds
from portal.services.demo_data import DEMO_VICTIM_ID
from tests.court_needs.helpers import URN, days_ahead


def test_versions_keep_who_changed_what(seeded: Flask) -> None:
    day = days_ahead(9)
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == URN))
        assert case is not None
        first = records.record(
            session,
            DEMO_VICTIM_ID,
            case.id,
            CourtNeeds(
                dates=(DateToAvoid(day, records.MORNING, "religious"),),
                needs=("interpreter",),
                interpreter_language="  Welsh ",
                access_needs="not asked for, so dropped",
            ),
            actor=None,
            actor_label="Demo Witness Care",
            source=records.SOURCE_OFFICER,
        )
        same = records.record(
            session,
            DEMO_VICTIM_ID,
            case.id,
            CourtNeeds(dates=first.dates, needs=("interpreter",), interpreter_language="Welsh"),
            actor=None,
            actor_label="Someone else",
            source=records.SOURCE_VICTIM,
        )
        second = records.record(
            session,
            DEMO_VICTIM_ID,
            case.id,
            CourtNeeds(dates=first.dates, needs=("interpreter", "childcare"), interpreter_language="Cymraeg"),
            actor=None,
            actor_label="A support worker",
            source=records.SOURCE_SUPPORT_WORKER,
        )
        history = records.history(session, DEMO_VICTIM_ID, case.id)
        events = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == records.CHANGED, AuditEvent.subject_victim_id == DEMO_VICTIM_ID
            )
        ).all()
    assert first.version == 1 and first.interpreter_language == "Welsh" and first.access_needs is None
    assert same.version == 1  # nothing differed: no new version
    assert second.version == 2
    assert list(second.changed_fields) == ["childcare", "interpreter_language"]
    assert [(v.version, v.changed_by, v.source) for v in history] == [
        (2, "A support worker", "support worker"),
        (1, "Demo Witness Care", "officer by phone"),
    ]
    court_events = [e for e in events if (e.detail or {}).get("what") == "court needs"]
    assert [e.detail["version"] for e in court_events] == [1, 2]
    assert all("Welsh" not in str(e.detail) and "Cymraeg" not in str(e.detail) for e in court_events)


def test_the_rules_refuse_what_cannot_be_kept() -> None:
    today = datetime.now(UTC).date()
    with pytest.raises(InvalidCourtNeeds) as past:
        records.check(
            CourtNeeds(dates=(DateToAvoid(days_ahead(-1), records.WHOLE_DAY, "work"),)), days_ahead(0)
        )
    assert past.value.errors == {"dates": "past"}
    many = tuple(DateToAvoid(days_ahead(n), records.WHOLE_DAY, "work") for n in range(records.MAX_DATES + 1))
    with pytest.raises(InvalidCourtNeeds) as too_many:
        records.check(CourtNeeds(dates=many), today)
    assert too_many.value.errors == {"dates": "too_many"}
    assert len(records.check(CourtNeeds(dates=many[:-1]), days_ahead(0)).dates) == records.MAX_DATES
    with pytest.raises(InvalidCourtNeeds) as text:
        records.check(
            CourtNeeds(
                needs=("interpreter", "access"), interpreter_language="Po\nlish", anything_else="x" * 1001
            ),
            today,
        )
    assert text.value.errors == {
        "interpreter_language": "hidden_language",
        "access_needs": "access",
        "anything_else": "text_long",
    }
    with pytest.raises(InvalidCourtNeeds) as duplicate:
        day = DateToAvoid(days_ahead(2), records.MORNING, "work")
        records.check_new_date([day], DateToAvoid(day.day, records.MORNING, "medical"), days_ahead(0))
    assert duplicate.value.errors == {"date": "duplicate"}
