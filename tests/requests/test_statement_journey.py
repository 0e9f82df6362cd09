"""A Victim Personal Statement through the Flask test client, on both databases: the link on the update
that offers it, the warning before anything is written, the text kept between visits whatever happens to
the session, sending it (a request for the CPS, the draft gone) and a second version that supersedes the
first without changing it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import StatementDraft, VictimRequest, VictimRequestEvent
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.demo import VICTIM, demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import count
from tests.support.signing_in import sign_in

BASE = f"/cases/{DEMO_CASE_URN}/statement/court"
TEXT = "Since the assault I have not been able to sleep.\nI had to stop working for two months."


def statement_links(client: FlaskClient) -> list[str]:
    html = client.get(f"/cases/{DEMO_CASE_URN}").get_data(as_text=True)
    return re.findall(r'href="(/updates/[^"]+/statement)">Make a Victim Personal Statement<', html)


def write(client: FlaskClient, text: str, action: str = "continue") -> object:
    return post_form(client, f"{BASE}/write", {"statement": text, "action": action})


def send(client: FlaskClient, text: str = TEXT, choice: str = "myself") -> str:
    """Through the pages to the confirmation; returns the reference shown."""
    assert write(client, text).headers["Location"].endswith(f"{BASE}/read-aloud")
    assert (
        post_form(client, f"{BASE}/read-aloud", {"choice": choice})
        .headers["Location"]
        .endswith(f"{BASE}/check")
    )
    sent = post_form(client, f"{BASE}/check", {"understood": "y"})
    assert sent.status_code == 302, page_text(sent)
    confirmation = client.get(sent.headers["Location"])
    reference = re.search(r"VPS-[0-9A-Z]{4}-[0-9A-Z]{4}", page_text(confirmation))
    assert reference is not None
    assert "Statement sent" in page_text(confirmation)
    return reference.group(0)


def statements(app: Flask) -> list[VictimRequest]:
    """The statements sent in the test (the demo data holds some requests of its own, made earlier)."""
    with app.app_context(), db.job() as session:
        rows = list(
            session.scalars(
                select(VictimRequest)
                .where(
                    VictimRequest.kind == "statement",
                    VictimRequest.submitted_at > datetime.now(UTC) - timedelta(hours=1),
                )
                .order_by(VictimRequest.submitted_at)
            )
        )
        session.expunge_all()
        return rows


def test_the_update_offering_a_statement_links_to_a_warning_first(victim_client: FlaskClient) -> None:
    links = statement_links(victim_client)
    assert links, "the charge and the verdict offer a statement: each links to the journey"
    first = victim_client.get(links[0])
    assert first.headers["Location"].endswith(BASE)
    start = victim_client.get(BASE)
    text = page_text(start)
    html = start.get_data(as_text=True)
    # The warning, in plain words, before anything can be written: no form field on this page.
    assert "The defendant and their lawyers will see your statement." in text
    assert "may be read out in court" in text
    assert "Once your statement has been used, you cannot withdraw it." in text
    assert "What to leave out" in text
    assert "other people's personal details" in text
    assert "what sentence you think the defendant should get" in text
    assert "<textarea" not in html and 'type="file"' not in html
    assert f'href="{BASE}/write"' in html
    write_page = page_text(victim_client.get(f"{BASE}/write"))
    assert "Write your statement" in write_page
    assert "The defendant and their lawyers will see it." in write_page


def test_sending_makes_a_request_for_the_cps_and_deletes_the_draft(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    write(victim_client, TEXT, action="save")
    assert count(seeded, StatementDraft) == 1
    refused = post_form(victim_client, f"{BASE}/check", {}, page=f"{BASE}/write")
    assert refused.headers["Location"].endswith(f"{BASE}/read-aloud")  # no answer yet: asked first
    assert write(victim_client, TEXT).status_code == 302
    no_choice = post_form(victim_client, f"{BASE}/read-aloud", {})
    assert "Select whether you want to read your statement out in court" in page_text(no_choice)
    post_form(victim_client, f"{BASE}/read-aloud", {"choice": "someone-else"})
    check = victim_client.get(f"{BASE}/check")
    assert "Since the assault I have not been able to sleep." in page_text(check)
    assert "I want someone to read it out for me" in page_text(check)
    undeclared = post_form(victim_client, f"{BASE}/check", {})
    assert undeclared.status_code == 200
    assert "Confirm that you understand who will see your statement" in page_text(undeclared)
    assert statements(seeded) == []
    reference = send(victim_client, choice="someone-else")
    [sent] = statements(seeded)
    assert sent.reference == reference
    assert (sent.kind, sent.agency, sent.status, sent.victim_id) == (
        "statement",
        "cps",
        "received",
        demo_victim_id(seeded),
    )
    assert sent.answers["text"] == TEXT
    assert sent.answers["read_aloud"] == "someone-else"
    assert sent.answers["version"] == 1 and sent.answers["document"] is None
    assert sent.acknowledge_by is not None
    assert count(seeded, StatementDraft) == 0
    shown = page_text(victim_client.get(f"/cases/{DEMO_CASE_URN}/requests/{reference}"))
    assert "Your statement Since the assault I have not been able to sleep." in shown
    assert count(seeded, VictimRequestEvent, VictimRequestEvent.request_id == sent.id) == 1
    # The draft is gone: the check page cannot send the same statement twice.
    assert victim_client.get(f"{BASE}/check").headers["Location"].endswith(f"{BASE}/write")


def test_a_sent_statement_is_never_changed_an_update_is_version_2(
    seeded: Flask, victim_client: FlaskClient
) -> None:
    first_reference = send(victim_client)
    start = page_text(victim_client.get(BASE))
    assert "Version 1, sent" in start and first_reference in start
    assert "you will send a new version" in start
    # The writing box starts from the statement sent, to change or add to.
    assert "I had to stop working for two months." in victim_client.get(f"{BASE}/write").get_data(
        as_text=True
    )
    write(victim_client, TEXT)
    post_form(victim_client, f"{BASE}/read-aloud", {"choice": "myself"})
    check = page_text(victim_client.get(f"{BASE}/check"))
    assert "This will be version 2 of your statement. The version you sent on" in check
    assert f"(reference {first_reference}) will not change." in check
    second_reference = send(victim_client, TEXT + "\nI still feel unsafe going out alone.")
    first, second = statements(seeded)
    assert (first.reference, second.reference) == (first_reference, second_reference)
    assert first.answers["text"] == TEXT and first.answers["version"] == 1
    assert second.answers["version"] == 2 and second.supersedes_id == first.id
    assert second.answers["text"].endswith("I still feel unsafe going out alone.")


def test_the_draft_survives_the_session_timing_out_and_signing_out(
    seeded: Flask, client: FlaskClient
) -> None:
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(client, VICTIM)
        saved = write(client, TEXT, action="save")
        assert saved.headers["Location"].endswith(f"{BASE}/saved")
        assert "It is kept until you send it, even if you sign out." in page_text(client.get(f"{BASE}/saved"))
        traveller.shift(timedelta(hours=2))
        assert client.get(f"{BASE}/write").headers["Location"].endswith("/timed-out")
        sign_in(client, VICTIM)
        assert "I had to stop working for two months." in client.get(f"{BASE}/write").get_data(as_text=True)
        # "Continue" keeps it too, and signing out does not delete it.
        write(client, TEXT + "\nSecond paragraph.")
        assert post_form(client, "/sign-out", {}, page="/cases").status_code == 302
        assert "/sign-in" in client.get(f"{BASE}/write").headers["Location"]
        sign_in(client, VICTIM)
        assert "Second paragraph." in client.get(f"{BASE}/write").get_data(as_text=True)
    assert count(seeded, StatementDraft) == 1


def test_too_long_a_statement_is_kept_but_cannot_be_sent(seeded: Flask, victim_client: FlaskClient) -> None:
    long_text = "a" * 20_001
    refused = write(victim_client, long_text)
    assert refused.status_code == 200
    assert "Your statement must be 20,000 characters or fewer" in page_text(refused)
    assert long_text in refused.get_data(as_text=True)
    assert victim_client.get(f"{BASE}/read-aloud").headers["Location"].endswith(f"{BASE}/write")
    assert write(victim_client, "a" * 20_000).headers["Location"].endswith(f"{BASE}/read-aloud")


def test_nothing_written_nor_uploaded_is_refused(victim_client: FlaskClient) -> None:
    refused = write(victim_client, "   ")
    assert "Write your statement or upload a document" in page_text(refused)
    assert 'href="#statement"' in refused.get_data(as_text=True)  # the error summary links to the box


@pytest.mark.parametrize("typed", ["Bell\x07", "Escape\x1b[31m"])
def test_hidden_characters_are_refused_and_the_text_kept(
    seeded: Flask, victim_client: FlaskClient, typed: str
) -> None:
    refused = write(victim_client, typed)
    assert refused.status_code == 200
    assert "Your statement must not include hidden characters" in page_text(refused)
