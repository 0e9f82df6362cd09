"""Finding 4 of the security review (issue 14), for "Ask someone to help you": the answers in progress
(whom the victim is asking, by their work email address, what they may do and until when) are kept on
the server like the preferences pages' answers, never in the session cookie, which is signed but not
encrypted: anyone holding it (the device, a proxy's log, an extension) could read it. A victim hiding
from an abuser would not want "Support@Demo.Example may see my updates" readable in a cookie."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Delegation, PreferenceDraft
from portal.services.delegation.rules import today_in_london
from tests.support.pages import page_text, post_form
from tests.support.records import count
from tests.support.signing_in import decoded_session, signed_in

pytestmark = pytest.mark.security(6)

NEW = "/people-helping-you/new"
WORKER_EMAIL = "support@demo.example"


def _answer_every_question(sam) -> None:  # type: ignore[no-untyped-def]
    assert post_form(sam, f"{NEW}/who", {"kind": "person"}).headers["Location"].endswith(f"{NEW}/email")
    assert post_form(sam, f"{NEW}/email", {"email": WORKER_EMAIL}).headers["Location"].endswith(f"{NEW}/what")
    assert post_form(sam, f"{NEW}/what", {"scopes": ["see-updates", "receive-copies"]}).status_code == 302
    last_day = today_in_london() + timedelta(days=40)
    until = {
        "ends-on-day": str(last_day.day),
        "ends-on-month": str(last_day.month),
        "ends-on-year": str(last_day.year),
    }
    assert post_form(sam, f"{NEW}/until", until).headers["Location"].endswith(f"{NEW}/check")


def test_finding4_no_delegation_answers_in_the_session_cookie(seeded: Flask) -> None:
    sam = signed_in(seeded, "victim@demo.example")
    delegations_before = count(seeded, Delegation)
    sam.get(NEW)
    _answer_every_question(sam)

    readable = json.dumps(decoded_session(seeded, sam)).lower()
    for secret in (WORKER_EMAIL, "support@", "see-updates", "receive-copies", '"person"'):
        assert secret not in readable, f"{secret!r} is readable in the session cookie"
    # The answers are on the server, and the check page still shows them on the next request.
    with seeded.app_context(), db.job() as session:
        stored = [row.document for row in session.scalars(select(PreferenceDraft))]
    assert len(stored) == 1 and stored[0]["delegation"]["email"] == WORKER_EMAIL
    check = page_text(sam.get(f"{NEW}/check"))
    assert "Sunny Supporter (Demo Victim Support)" in check

    # Sending the request deletes the draft.
    assert post_form(sam, f"{NEW}/check", {}).headers["Location"].endswith(f"{NEW}/confirmation")
    assert count(seeded, Delegation) == delegations_before + 1
    assert count(seeded, PreferenceDraft) == 0


def test_signing_out_deletes_the_delegation_draft(seeded: Flask) -> None:
    sam = signed_in(seeded, "victim@demo.example")
    _answer_every_question(sam)
    assert count(seeded, PreferenceDraft) == 1
    post_form(sam, "/sign-out", {}, page="/cases")
    assert count(seeded, PreferenceDraft) == 0


def test_starting_again_forgets_the_earlier_answers(seeded: Flask) -> None:
    sam = signed_in(seeded, "victim@demo.example")
    _answer_every_question(sam)
    assert sam.get(NEW).headers["Location"].endswith(f"{NEW}/who")
    # Nothing answered any more: the check page sends the victim back to the first question.
    assert sam.get(f"{NEW}/check").headers["Location"].endswith(f"{NEW}/who")
    assert count(seeded, PreferenceDraft) == 0


def test_a_draft_left_in_an_old_cookie_is_dropped(seeded: Flask) -> None:
    sam = signed_in(seeded, "victim@demo.example")
    with sam.session_transaction() as flask_session:
        flask_session["delegation_draft"] = {"kind": "person", "email": WORKER_EMAIL, "answered": ["who"]}
    sam.get(f"{NEW}/who")
    assert "delegation_draft" not in decoded_session(seeded, sam)
