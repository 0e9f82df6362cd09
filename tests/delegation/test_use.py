"""Using a delegation: the worker reads updates without marking them seen, changes needs (versioned with
their name, source "support worker"), gets discreet copies only when granted, and the victim sees every
view and change on "People helping you"."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Communication, PreferenceVersion, UpdateSeen
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.messaging import delivery
from portal.services.preferences import records as preferences
from tests.support.builders import create_delegation, create_preferences_version, create_update
from tests.support.outbox import NOT_IN_A_DISCREET_MESSAGE, messages
from tests.support.pages import page_text, post_form
from tests.support.records import count
from tests.support.scenarios import make_world
from tests.support.signing_in import signed_in

DEMO_URN = "01YZ1234524"


def _announce_hearing(app: Flask, event_id: str = "copy-test-1") -> None:
    """A new hearing update on Sam's case, announced as the agency API would."""
    create_update(
        app,
        DEMO_URN,
        "hearing-scheduled",
        agency="witness_care",
        agency_event_id=event_id,
        details={
            "hearing_at": "2027-06-01T10:00:00+01:00",
            "court_name": "Exampletown Crown Court",
            "court_address": "2 Demo Street, Exampletown",
            "hearing_type": "trial",
        },
    )


def _detailed_email_for_sam(app: Flask, victim_id: str) -> None:
    """Sam chose detailed wording for email: the copy must still say nothing."""
    create_preferences_version(
        app, victim_id, {"detailed": {"email": True}}, actor_label="Test", source="victim online"
    )


def test_copies_go_only_to_workers_granted_them_and_are_always_discreet(seeded: Flask) -> None:
    world = make_world(seeded)
    _detailed_email_for_sam(seeded, world.victim)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["see-updates", "receive-copies"])
    create_delegation(seeded, world.victim, worker=world.stranger, scopes=["see-updates", "see-preferences"])
    _announce_hearing(seeded)
    victim_messages = messages(seeded, "update:")
    assert len(victim_messages) == 1 and "Exampletown Crown Court" in victim_messages[0].body  # detailed
    [copy] = messages(seeded, "delegation-copy:")
    assert copy.recipient == "support@demo.example" and copy.channel == "email"
    words = f"{copy.subject} {copy.body}".lower()
    for word in (*NOT_IN_A_DISCREET_MESSAGE, "sam", "sample", "exampletown", "demo street"):
        assert word not in words, word
    assert "http://127.0.0.1:5000/support" in copy.body
    with seeded.app_context(), db.job() as session:
        communication = session.scalar(
            select(Communication).where(Communication.purpose == "delegation-copy")
        )
        assert communication is not None
        assert communication.recipient_user_id == world.worker and communication.detailed is False


def test_no_copy_without_the_scope_or_after_revocation(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(seeded, world.victim, worker=world.worker, scopes=["receive-copies"]).id
    sam = signed_in(seeded, "victim@demo.example")
    post_form(sam, f"/people-helping-you/{delegation}/stop", {})
    create_delegation(seeded, world.victim, worker=world.stranger, scopes=["see-updates"])
    _announce_hearing(seeded)
    assert len(messages(seeded, "update:")) == 1
    assert messages(seeded, "delegation-copy:") == []


def test_a_failed_copy_leaves_the_victims_contact_details_alone(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["receive-copies"])
    _announce_hearing(seeded)
    [copy] = messages(seeded, "delegation-copy:")
    with seeded.app_context(), db.job() as session:
        message = session.get(type(copy), copy.id)
        delivery.on_message_failed("test", session=session, message=message, reason="permanent-failure")
    with seeded.app_context(), db.job() as session:
        prefs = preferences.current_preferences(session, world.victim)
        assert prefs.contact_status["email"] == "verified"
        assert preferences.safe_channels(prefs)[0] == "email"
    assert len(messages(seeded, "update:")) == 1  # no "fallback" to one of the victim's channels


def test_the_workers_edits_are_versioned_with_their_name_and_shown_to_the_victim(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(
        seeded,
        world.victim,
        worker=world.worker,
        scopes=["see-updates", "see-preferences", "change-preferences"],
    ).id
    worker = signed_in(seeded, "support@demo.example")
    url = f"/support/clients/{world.victim}/needs"
    form = page_text(worker.get(url))
    assert "Change what Sam Sample needs" in form
    before = count(seeded, PreferenceVersion)
    saved = post_form(
        worker,
        url,
        {
            "frequency": "key-milestones",
            "language": "en",
            "interpreter_needed": "yes",
            "interpreter_language": "Polish",
            "special_measures": ["screens"],
            "support_referral": "yes",
            "pre_trial_visit": "",
            "wants_vps": "",
            "vcs_opt_in": "",
            # A worker cannot change how or where the victim is contacted, even by adding fields.
            "channels": "letter",
            "email": "attacker@example.com",
        },
    )
    assert saved.headers["Location"].endswith(f"/support/clients/{world.victim}")
    assert count(seeded, PreferenceVersion) == before + 1
    with seeded.app_context(), db.job() as session:
        latest = preferences.preference_history(session, world.victim)[0]
        assert latest.actor_label == "Sunny Supporter (Demo Victim Support)"
        assert latest.source == "support worker" and latest.actor_role == "support_worker"
        prefs = preferences.current_preferences(session, world.victim)
        assert prefs.interpreter_language == "Polish" and prefs.frequency == "key-milestones"
        assert prefs.email == "victim@demo.example" and prefs.channels == ("email", "sms")
    missing_language = post_form(
        worker, url, {"frequency": "every-update", "language": "en", "interpreter_needed": "yes"}
    )
    assert missing_language.status_code == 200 and "There is a problem" in page_text(missing_language)

    # The worker's views, with the delegation's id, for the victim to see.
    worker.get(f"/support/clients/{world.victim}/cases/{DEMO_URN}")
    worker.get(f"/support/clients/{world.victim}/preferences")
    with seeded.app_context(), db.job() as session:
        seen_by_sam = session.scalars(select(UpdateSeen).where(UpdateSeen.victim_id == world.victim)).all()
        assert seen_by_sam == []  # the worker reading updates does not mark them read for Sam
        events = session.scalars(select(AuditEvent).where(AuditEvent.actor_user_id == world.worker)).all()
        with_id = [e for e in events if (e.detail or {}).get("delegation_id") == delegation]
        assert {e.action for e in with_id} >= {"victim-data-viewed", "support.change_preferences"}

    sam = signed_in(seeded, "victim@demo.example")
    history = page_text(sam.get("/preferences"))
    assert "Sunny Supporter (Demo Victim Support)" in history
    overview = page_text(sam.get("/people-helping-you"))
    assert "Changed: needs and how often they hear from us" in overview
    assert f"Looked at: updates on case {DEMO_URN}" in overview
    assert "Looked at: contact preferences and needs" in overview
    # Sam's own "Who has viewed your information" shows the worker too.
    assert "Sunny Supporter" in page_text(sam.get("/account/who-has-viewed"))


def test_the_worker_sees_only_what_the_timeline_shows_the_victim(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker, scopes=["see-updates"])
    worker = signed_in(seeded, "support@demo.example")
    everyone = worker.get(f"/support/clients/{world.victim}/cases/{DEMO_URN}").get_data(as_text=True)
    police = worker.get(f"/support/clients/{world.victim}/cases/{DEMO_URN}?source=police").get_data(
        as_text=True
    )
    # The demo case has 16 updates, 5 of them from the police; none is flagged "New" for the worker.
    assert everyone.count('class="moj-timeline__item"') == 16
    assert police.count('class="moj-timeline__item"') == 5
    assert "govuk-tag--red" not in everyone
    with seeded.app_context(), db.job() as session:
        actor = Actor(user_id=world.worker, role="support_worker", organisation_id=world.demo_org)
        try:
            access.case_for_worker(session, actor, world.victim, "01CD3333326")
            raise AssertionError("another victim's case must not be reachable")
        except NotFound:
            pass
