"""Finding 4 of the security review (issue 14): answers in progress ("preference drafts") are kept on the
server, not in the session cookie. The cookie is signed but not encrypted: anyone who can read it (the
device, a proxy log, a browser extension) could read the email address, phone number and address a
victim is typing. Only an opaque random id is in the cookie; the draft itself is a row of its own,
usable only by the user who started it, and gone at sign-out, at sign-out everywhere, when the answers
are saved or cancelled, and when the session would have timed out.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db
from portal.models import PreferenceDraft, PreferenceVersion
from portal.services.accounts import sessions
from portal.services.preferences import drafts
from tests.support.demo import DEMO_PASSWORD, VICTIM, demo_victim_id
from tests.support.pages import page_text, post_form
from tests.support.records import count, user_by_email
from tests.support.scenarios import create_other_unit
from tests.support.signing_in import decoded_session, sign_in, signed_in

pytestmark = pytest.mark.security(6)

BASE = "/preferences/contact"
EMAIL = "pat.draft@example.com"
PHONE = "07700 900 982"
LINE_1 = "14 Draft Lane"
TOWN = "Secretville"
POSTCODE = "SW1A 2AA"
#: How each value could show up in the cookie: as typed, normalised, or in part.
SECRETS = (
    EMAIL, "pat.draft", PHONE, "07700900982", "+447700900982", "7700900982",
    "900982", "900 982", LINE_1, "Draft Lane", TOWN, POSTCODE, "SW1A",
)  # fmt: skip


def answer(client: FlaskClient, step: str, value: Any) -> Any:
    return post_form(client, f"{BASE}/{step}", {"answer": value})


def enter_contact_details(client: FlaskClient) -> None:
    """Through the question pages: ways to contact, order, email, phone and address."""
    assert answer(client, "channels", ["email", "sms", "letter"]).status_code == 302
    assert (
        post_form(client, f"{BASE}/order", {"choice": "email"})
        .headers["Location"]
        .endswith(f"{BASE}/order-next")
    )
    post_form(client, f"{BASE}/order-next", {"choice": "sms"})
    confirm = client.get(f"{BASE}/email")
    assert "/account/confirm-password" in confirm.headers["Location"]
    post_form(client, confirm.headers["Location"], {"password": DEMO_PASSWORD})
    assert answer(client, "email", EMAIL).headers["Location"].endswith(f"{BASE}/verify-email")
    skip_code(client, "verify-email")
    assert answer(client, "phone", PHONE).headers["Location"].endswith(f"{BASE}/verify-phone")
    skip_code(client, "verify-phone")
    address = post_form(
        client, f"{BASE}/address", {"line_1": LINE_1, "line_2": "", "town": TOWN, "postcode": POSTCODE}
    )
    assert address.status_code == 302, page_text(address)


def skip_code(client: FlaskClient, step: str) -> None:
    """ "Carry on without confirming" on a security-code page."""
    page = client.get(f"{BASE}/{step}").get_data(as_text=True)
    token = page.split('name="action-csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(f"{BASE}/{step}", data={"action-csrf_token": token, "action": "skip"})


def test_finding4_no_contact_details_in_the_session_cookie(seeded: Flask, client: FlaskClient) -> None:
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    enter_contact_details(client)
    # The answers are kept (the address page shows them again)...
    again = page_text(client.get(f"{BASE}/address"), markup=True)
    assert LINE_1 in again and POSTCODE in again
    # ...but not in the cookie, in any form.
    readable = json.dumps(decoded_session(seeded, client), default=str)
    found = [value for value in SECRETS if value.lower() in readable.lower()]
    assert found == [], f"contact details readable in the session cookie: {found}"


# --- Helpers reading the drafts back -------------------------------------------------------------


def draft_token(client: FlaskClient) -> str | None:
    with client.session_transaction() as cookie:
        token = cookie.get("preference_draft")
    return None if token is None else str(token)


def drafts_of(app: Flask, email: str) -> list[dict[str, Any]]:
    """The documents of this user's draft rows."""
    user_id = user_by_email(app, email).id
    with app.app_context(), db.job() as session:
        rows = session.scalars(select(PreferenceDraft).where(PreferenceDraft.user_id == user_id)).all()
        return [dict(row.document) for row in rows]


def start_a_draft(client: FlaskClient) -> None:
    """Pat answers the first questions: an email address is in the draft."""
    answer(client, "channels", ["email"])
    confirm = client.get(f"{BASE}/email")
    post_form(client, confirm.headers["Location"], {"password": DEMO_PASSWORD})
    assert answer(client, "email", EMAIL).status_code == 302


@pytest.fixture
def pat(seeded: Flask, client: FlaskClient) -> FlaskClient:
    """Pat (a victim with no preferences yet), signed in."""
    create_other_unit(seeded)
    sign_in(client, "pat@demo.example")
    return client


# --- The draft on the server ---------------------------------------------------------------------


def test_the_cookie_holds_only_an_opaque_token_and_the_table_only_its_digest(
    seeded: Flask, pat: FlaskClient
) -> None:
    start_a_draft(pat)
    token = draft_token(pat)
    assert token is not None and len(token) >= 43  # 32 random bytes, url-safe
    with seeded.app_context(), db.job() as session:
        [row] = session.scalars(select(PreferenceDraft)).all()
        assert row.id == hashlib.sha256(token.encode()).hexdigest() and token not in row.id
        assert row.document["contact"]["doc"]["email"] == EMAIL


def test_opening_the_pages_stores_nothing_until_something_is_answered(
    seeded: Flask, pat: FlaskClient
) -> None:
    assert pat.get(f"{BASE}/start").headers["Location"].endswith(f"{BASE}/channels")
    assert pat.get(f"{BASE}/channels").status_code == 200
    assert pat.get(f"{BASE}/check").status_code == 302
    assert count(seeded, PreferenceDraft) == 0 and draft_token(pat) is None
    answer(pat, "channels", ["letter"])
    assert count(seeded, PreferenceDraft) == 1


def test_the_draft_survives_across_pages_and_requests(seeded: Flask, pat: FlaskClient) -> None:
    enter_contact_details(pat)
    token = draft_token(pat)
    for step in ("safe-email", "safe-sms", "safe-letter"):
        answer(pat, step, "yes")
    for step in ("wording-email", "wording-sms", "wording-letter"):
        answer(pat, step, "no")
    answer(pat, "safe-days", ["mon", "wed"])
    post_form(pat, f"{BASE}/safe-times", {"safe_from": "10:00", "safe_to": "16:00"})
    answer(pat, "urgent-any-time", "no")
    post_form(pat, f"{BASE}/alternative", {})
    answer(pat, "frequency", "every-update")
    assert answer(pat, "opt-outs", []).headers["Location"].endswith(f"{BASE}/check")
    assert draft_token(pat) == token  # one draft all the way through
    check = page_text(pat.get(f"{BASE}/check"))
    for expected in (EMAIL, "07700 900982", LINE_1, TOWN, POSTCODE, "Monday Wednesday", "10am to 4pm"):
        assert expected in check, expected
    assert count(seeded, PreferenceVersion) == 1  # nothing recorded for Pat yet (the demo victim's only)
    # Another section's draft is kept beside this one, under the same token.
    post_form(pat, "/preferences/needs/language", {"answer": "cy"})
    assert draft_token(pat) == token
    [document] = drafts_of(seeded, "pat@demo.example")
    assert set(document) == {"contact", "needs"}


def test_saving_the_answers_deletes_the_draft(seeded: Flask, pat: FlaskClient) -> None:
    answer(pat, "channels", ["officer-only"])
    confirm = pat.get(f"{BASE}/phone")
    post_form(pat, confirm.headers["Location"], {"password": DEMO_PASSWORD})
    post_form(pat, f"{BASE}/phone", {"answer": "020 7946 0000"})
    answer(pat, "safe-days", ["sat"])
    post_form(pat, f"{BASE}/safe-times", {"safe_from": "10:00", "safe_to": "12:00"})
    post_form(pat, f"{BASE}/alternative", {})
    answer(pat, "frequency", "every-update")
    answer(pat, "opt-outs", [])
    post_form(pat, "/preferences/needs/language", {"answer": "en"})
    assert post_form(pat, f"{BASE}/check", {}).headers["Location"].endswith(f"{BASE}/confirmation")
    # The contact section's draft is gone; the needs section's is still in progress.
    [document] = drafts_of(seeded, "pat@demo.example")
    assert set(document) == {"needs"}
    post_form(pat, "/preferences/needs/cancel", {}, page="/preferences/needs/language")
    assert drafts_of(seeded, "pat@demo.example") == [] and draft_token(pat) is None


def test_cancelling_deletes_the_draft(seeded: Flask, pat: FlaskClient) -> None:
    start_a_draft(pat)
    assert count(seeded, PreferenceDraft) == 1
    post_form(pat, f"{BASE}/cancel", {}, page=f"{BASE}/email")
    assert count(seeded, PreferenceDraft) == 0 and draft_token(pat) is None
    assert EMAIL not in page_text(pat.get(f"{BASE}/email"), markup=True)


def test_another_users_draft_id_gives_nothing(seeded: Flask, pat: FlaskClient) -> None:
    start_a_draft(pat)
    pats_token = draft_token(pat)
    sam = signed_in(seeded, VICTIM)
    with sam.session_transaction() as cookie:
        cookie["preference_draft"] = pats_token  # Pat's draft id in Sam's cookie
    assert EMAIL not in page_text(sam.get(f"{BASE}/email"), markup=True)
    assert EMAIL not in page_text(sam.get(f"{BASE}/check"), markup=True)
    # Answering starts Sam's own draft under a new id; Pat's is untouched and still Pat's.
    post_form(sam, "/preferences/needs/language", {"answer": "cy"})
    assert draft_token(sam) not in (None, pats_token)
    [pats] = drafts_of(seeded, "pat@demo.example")
    assert set(pats) == {"contact"} and pats["contact"]["doc"]["email"] == EMAIL
    # Cancelling with Pat's id in the cookie does not delete Pat's draft either.
    with sam.session_transaction() as cookie:
        cookie["preference_draft"] = pats_token
    post_form(sam, f"{BASE}/cancel", {}, page=f"{BASE}/channels")
    assert len(drafts_of(seeded, "pat@demo.example")) == 1
    assert EMAIL in page_text(pat.get(f"{BASE}/email"), markup=True)
    # The service itself: the right token for the wrong user or victim gives nothing.
    assert pats_token is not None
    sam_user = user_by_email(seeded, VICTIM)
    with seeded.app_context(), db.job() as session:
        far = datetime.now(UTC) + timedelta(minutes=30)
        assert (
            drafts.load(
                session, pats_token, user_id=sam_user.id, victim_id=demo_victim_id(seeded), expires_at=far
            )
            == {}
        )
        pat_user = user_by_email(seeded, "pat@demo.example")
        assert (
            drafts.load(
                session, pats_token, user_id=pat_user.id, victim_id=demo_victim_id(seeded), expires_at=far
            )
            == {}
        )
        assert drafts.load(
            session, pats_token, user_id=pat_user.id, victim_id=str(pat_user.victim_id), expires_at=far
        )


@pytest.mark.parametrize(
    ("how", "url", "page"),
    [
        ("sign-out", "/sign-out", "/cases"),
        ("quick exit", "/sign-out/quick", "/cases"),
        ("sign out everywhere", "/account/sign-out-everywhere", None),
    ],
)
def test_signing_out_deletes_the_draft(
    seeded: Flask, pat: FlaskClient, how: str, url: str, page: str | None
) -> None:
    start_a_draft(pat)
    other_device = signed_in(seeded, "pat@demo.example")
    post_form(other_device, "/preferences/needs/language", {"answer": "cy"})
    assert count(seeded, PreferenceDraft) == 2
    assert post_form(pat, url, {}, page=page).status_code in (204, 302), how
    assert count(seeded, PreferenceDraft) == 0  # every session ended, every draft with it


def test_an_officer_signing_the_victim_out_everywhere_deletes_the_draft(
    seeded: Flask, pat: FlaskClient
) -> None:
    start_a_draft(pat)
    officer = signed_in(seeded, "other.officer@demo.example")
    victim_id = user_by_email(seeded, "pat@demo.example").victim_id
    account = f"/staff/victims/{victim_id}/account"
    assert (
        post_form(officer, f"/staff/victims/{victim_id}/sign-out-everywhere", page=account).status_code == 302
    )
    assert count(seeded, PreferenceDraft) == 0


def test_the_draft_ends_with_the_sessions_idle_time_out(seeded: Flask, client: FlaskClient) -> None:
    create_other_unit(seeded)
    needs = "/preferences/needs"
    with time_machine.travel(datetime.now(UTC), tick=True) as traveller:
        sign_in(client, "pat@demo.example")
        post_form(client, f"{needs}/interpreter", {"answer": "yes"})
        post_form(client, f"{needs}/interpreter-language", {"answer": "Tigrinya"})
        for _ in range(3):  # using the draft keeps it as long as the session
            traveller.shift(timedelta(minutes=25))
            assert 'value="Tigrinya"' in client.get(f"{needs}/interpreter-language").get_data(as_text=True)
        with seeded.app_context(), db.job() as session:
            [row] = session.scalars(select(PreferenceDraft)).all()
            assert row.expires_at > datetime.now(UTC) + timedelta(minutes=29)
        traveller.shift(timedelta(minutes=31))
        assert client.get(f"{needs}/interpreter-language").headers["Location"].endswith("/timed-out")
        assert count(seeded, PreferenceDraft) == 0  # deleted as the session timed out


def test_the_draft_never_outlives_the_sessions_absolute_limit(seeded: Flask, pat: FlaskClient) -> None:
    with pat.session_transaction() as cookie:
        started = int(cookie[sessions.STARTED])
        cookie[sessions.STARTED] = started - (12 * 60 * 60 - 5 * 60)  # 5 minutes of the 12 hours left
    start_a_draft(pat)
    with seeded.app_context(), db.job() as session:
        [row] = session.scalars(select(PreferenceDraft)).all()
        assert row.expires_at <= datetime.fromtimestamp(started + 5 * 60 + 5, UTC)


def test_an_expired_draft_is_unusable_and_purged(seeded: Flask, pat: FlaskClient) -> None:
    start_a_draft(pat)
    token = draft_token(pat)
    pat_user = user_by_email(seeded, "pat@demo.example")
    with seeded.app_context(), db.job() as session:
        for row in session.scalars(select(PreferenceDraft)):
            row.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    with seeded.app_context(), db.job() as session:
        later = datetime.now(UTC) + timedelta(minutes=30)
        victim_id = str(pat_user.victim_id)
        assert drafts.load(session, token, user_id=pat_user.id, victim_id=victim_id, expires_at=later) == {}
        session.rollback()  # keep the row: the command below removes it
    result = seeded.test_cli_runner().invoke(args=["drafts", "purge"])
    assert result.exit_code == 0 and "Deleted 1 expired preference draft(s)." in result.output
    assert count(seeded, PreferenceDraft) == 0
    # The page starts again from what is recorded (nothing, for Pat).
    assert EMAIL not in page_text(pat.get(f"{BASE}/email"), markup=True)


def test_a_draft_left_in_an_old_cookie_is_dropped(seeded: Flask, pat: FlaskClient) -> None:
    with pat.session_transaction() as cookie:
        cookie["preference_drafts"] = {"contact": {"doc": {"email": EMAIL}, "base": {}, "answered": []}}
    pat.get(f"{BASE}/start")
    assert "preference_drafts" not in decoded_session(seeded, pat)
