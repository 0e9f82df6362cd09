"""The quality report's figures, worked out by hand from a small made-up unit (force 02) and compared
exactly: by agency, by month, the most common failures, agreement with officers' reviews, the page and
the CSV. The checks are stored by hand here (what the checks find is tested in test_checks.py and
tests/agency_api/test_quality_warnings.py), so every figure below can be counted on paper."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import UpdateQualityCheck, UpdateRating, UpdateReview, User
from portal.services.cases.timeliness import Period
from portal.services.quality import report, reviews
from tests.support.builders import create_update, create_victim
from tests.support.pages import page_text
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import signed_in

PERIOD = Period(date(2026, 9, 1), date(2026, 10, 31))
QUERY = "start-day=1&start-month=9&start-year=2026&end-day=31&end-month=10&end-year=2026"
NFA = {"check": "jargon", "field": "message", "message": '"NFA" is jargon: say "no further action" instead'}
DISCONTINUED = {
    "check": "jargon",
    "field": "message",
    "message": '"discontinued" is jargon: say "stopped" instead',
}

# (name, agency, event type, received, checks (None: never checked), warnings)
UPDATES = (
    ("u1", "police", "investigation-update", "2026-09-10", {"readability": True, "jargon": True}, []),
    (
        "u2",
        "police",
        "suspect-released-no-further-action",
        "2026-09-15",
        {"jargon": False, "reason": False, "review": True, "next_steps": False, "contact": True},
        [NFA],
    ),
    ("u3", "witness_care", "hearing-adjourned", "2026-10-02", {"hearing_reason": False}, []),
    (
        "u4",
        "witness_care",
        "hearing-changed",
        "2026-10-20",
        {"hearing_reason": True, "jargon": True, "readability": False},
        [],
    ),
    (
        "u5",
        "cps",
        "case-discontinued",
        "2026-10-25",
        {
            "jargon": False,
            "reason": True,
            "review": True,
            "meeting": False,
            "next_steps": True,
            "contact": True,
        },
        [NFA, DISCONTINUED],
    ),
    ("u6", "probation", "vcs-referral", "2026-10-30", None, []),
    ("u7", "police", "investigation-update", "2026-11-05", {"jargon": False}, []),  # after the period
)
# (update, victim, clear, what was unclear)
ANSWERS = (
    ("u1", "pat", True, None),
    ("u1", "rae", True, None),
    ("u2", "pat", False, "Why no action? Pat Placeholder here, 07700 900 456"),
    ("u2", "rae", False, None),
    ("u3", "pat", True, None),
    ("u5", "pat", False, "What does discontinued mean for Rae?"),
    ("u7", "pat", False, "after the period"),
)
# (update, satisfactory, elements)
REVIEWS = (
    ("u1", True, {"readability": True, "jargon": True}),
    ("u2", False, {"jargon": False, "reason": False, "review": False, "next_steps": False, "contact": True}),
    ("u4", True, {"hearing_reason": True, "jargon": True, "readability": True}),
)


@pytest.fixture
def unit(seeded: Flask) -> dict[str, str]:
    other = create_other_unit(seeded)
    ids: dict[str, str] = {"pat": other["victim_id"]}
    with seeded.app_context(), db.job() as session:
        from portal.models import Case

        case = session.scalar(select(Case).where(Case.urn == other["urn"]))
        assert case is not None
        ids["rae"] = create_victim(session, "Rae", "Second", case=case).id
        officer = session.scalar(select(User.id).where(User.email == "other.officer@demo.example"))
        for name, agency, event_type, received, checks, warnings in UPDATES:
            at = datetime.fromisoformat(received + "T10:00:00+00:00").astimezone(UTC)
            update = create_update(
                session,
                case,
                event_type,
                agency=agency,
                agency_event_id=f"q-{name}",
                occurred_at=at,
                announce=False,
            )
            ids[name] = update.id
            if checks is not None:
                session.add(
                    UpdateQualityCheck(update_id=update.id, checks=checks, warnings=warnings, words=0)
                )
        for name, victim, clear, unclear in ANSWERS:
            session.add(
                UpdateRating(update_id=ids[name], victim_id=ids[victim], clear=clear, unclear=unclear)
            )
        for name, satisfactory, judged in REVIEWS:
            session.add(
                UpdateReview(
                    update_id=ids[name], reviewer_user_id=officer, satisfactory=satisfactory, elements=judged
                )
            )
    return ids


def _figures(row: report.Row) -> tuple:
    return (
        row.updates,
        row.checked,
        row.all_passed,
        row.percent_all_passed,
        row.answers,
        row.clear,
        row.percent_clear,
        {check: row.percent(check) for check in row.applicable},
    )


def test_figures_by_agency_and_month_are_exactly_those_counted_by_hand(
    seeded: Flask, unit: dict[str, str]
) -> None:
    with seeded.app_context():
        items = report.items_for_force(db.session, "02", PERIOD)
        assert sorted(i.update_id for i in items) == sorted(
            unit[n] for n in ("u1", "u2", "u3", "u4", "u5", "u6")
        )
        by_agency = {row.agency: _figures(row) for row in report.by_agency(items)}
        by_month = {row.month: _figures(row) for row in report.by_month(items)}
        failures = [(f.check, f.failed, f.applicable, f.percent) for f in report.common_failures(items)]
        jargon = report.common_jargon(items)
        agreement = reviews.agreement(items)
        sample = {i.update_id for i in reviews.sample(items)}

    assert by_agency == {
        "police": (2, 2, 1, 50.0, 4, 2, 50.0, {
            "readability": 100.0, "jargon": 50.0, "reason": 0.0, "review": 100.0, "next_steps": 0.0, "contact": 100.0,
        }),
        "cps": (1, 1, 0, 0.0, 1, 0, 0.0, {
            "jargon": 0.0, "reason": 100.0, "review": 100.0, "meeting": 0.0, "next_steps": 100.0, "contact": 100.0,
        }),
        "witness_care": (2, 2, 0, 0.0, 1, 1, 100.0, {"hearing_reason": 50.0, "jargon": 100.0, "readability": 0.0}),
        "probation": (1, 0, 0, None, 0, 0, None, {}),
        "": (6, 5, 1, 20.0, 6, 3, 50.0, {
            "readability": 50.0,
            "jargon": 50.0,
            "reason": 50.0,
            "review": 100.0,
            "meeting": 0.0,
            "next_steps": 50.0,
            "contact": 100.0,
            "hearing_reason": 50.0,
        }),
    }  # fmt: skip
    assert by_month == {
        "2026-09": by_agency["police"],
        "2026-10": (4, 3, 0, 0.0, 2, 1, 50.0, {
            "hearing_reason": 50.0, "jargon": 50.0, "readability": 0.0, "reason": 100.0, "review": 100.0,
            "meeting": 0.0, "next_steps": 100.0, "contact": 100.0,
        }),
    }  # fmt: skip
    assert failures == [
        ("jargon", 2, 4, 50.0),
        ("readability", 1, 2, 50.0),
        ("reason", 1, 2, 50.0),
        ("meeting", 1, 1, 100.0),
        ("next_steps", 1, 2, 50.0),
        ("hearing_reason", 1, 2, 50.0),
    ]
    assert jargon == [("NFA", 2), ("discontinued", 1)]
    assert (agreement.reviewed, agreement.both_satisfactory, agreement.both_not) == (3, 1, 1)
    assert (agreement.checks_only, agreement.officer_only, agreement.percent) == (0, 1, 66.7)
    assert [(e.check, e.compared, e.agreed) for e in agreement.by_element] == [
        ("readability", 2, 1),
        ("jargon", 3, 3),
        ("reason", 1, 1),
        ("review", 1, 0),
        ("next_steps", 1, 1),
        ("contact", 1, 1),
        ("hearing_reason", 1, 1),
    ]
    assert sample == {unit["u3"], unit["u5"]}  # checked and not reviewed


def test_the_page_and_the_csv_show_the_same_figures_and_name_no_victim(
    seeded: Flask, unit: dict[str, str]
) -> None:
    officer = signed_in(seeded, "other.officer@demo.example")
    page = officer.get(f"/staff/quality?{QUERY}")
    assert page.status_code == 200
    text = page_text(page)
    assert "50.0% of victims' answers said the update was clear (3 of 6)." in text
    assert "20.0% of checked updates passed every check (1 of 5)." in text
    assert "Officers' reviews agree with the checks on 66.7% of reviewed updates (2 of 3)." in text
    assert "“Why no action? [name] [name] here, [redacted]”" in text
    assert "“What does discontinued mean for [name]?”" in text
    for name in ("Placeholder", "Second", "02CD1111125", "after the period"):
        assert name not in text
    assert 'role="img"' in page.get_data(as_text=True)  # the chart, with its table alternative
    assert "Quality by agency (the figures in the charts)" in text

    csv = officer.get(f"/staff/quality.csv?{QUERY}")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    lines = csv.get_data(as_text=True).split("\r\n")
    assert lines[0] == "period_start,2026-09-01,period_end,2026-10-31"
    assert "agency,police,all,all,2,2,4,2,50.0,1,50.0,100.0,50.0,0.0,100.0,,0.0,100.0," in lines
    assert "agency,all,all,all,6,5,6,3,50.0,1,20.0,50.0,50.0,50.0,100.0,0.0,50.0,100.0,50.0" in lines
    assert "agency,probation,all,all,1,0,0,0,,0,,,,,,,,," in lines
    assert "month,all,all,2026-10,4,3,2,1,50.0,0,0.0,0.0,50.0,100.0,100.0,0.0,100.0,100.0,50.0" in lines
    assert "Placeholder" not in csv.get_data(as_text=True) and "Why no action" not in csv.get_data(
        as_text=True
    )


def test_an_officer_of_another_unit_sees_none_of_it(
    seeded: Flask, unit: dict[str, str], officer_client
) -> None:
    text = page_text(officer_client.get(f"/staff/quality?{QUERY}"))
    assert "Why no action" not in text and "(3 of 6)" not in text
    assert officer_client.get(f"/staff/quality/updates/{unit['u3']}/review").status_code == 404
