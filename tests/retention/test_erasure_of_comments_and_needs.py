"""Erasing a victim also takes away what they wrote about an update ("What was unclear?") and the language
they need an interpreter in; that they rated an update, and that an accessible-format task was done, stay
for the figures (the quality and timeliness reports count them, with nobody's details)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from sqlalchemy import select

from portal.data import retention
from portal.extensions import db
from portal.models import AccessibleFormatTask, Case, CaseUpdate, UpdateRating
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID

WORDS = "I did not understand what adjourned means"


def test_erasure_clears_comments_and_interpreter_language_but_keeps_the_counts(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        update = session.scalars(select(CaseUpdate).where(CaseUpdate.case_id == case.id)).first()
        assert update is not None
        for existing in session.scalars(select(UpdateRating).where(UpdateRating.victim_id == DEMO_VICTIM_ID)):
            session.delete(existing)
        session.flush()
        session.add(UpdateRating(update_id=update.id, victim_id=DEMO_VICTIM_ID, clear=False, unclear=WORDS))
        session.add(
            AccessibleFormatTask(
                victim_id=DEMO_VICTIM_ID,
                case_id=case.id,
                update_id=update.id,
                kind="interpreter",
                language="Tigrinya",
                done_at=datetime.now(UTC),
            )
        )
    with seeded.app_context(), db.job() as session:
        removed = retention.clear_victim(session, DEMO_VICTIM_ID, datetime.now(UTC))
    assert removed["comments on updates"] == 1
    with seeded.app_context(), db.job() as session:
        ratings = session.scalars(select(UpdateRating).where(UpdateRating.victim_id == DEMO_VICTIM_ID)).all()
        assert ratings and all(r.unclear is None for r in ratings)
        assert [r.clear for r in ratings if r.update_id == update.id] == [False]
        (task,) = session.scalars(select(AccessibleFormatTask)).all()
        assert task.language is None and task.done_at is not None and task.kind == "interpreter"
