"""The answer "tell me at any time about release, escape and orders that protect me" (issue 13): the
victim's question page and check answers, the officer's record-by-phone form, the rules and the labels,
on both databases. What it does to messages is in tests/messaging/test_urgent_events.py."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.data import preferences as preferences_data
from portal.extensions import db
from portal.models import AuditEvent, PreferenceVersion
from portal.services.common import audit
from portal.services.preferences import labels
from portal.services.preferences.records import Preferences
from portal.services.preferences.rules import InvalidPreferences, validate_changes
from tests.support.demo import DEMO_PASSWORD, demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import count

BASE = "/preferences/contact"
STEP = f"{BASE}/urgent-any-time"
ROW = "News about release, escape and orders that protect you"
#: The same row on staff pages, about the victim.
STAFF_ROW = "News about release, escape and orders that protect them"
HINT = (
    "We will send news about release, escape or a court order that protects you as soon as we have it, "
    "even outside the times you chose."
)


def versions(app: Flask, victim_id: str) -> list[PreferenceVersion]:
    with app.app_context(), db.job() as session:
        return list(reversed(preferences_data.versions_for_victim(session, victim_id)))


def test_the_victim_answers_the_question_checks_it_and_it_is_saved_in_a_new_version(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    # The summary shows the answer (the default: only at safe times) with a Change link to the question.
    summary = victim_client.get("/preferences")
    assert f"{ROW} Only at your safe times" in page_text(summary)
    assert f'href="{STEP}"' in summary.get_data(as_text=True)

    # The question: GOV.UK radios, yes or no, with the hint; a plain form, no JavaScript needed.
    question = victim_client.get(STEP)
    html = question.get_data(as_text=True)
    text = page_text(question)
    assert "Should we tell you at any time about release, escape and orders that protect you?" in text
    assert HINT in text
    assert "Yes, tell me at any time" in text and "No, only at the safe times I chose" in text
    assert 'class="govuk-radios' in html and 'type="radio"' in html and 'method="post"' in html
    assert 'value="no" checked' in html  # what is recorded now

    empty = post_form(victim_client, STEP, {})
    assert empty.status_code == 200
    assert "There is a problem" in page_text(empty)
    assert "Select yes if we should tell you about this at any time" in page_text(empty)
    assert "<title>Error:" in empty.get_data(as_text=True)
    nonsense = post_form(victim_client, STEP, {"answer": "sometimes"})
    assert "Select yes if we should tell you about this at any time" in page_text(nonsense)

    # A returning victim changes only this answer: straight back to check answers.
    to_check = post_form(victim_client, STEP, {"answer": "yes"})
    assert to_check.headers["Location"].endswith(f"{BASE}/check")
    # Nothing is saved yet.
    assert count(seeded, PreferenceVersion, PreferenceVersion.victim_id == victim_id) == 1

    # A safe-contact setting: the password again before it is saved.
    check = victim_client.get(f"{BASE}/check")
    assert "/account/confirm-password" in check.headers["Location"]
    back = post_form(victim_client, check.headers["Location"], {"password": DEMO_PASSWORD})
    assert back.headers["Location"].endswith(f"{BASE}/check")
    check = victim_client.get(f"{BASE}/check")
    assert f"{ROW} At any time, as soon as we have it" in page_text(check)
    assert f'href="{STEP}"' in check.get_data(as_text=True)  # its Change link

    done = post_form(victim_client, f"{BASE}/check", {})
    assert done.headers["Location"].endswith(f"{BASE}/confirmation")
    latest = versions(seeded, victim_id)[-1]
    assert (latest.version, latest.changed_fields, latest.source) == (2, ["urgent_any_time"], "victim online")
    assert latest.document["urgent_any_time"] is True
    with seeded.app_context(), db.job() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.subject_victim_id == victim_id)
        ).all()
        assert audit.SAFE_CONTACT_CHANGED in actions
    summary_text = page_text(victim_client.get("/preferences"))
    assert f"{ROW} At any time, as soon as we have it" in summary_text
    assert ROW in summary_text.split("Every change to your answers")[1]  # in the history of changes


def test_the_question_is_not_asked_without_a_safe_way_for_messages(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    # Only a phone call from an officer: no message, so no question and no row.
    post_form(victim_client, f"{BASE}/channels", {"answer": ["officer-only"]})
    assert victim_client.get(STEP).headers["Location"].endswith(f"{BASE}/check")
    prefs = Preferences(channels=("phone",), officer_phone_only=True, safe=frozenset({"phone"}))
    assert ROW not in [row.label for row in labels.contact_rows(prefs)]


def test_the_officer_records_it_by_phone_and_sees_it(seeded: Flask, officer_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    url = f"/staff/victims/{victim_id}/preferences"
    form = officer_client.get(url)
    html = form.get_data(as_text=True)
    assert "Tell them at any time about release, escape and orders that protect them?" in page_text(form)
    assert 'name="urgent_any_time"' in html and 'value="no" checked' in html
    data: dict[str, Any] = {
        "rank_email": "1", "rank_sms": "2", "rank_letter": "", "rank_phone": "", "safe": ["email", "sms"],
        "detailed": [], "email": "victim@demo.example", "phone": "07700 900123", "address": "",
        "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "safe_from": "09:00",
        "safe_to": "20:00", "urgent_any_time": "yes", "frequency": "every-update", "language": "en",
        "interpreter_needed": "no", "support_referral": "", "pre_trial_visit": "", "wants_vps": "",
        "vcs_opt_in": "",
    }  # fmt: skip
    saved = post_form(officer_client, url, data)
    assert saved.headers["Location"].endswith(f"/staff/victims/{victim_id}")
    latest = versions(seeded, victim_id)[-1]
    assert "urgent_any_time" in latest.changed_fields and latest.source == "officer by phone"
    assert latest.document["urgent_any_time"] is True
    # The officer's views of the preferences show the answer, and the change.
    review = page_text(officer_client.get(f"/staff/victims/{victim_id}/review"))
    assert f"{STAFF_ROW} At any time, as soon as we have it" in review
    assert 'value="yes" checked' in officer_client.get(url).get_data(as_text=True)


def test_the_rules_take_only_yes_or_no_and_older_documents_read_as_no() -> None:
    assert validate_changes({"urgent_any_time": True}) == {"urgent_any_time": True}
    for wrong in ("yes", 1, None):
        with pytest.raises(InvalidPreferences) as problem:
            validate_changes({"urgent_any_time": wrong})
        assert problem.value.errors == {"urgent_any_time": "Select yes or no"}
    older = Preferences().to_document()
    del older["urgent_any_time"]
    assert Preferences.from_document(older).urgent_any_time is False
    chosen = Preferences.from_document({**older, "urgent_any_time": True})
    assert chosen.to_document()["urgent_any_time"] is True


@pytest.mark.usefixtures("babel_app_context")
def test_the_label_names_the_answer_in_the_history() -> None:
    assert labels.changed_labels(["urgent_any_time"]) == [ROW]
