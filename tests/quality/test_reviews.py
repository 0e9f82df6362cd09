"""Officers review a sampled update against the same elements as the checks: the page shows the update as
the victim reads it (not the checks' results), asks about each element that applies, and the review
counts in the report's agreement."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import UpdateReview
from tests.quality.test_report import QUERY, unit  # noqa: F401 (the fixture)
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in


def test_an_officer_reviews_a_sampled_update(seeded: Flask, unit: dict[str, str]) -> None:  # noqa: F811
    officer = signed_in(seeded, "other.officer@demo.example")
    report = page_text(officer.get(f"/staff/quality?{QUERY}"))
    assert (
        "Review: A court hearing has been postponed (hearing-adjourned) from Witness Care, 2026-10" in report
    )
    url = f"/staff/quality/updates/{unit['u3']}/review"
    page = officer.get(url)
    assert page.status_code == 200
    text = page_text(page)
    assert "A court hearing has been postponed" in text
    assert "A reason the hearing moved" in text and "A reason in plain words" not in text

    refused = post_form(officer, url, {})
    assert refused.status_code == 200
    assert "Select yes if the update is satisfactory" in page_text(refused)
    assert "Select yes if the update has this: A reason the hearing moved" in page_text(refused)

    done = post_form(officer, url, {"hearing_reason": "no", "satisfactory": "no", "reason": "yes"})
    assert done.status_code == 302
    with seeded.app_context():
        review = db.session.scalar(select(UpdateReview).where(UpdateReview.update_id == unit["u3"]))
        assert review is not None and review.satisfactory is False
        assert review.elements == {"hearing_reason": False}  # only the elements that apply are kept
    after = page_text(officer.get(f"/staff/quality?{QUERY}"))
    # u3 failed its check and the officer found it not satisfactory: 3 of 4 now agree.
    assert "Officers' reviews agree with the checks on 75.0% of reviewed updates (3 of 4)." in after
    assert "Review: A court hearing has been postponed" not in after
