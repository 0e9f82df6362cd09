"""A victim downloads their information (SECURITY.md 24): after entering their password again (a wrong one
counts towards the lockout like one at sign-in), as a readable web page and as JSON, with their cases,
updates, preferences and history, messages and who viewed their information, and nobody else's."""

from __future__ import annotations

import json

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Case, User
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.builders import (
    create_contact_point,
    create_preferences_version,
    create_update,
    create_victim,
)
from tests.support.demo import DEMO_PASSWORD, OFFICER, SUPPORT_WORKER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.signing_in import signed_in

pytestmark = pytest.mark.security(24)

START = "/account/your-information"
HTML = "/account/your-information/your-information.html"
JSON = "/account/your-information/your-information.json"
# Someone else on Sam's case, and what must never be in Sam's download.
NIA = {"given": "Nia", "family": "Otherperson", "email": "nia.other@example.com", "phone": "07700900999"}
NOT_SAMS = (
    "Otherperson",
    "nia.other@example.com",
    "07700900999",
    "A note for Nia alone",
    "sam.patel@example.police.uk",  # named contacts: staff phone numbers and emails
    "01632 960 201",
    "witness.care@example.police.uk",
    "jordan.ellis@example.probation.gov.uk",
    SUPPORT_WORKER,
    OFFICER,
)


@pytest.fixture
def two_victims(seeded: Flask) -> Flask:
    """Sam's assault case gets a second victim, Nia, with an update meant for her alone; an officer and
    the support worker look at Sam's information; Sam's preferences change once more."""
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        nia = create_victim(
            session, NIA["given"], NIA["family"], case=case, email=NIA["email"], phone=NIA["phone"]
        )
        nia_id = nia.id
    create_update(
        seeded,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id="NIA-ONLY-1",
        message="A note for Nia alone",
        victim_id=nia_id,
    )
    create_contact_point(seeded, nia_id, "email", NIA["email"])
    create_preferences_version(seeded, nia_id, {"channels": ["email"], "safe": {"email": True}})
    create_update(
        seeded,
        DEMO_CASE_URN,
        "investigation-update",
        agency="police",
        agency_event_id="BOTH-1",
        message="A note for everyone on the case",
    )  # announced to both: Sam's message is his, Nia's is not
    create_preferences_version(seeded, DEMO_VICTIM_ID, {"language": "cy"}, actor_label="Olive Officer")
    officer = signed_in(seeded, OFFICER)
    assert officer.get(f"/staff/victims/{DEMO_VICTIM_ID}/cases/{DEMO_CASE_URN}").status_code == 200
    return seeded


def in_english(client: FlaskClient) -> FlaskClient:
    """Sam chose Welsh (two_victims), so his pages are in Welsh: he reads them in English (the toggle)."""
    client.get("/language/en?next=/")
    return client


def _confirm(client: FlaskClient, password: str = DEMO_PASSWORD) -> object:
    return post_form(client, START, {"password": password})


def test_sec24_the_download_needs_the_password_again(two_victims: Flask) -> None:
    client = in_english(signed_in(two_victims, VICTIM))
    for path in (HTML, JSON, "/account/your-information/download"):
        response = client.get(path)
        assert response.status_code == 302 and response.headers["Location"].endswith(START), path
    wrong = _confirm(client, "not my password")
    assert wrong.status_code == 200
    assert "Your password is wrong" in page_text(wrong)
    with two_victims.app_context():
        user = db.session.scalar(select(User).where(User.email == VICTIM))
        assert user is not None and user.failed_sign_ins == 1  # counted like a wrong one at sign-in
    right = _confirm(client)
    assert right.status_code == 302 and right.headers["Location"].endswith("/download")
    page = client.get("/account/your-information/download")
    assert "Download your information as a web page (HTML)" in page_text(page)


def test_sec24_ten_wrong_passwords_lock_the_account_and_sign_out(two_victims: Flask) -> None:
    client = in_english(signed_in(two_victims, VICTIM))
    response = None
    for _ in range(10):
        response = _confirm(client, "still not my password")
    assert response is not None and response.status_code == 302
    assert client.get("/cases").status_code == 302  # signed out


def test_sec24_the_json_holds_everything_of_theirs_and_nobody_elses(two_victims: Flask) -> None:
    client = in_english(signed_in(two_victims, VICTIM))
    _confirm(client)
    response = client.get(JSON)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == 'attachment; filename="your-information.json"'
    text = response.get_data(as_text=True)
    info = json.loads(text)
    assert info["about_you"]["name"] == "Sam Sample"
    assert info["about_you"]["email"] == VICTIM
    references = [case["reference"] for case in info["cases"]]
    assert DEMO_CASE_URN in references and len(references) == 2
    assault = next(case for case in info["cases"] if case["reference"] == DEMO_CASE_URN)
    assert len(assault["updates"]) > 5
    assert all(update["what"] and update["happened_at"] for update in assault["updates"])
    history = info["preferences_and_needs"]["history"]
    assert len(history) >= 2 and info["preferences_and_needs"]["current"]["language"] == "cy"
    assert "witness care officer" in history[-1]["changed_by"] or "agency" in history[-1]["changed_by"]
    assert info["messages_sent_to_you"], "the demo victim has been sent messages"
    assert all(message["channel"] for message in info["messages_sent_to_you"])
    views = info["who_has_viewed_your_information"]
    assert any(view["role"] == "a witness care officer" for view in views)
    for other in NOT_SAMS:
        assert other not in text, other
    with two_victims.app_context():
        downloads = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == "information-downloaded")
        ).all()
    assert downloads == [{"role": "victim", "format": "json"}]


def test_sec24_the_web_page_is_readable_and_holds_nobody_elses(two_victims: Flask) -> None:
    client = in_english(signed_in(two_victims, VICTIM))
    _confirm(client)
    response = client.get(HTML)  # the checking client parses it: well formed, no None shown
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Content-Disposition"] == 'attachment; filename="your-information.html"'
    text = page_text(response)
    for heading in (
        "About you",
        "Your cases",
        "Your contact preferences and needs",
        "Messages we sent you",
        "Who has viewed your information",
    ):
        assert heading in text
    assert "Sam Sample" in text and DEMO_CASE_URN in text and "a witness care officer" in text
    for other in NOT_SAMS:
        assert other not in response.get_data(as_text=True), other


def test_only_a_victim_can_download(two_victims: Flask) -> None:
    for who in (OFFICER, SUPPORT_WORKER):
        client = signed_in(two_victims, who)
        for path in (START, HTML, JSON):
            assert client.get(path).status_code == 404, (who, path)
