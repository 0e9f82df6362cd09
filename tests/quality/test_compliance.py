"""Victims' Code compliance by right and agency, worked out by hand from a made-up unit (force 02) and
compared exactly, and the same counts in /metrics."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, UpdateSeen
from portal.services.cases.timeliness import Period
from portal.services.quality import compliance
from tests.support.builders import create_update, create_victim
from tests.support.scenarios import create_other_unit

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PERIOD = Period(date(2026, 9, 1), date(2026, 10, 31))

# (name, agency, event type, received (Tuesday 1 September 2026 onwards), details, when Pat opened it)
UPDATES = (
    ("charged", "police", "suspect-charged", "2026-09-01", {"charges": ["assault"]}, "2026-09-02"),
    ("stopped", "cps", "case-discontinued", "2026-09-03", {"letter_date": "2026-09-03"}, "2026-09-04"),
    (
        "closed",
        "police",
        "investigation-closed",
        "2026-09-04",
        {"suspect_interviewed_under_caution": False},
        "2026-09-05",
    ),
    (
        "sentence",
        "witness_care",
        "sentence",
        "2026-09-10",
        {"vcs_eligible": True, "sentence_date": "2026-09-10"},
        "2026-09-10",
    ),
    # Referred 14 working days after the sentence: too late, and nobody opened it.
    ("referral", "probation", "vcs-referral", "2026-09-30", {"sentence_date": "2026-09-10"}, None),
)


def _unit(app: Flask) -> None:
    other = create_other_unit(app)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == other["urn"]))
        assert case is not None
        create_victim(session, "Rae", "Second", case=case)  # never opens anything
        for name, agency, event_type, received, details, seen in UPDATES:
            at = datetime.fromisoformat(received + "T10:00:00+00:00")
            update = create_update(
                session,
                case,
                event_type,
                agency=agency,
                agency_event_id=f"c-{name}",
                occurred_at=at,
                details=details,
                announce=False,
            )
            if seen:
                session.add(
                    UpdateSeen(
                        update_id=update.id,
                        victim_id=other["victim_id"],
                        seen_at=datetime.fromisoformat(seen + "T12:00:00+00:00"),
                    )
                )


def test_compliance_by_right_and_agency_is_exactly_as_counted_by_hand(seeded: Flask) -> None:
    _unit(seeded)
    with seeded.app_context():
        measures = compliance.measures_for_force(db.session, "02", PERIOD, NOW)
    assert [(m.right, m.agency, m.measure, m.met, m.total) for m in measures] == [
        (6, "police", "told-on-time", 2, 4),  # charged and closed: Pat on time, Rae never
        (6, "cps", "told-on-time", 1, 2),
        (6, "cps", "review-explained", 1, 2),  # the police's closure offers no review (no interview)
        (7, "police", "told-on-time", 1, 2),
        (7, "police", "vps-offered", 1, 2),  # the charge offers a statement: Pat was told of it
        (9, "witness_care", "told-on-time", 1, 2),
        (11, "witness_care", "told-on-time", 1, 2),
        (11, "probation", "told-on-time", 0, 2),
        (11, "probation", "vcs-referral-in-time", 0, 2),
    ]


def test_metrics_count_compliance_over_every_unit(seeded: Flask) -> None:
    _unit(seeded)
    body = seeded.test_client().get("/metrics").get_data(as_text=True)
    # Force 02's late referral for two victims, and the demo unit's referral in time for Sam.
    labels = 'agency="probation",measure="vcs-referral-in-time"'
    assert f'portal_code_compliance{{{labels},outcome="met",right="11"}} 1.0' in body
    assert f'portal_code_compliance{{{labels},outcome="not-met",right="11"}} 2.0' in body
    assert "Rae" not in body and "Placeholder" not in body
