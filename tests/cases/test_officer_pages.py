"""The witness care officer's workspace: officers only, their own unit only, every view audited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications import outbox
from portal.extensions import db
from portal.models import AuditEvent, Communication, PreferenceReview, PreferenceVersion, UpdateSeen
from tests.support.builders import create_preferences_version
from tests.support.demo import demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import count
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import sign_in, signed_in


def staff_pages(victim_id: str, urn: str) -> list[str]:
    return [
        f"/staff/victims/{victim_id}",
        f"/staff/victims/{victim_id}/review",
        f"/staff/victims/{victim_id}/cases/{urn}",
        f"/staff/victims/{victim_id}/preferences",
    ]


@pytest.mark.parametrize("email", ["victim@demo.example", "support@demo.example", "admin@demo.example"])
def test_the_workspace_is_404_for_everyone_but_officers(
    seeded: Flask, client: FlaskClient, email: str
) -> None:
    victim_id = demo_victim_id(seeded)
    sign_in(client, email)
    for path in [
        "/staff/review",
        "/staff/timeliness",
        "/staff/find-case",
        *staff_pages(victim_id, "01YZ1234524"),
    ]:
        assert client.get(path).status_code == 404, path


def test_signed_out_people_are_sent_to_sign_in(seeded: Flask, client: FlaskClient) -> None:
    response = client.get("/staff/review")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


def test_another_units_victim_is_404_everywhere(seeded: Flask, client: FlaskClient) -> None:
    other = create_other_unit(seeded)
    create_preferences_version(
        seeded,
        other["victim_id"],
        {
            "channels": ["email"],
            "safe": {"email": True},
            "interpreter_needed": True,
            "interpreter_language": "Urdu",
        },
        actor_label="Police",
    )
    sign_in(client, "officer@demo.example")
    for path in staff_pages(other["victim_id"], other["urn"]):
        assert client.get(path).status_code == 404, path
    # Nor can they be reviewed or changed by posting.
    own = demo_victim_id(seeded)
    token_page = f"/staff/victims/{own}/review"
    assert (
        post_form(
            client, f"/staff/victims/{other['victim_id']}/review", {"version": "1"}, page=token_page
        ).status_code
        == 404
    )
    assert (
        post_form(client, f"/staff/victims/{other['victim_id']}/preferences", {}, page=token_page).status_code
        == 404
    )
    # The own unit's victim cannot be opened through the other unit's case either.
    assert client.get(f"/staff/victims/{own}/cases/{other['urn']}").status_code == 404
    assert "Pat Placeholder" not in page_text(client.get("/staff/review"))
    assert "No case of your unit has this reference" in page_text(
        client.get(f"/staff/find-case?urn={other['urn']}")
    )
    assert count(seeded, PreferenceReview) == 0


def test_review_queue_shows_what_changed_and_mark_as_reviewed(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    queue = page_text(officer_client.get("/staff/review"))
    assert "1 victim to review" in queue and "Sam Sample" in queue and "New" in queue

    review = officer_client.get(f"/staff/victims/{victim_id}/review")
    assert "Nobody in your unit has reviewed these answers yet" in page_text(review)
    done = post_form(
        officer_client,
        f"/staff/victims/{victim_id}/review",
        {"version": "1", "note": "Called to check the email"},
    )
    assert done.headers["Location"].endswith("/staff/review")
    assert "There is nothing to review" in page_text(officer_client.get("/staff/review"))

    # The victim changes two answers: back in the queue, with just those rows tagged.
    create_preferences_version(
        seeded,
        victim_id,
        {"frequency": "daily-digest", "interpreter_needed": True, "interpreter_language": "Polish"},
        actor_label="Sam Sample",
    )
    queue = page_text(officer_client.get("/staff/review"))
    assert (  # about the victim, as staff read it (tests/cases/test_staff_wording.py)
        "Interpreter, How often they hear from us" in queue
        or "How often they hear from us, Interpreter" in queue
    )
    html = officer_client.get(f"/staff/victims/{victim_id}/review").get_data(as_text=True)
    page = page_text(officer_client.get(f"/staff/victims/{victim_id}/review"))
    assert html.count("govuk-tag--yellow") == 2  # the "Changed" tags
    assert "One message a day with all the updates Changed" in page
    assert "Yes, Polish Changed" in page
    assert "Every day Changed" not in page
    assert "Called to check the email" in page  # the last review's note
    post_form(officer_client, f"/staff/victims/{victim_id}/review", {"version": "2"})
    with seeded.app_context(), db.job() as session:
        reviews = session.scalars(select(PreferenceReview).order_by(PreferenceReview.id)).all()
        assert [(r.version, r.reviewer_label, r.note) for r in reviews] == [
            (1, "Olive Officer", "Called to check the email"),
            (2, "Olive Officer", None),
        ]


def test_reviewing_an_older_version_leaves_the_newer_change_in_the_queue(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    page = f"/staff/victims/{victim_id}/review"
    officer_client.get(page)
    create_preferences_version(
        seeded, victim_id, {"frequency": "key-milestones"}, actor_label="Police"
    )  # arrives while the officer reads version 1
    post_form(officer_client, page, {"version": "1"})
    assert "Sam Sample" in page_text(officer_client.get("/staff/review"))


def test_queue_filters_work_without_javascript(seeded: Flask, officer_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    # Sam: enhanced rights, email and text messages safe and verified; no interpreter, no special measures.
    assert "Sam Sample" in page_text(officer_client.get("/staff/review?filter=enhanced"))
    assert "No victims to review match these filters" in page_text(
        officer_client.get("/staff/review?filter=interpreter")
    )
    assert "No victims to review match these filters" in page_text(
        officer_client.get("/staff/review?filter=no-safe-channel")
    )
    assert "No victims to review match these filters" in page_text(
        officer_client.get("/staff/review?filter=special-measures")
    )
    create_preferences_version(
        seeded,
        victim_id,
        {"special_measures": ["screens"], "interpreter_needed": True, "interpreter_language": "Urdu"},
        actor_label="Police",
    )
    both = officer_client.get("/staff/review?filter=interpreter&filter=special-measures")
    assert "Sam Sample" in page_text(both)
    assert 'value="interpreter" checked' in both.get_data(as_text=True)
    # Email no longer safe; texts still safe but to a new number nobody has verified: no safe channel.
    create_preferences_version(
        seeded, victim_id, {"safe": {"email": False}, "phone": "07700900999"}, actor_label="Police"
    )
    assert "Sam Sample" in page_text(
        officer_client.get("/staff/review?filter=no-safe-channel&filter=enhanced")
    )


def test_victim_page_shows_cases_preferences_history_and_messages_and_is_audited(
    seeded: Flask, client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    with seeded.app_context(), db.job() as session:
        message = outbox.enqueue(session, channel="sms", recipient="07700900123", body="There is an update.")
        message.status = outbox.DELIVERED
        session.add(
            Communication(
                victim_id=victim_id, outbound_message_id=message.id, channel="sms", purpose="update"
            )
        )
        failed = outbox.enqueue(
            session, channel="email", recipient="victim@demo.example", subject="Update", body="x"
        )
        failed.status = outbox.PERMANENT_FAILURE
        session.add(
            Communication(
                victim_id=victim_id, outbound_message_id=failed.id, channel="email", purpose="update"
            )
        )
    sign_in(client, "officer@demo.example")
    response = client.get(f"/staff/victims/{victim_id}", headers={"X-Request-Id": "req-staff-view-1"})
    page = page_text(response)
    for expected in (
        "Sam Sample",
        "01YZ1234524",
        "01AB5432123",
        "Assault",
        "Burglary",
        "How we contact them",
        "What they need",
        "History of changes",
        "Delivered",
        "Failed: wrong number or address",
    ):
        assert expected in page, expected
    assert (
        "There is an update." not in page
    )  # the log shows what was sent and whether it arrived, not the text
    with seeded.app_context(), db.job() as session:
        event = session.scalar(select(AuditEvent).where(AuditEvent.request_id == "req-staff-view-1"))
        assert event is not None
        assert (event.action, event.subject_victim_id, event.actor_label) == (
            "staff.view_victim",
            victim_id,
            "Olive Officer",
        )


def test_officer_case_timeline_shows_deadlines_and_does_not_mark_updates_seen(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = demo_victim_id(seeded)
    page = page_text(officer_client.get(f"/staff/victims/{victim_id}/cases/01YZ1234524"))
    assert "Code deadline" in page and "Not told – overdue" in page and "Opened by the victim Not yet" in page
    assert count(seeded, UpdateSeen) == 0
    assert count(seeded, AuditEvent, AuditEvent.action == "staff.view_victim") == 1


def test_record_preferences_given_by_phone(seeded: Flask, officer_client: FlaskClient) -> None:
    victim_id = demo_victim_id(seeded)
    url = f"/staff/victims/{victim_id}/preferences"
    form = officer_client.get(url).get_data(as_text=True)
    assert 'value="victim@demo.example"' in form  # prefilled with what is recorded
    data = {
        "rank_email": "2", "rank_sms": "", "rank_letter": "", "rank_phone": "1", "safe": ["email", "phone"],
        "detailed": [], "email": "victim@demo.example", "phone": "07700 900123", "address": "",
        "safe_days": ["mon", "fri"], "safe_from": "10:00", "safe_to": "09:00", "frequency": "every-update",
        "language": "en", "interpreter_needed": "no", "support_referral": "yes", "pre_trial_visit": "",
        "wants_vps": "", "vcs_opt_in": "no",
    }  # fmt: skip
    wrong = post_form(officer_client, url, data)
    assert wrong.status_code == 200
    assert "The latest safe time must be after the earliest safe time" in page_text(wrong)
    assert 'value="10:00"' in wrong.get_data(as_text=True)  # kept
    saved = post_form(officer_client, url, {**data, "safe_to": "16:00"})
    assert saved.headers["Location"].endswith(f"/staff/victims/{victim_id}")
    assert "Preferences recorded (version 2)" in page_text(officer_client.get(f"/staff/victims/{victim_id}"))
    with seeded.app_context(), db.job() as session:
        version = session.scalar(select(PreferenceVersion).where(PreferenceVersion.version == 2))
        assert version is not None
        assert (version.source, version.actor_label, version.actor_role) == (
            "officer by phone", "Olive Officer", "witness_care_officer",
        )  # fmt: skip
        assert version.document["channels"] == ["phone", "email"]
        assert version.document["support_referral"] is True and version.document["vcs_opt_in"] is False
        assert version.document["pre_trial_visit"] is None
    # The victim sees who changed it and how.
    victim = signed_in(seeded, "victim@demo.example")
    assert "Olive Officer By phone, with an officer" in page_text(victim.get("/preferences"))


def test_find_a_case(seeded: Flask, officer_client: FlaskClient) -> None:
    page = officer_client.get("/staff/find-case?urn=01yz1234524")
    assert "Sam Sample" in page_text(page)
    assert "Enter a case reference (URN)" in page_text(officer_client.get("/staff/find-case?urn="))
