"""Finding 11 of the security review (issue 14): an invitation link alone proved who the person was.

A victim who already had an account (or anyone signed in as a victim) could open an invitation link and
move the invited case onto their account with one button. Now a case joins an existing account only
after a code sent to where the invitation went (the invitation records the channel and the address or
number), and the account's other channels are told, discreetly. The set-up pages counted wrong codes in
the session cookie, so a replayed cookie gave new tries: wrong codes now count on the invitation (it
ends after 5) and on the account's lockout. Every test here failed on the code before the fix.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import AuditEvent, Invitation, User
from portal.services.accounts import invitations
from tests.support.builders import create_case, create_preferences_version, create_victim
from tests.support.demo import VICTIM
from tests.support.outbox import latest_code, latest_link, messages
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import NEW_PASSWORD, signed_in

NEW_URN = "01CD3333326"  # the case the new person record (Nia Newperson) is added to, "Harassment"
INVITED_PHONE = "+447700900456"  # where the invitation went (by text message), as Notify takes it
INVITED_EMAIL = "new.victim@demo.example"
VICTIM_PHONE = "07700900123"  # the demo victim's own phone number


def _not(code: str) -> str:
    """A well-formed code that is certainly not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


def _cases_page(client: FlaskClient) -> str:
    return page_text(client.get("/cases"), markup=True)


def _invitation(app: Flask) -> Invitation:
    with app.app_context(), db.job() as session:
        invitation = session.scalars(select(Invitation).order_by(Invitation.id.desc())).first()
        assert invitation is not None
        session.expunge(invitation)
        return invitation


def _user(app: Flask, email: str) -> User:
    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        session.expunge(user)
        return user


def _invite_the_demo_victim_by_text(app: Flask) -> str:
    """The agency adds the demo victim to a new case as a new person record, reachable by text message
    only (a number the account does not use). Returns the invitation link."""
    create_invited_victim(app, email=None, phone="07700900456", safe_channels=("sms",))
    sent = messages(app, "invitation:")
    assert [(m.channel, m.recipient) for m in sent] == [("sms", INVITED_PHONE)]
    return latest_link(app, "/invitation/")


def _start_adding(client: FlaskClient, link: str) -> Any:
    """Signed in, open the link and press the button on the "Add a case" page."""
    limiter.reset()
    opened = client.get(link)
    assert opened.headers["Location"].endswith("/invitation/add-case")
    return post_form(client, "/invitation/add-case")


def _enter_add_case_code(client: FlaskClient, code: str) -> Any:
    limiter.reset()
    return post_form(client, "/invitation/add-case/confirm-code", {"code": code})


@pytest.mark.security(1)
def test_finding11_a_case_joins_an_existing_account_only_after_a_code_sent_to_the_invited_channel(
    seeded: Flask,
) -> None:
    link = _invite_the_demo_victim_by_text(seeded)
    client = signed_in(seeded, VICTIM)
    started = _start_adding(client, link)
    # The button sends a code to where the invitation went; the case is not on the account yet.
    assert started.status_code == 302
    assert started.headers["Location"].endswith("/invitation/add-case/confirm-code")
    assert NEW_URN not in _cases_page(client)
    code = latest_code(seeded, "security-code:", to=INVITED_PHONE)
    page = page_text(client.get("/invitation/add-case/confirm-code"))
    assert "ending in 456" in page
    wrong = _enter_add_case_code(client, _not(code))
    assert wrong.status_code == 200
    assert "The security code is wrong" in page_text(wrong)
    assert NEW_URN not in _cases_page(client)
    # The code sent to the invited phone adds the case.
    done = _enter_add_case_code(client, code)
    assert done.status_code == 302 and done.headers["Location"].endswith("/cases")
    body = _cases_page(client)
    assert NEW_URN in body and "Harassment" in body
    # The link is used up.
    assert seeded.test_client().get(link).status_code == 404


@pytest.mark.security(1)
def test_finding11_pressing_the_button_alone_adds_nothing(seeded: Flask) -> None:
    """Someone signed in who has the link but not the invited phone (the link was read over the victim's
    shoulder) cannot take the case: no code, no case, whatever they post."""
    link = _invite_the_demo_victim_by_text(seeded)
    client = signed_in(seeded, VICTIM)
    _start_adding(client, link)
    # Posting the old one-step form again, or an empty code, adds nothing.
    post_form(client, "/invitation/add-case")
    limiter.reset()
    page = client.get("/invitation/add-case/confirm-code")
    client.post(
        "/invitation/add-case/confirm-code", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert NEW_URN not in _cases_page(client)
    assert _invitation(seeded).used_at is None


@pytest.mark.security(1)
def test_finding11_an_invitation_by_email_needs_the_code_sent_to_that_address(seeded: Flask) -> None:
    """The invitation went to an email address the account does not use: the code goes there, not to the
    account's own address."""
    create_invited_victim(seeded, email=INVITED_EMAIL, phone=None, safe_channels=("email",))
    link = latest_link(seeded, "/invitation/")
    client = signed_in(seeded, VICTIM)
    sent_before = len(messages(seeded, "security-code:"))
    _start_adding(client, link)
    sent = messages(seeded, "security-code:")[sent_before:]
    assert [(m.channel, m.recipient) for m in sent] == [("email", INVITED_EMAIL)]
    assert NEW_URN not in _cases_page(client)
    _enter_add_case_code(client, latest_code(seeded, "security-code:", to=INVITED_EMAIL))
    assert NEW_URN in _cases_page(client)


@pytest.mark.security(1)
def test_finding11_a_case_invited_by_letter_is_not_added_online(seeded: Flask) -> None:
    """No code can go by letter: the page says to contact the people who invited them, and nothing is
    added."""
    with seeded.app_context(), db.job() as session:
        case = create_case(session, NEW_URN, offence="Harassment")
        victim = create_victim(
            session,
            "Lee",
            "Letter",
            case=case,
            address_line_1="3 Demo Road",
            address_town="Exampletown",
            postcode="EX1 2BB",
        )
        create_preferences_version(session, victim, {"channels": ["letter"], "safe": {"letter": True}})
        invitations.invite_victim(session, victim, invited_by_label="Police (test)", case=case)
    link = latest_link(seeded, "/invitation/")
    client = signed_in(seeded, VICTIM)
    limiter.reset()
    assert client.get(link).headers["Location"].endswith("/invitation/add-case")
    page = client.get("/invitation/add-case")
    assert "We cannot add this case online" in page_text(page)
    assert "Send a security code" not in page_text(page)
    token = csrf_from(client.get("/account").get_data(as_text=True))
    client.post("/invitation/add-case", data={"csrf_token": token})
    assert NEW_URN not in _cases_page(client)
    assert messages(seeded, "security-code:")[-1].recipient == VICTIM  # only the sign-in code


@pytest.mark.security(22)
def test_finding11_the_accounts_other_channels_are_told(seeded: Flask) -> None:
    link = _invite_the_demo_victim_by_text(seeded)
    # The account gets its codes by text message to its own phone: both its email and that phone are told.
    with seeded.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == VICTIM))
        assert user is not None
        user.mfa_method = "sms"
    client = signed_in(seeded, VICTIM)
    _start_adding(client, link)
    assert messages(seeded, "case-added:") == []  # nothing until the case is added
    assert (
        _enter_add_case_code(client, latest_code(seeded, "security-code:", to=INVITED_PHONE)).status_code
        == 302
    )
    told = messages(seeded, "case-added:")
    assert sorted((m.channel, m.recipient) for m in told) == [("email", VICTIM), ("sms", VICTIM_PHONE)]
    for message in told:
        text = f"{message.subject or ''} {message.body}"
        assert "Something was added to your GOV.UK account" in text
        assert "If this was not you, contact" in text
        # Discreet: no offence, no URN, no agency, no name, not where the code went.
        for word in (
            "Harassment",
            NEW_URN,
            "Police",
            "police",
            "Nia",
            "Newperson",
            "Sam",
            "Sample",
            INVITED_PHONE,
            INVITED_PHONE[-3:],
            "victim",
            "crime",
            "offence",
            "case",
        ):
            assert word not in text, word


@pytest.mark.security(22)
def test_finding11_the_invited_channel_itself_is_not_told_again(seeded: Flask) -> None:
    """The invitation went to the account's own sign-in email (the demo victim's address): that address
    just received the code, so only the other channel (the SMS second factor) is told."""
    create_invited_victim(seeded, email=VICTIM, phone=None, safe_channels=("email",))
    link = latest_link(seeded, "/invitation/")
    with seeded.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == VICTIM))
        assert user is not None
        user.mfa_method = "sms"
    client = signed_in(seeded, VICTIM)
    _start_adding(client, link)
    assert _enter_add_case_code(client, latest_code(seeded, "security-code:", to=VICTIM)).status_code == 302
    assert [(m.channel, m.recipient) for m in messages(seeded, "case-added:")] == [("sms", VICTIM_PHONE)]


# --- Wrong codes count on the server ---------------------------------------------------------------


def _to_the_set_up_code(app: Flask) -> tuple[FlaskClient, str]:
    """A new victim's invitation, up to the page that asks for the code sent by email; the client and
    the right code."""
    create_invited_victim(app)
    client = app.test_client()
    limiter.reset()
    assert client.get(latest_link(app, "/invitation/")).status_code == 302
    post_form(client, "/create-account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    chosen = post_form(client, "/create-account/security-codes", {"method": "email"})
    assert chosen.headers["Location"].endswith("/create-account/confirm-code")
    return client, latest_code(app, "security-code:", to=INVITED_EMAIL)


def _enter_set_up_code(client: FlaskClient, code: str) -> Any:
    limiter.reset()
    return post_form(client, "/create-account/confirm-code", {"code": code})


@pytest.mark.security(4)
def test_finding11_wrong_set_up_codes_count_on_the_server(seeded: Flask) -> None:
    client, code = _to_the_set_up_code(seeded)
    cookie_name = seeded.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(cookie_name)
    assert before is not None
    # Five wrong codes, each from the cookie the browser had before the first: no new tries.
    for _ in range(5):
        client.set_cookie(cookie_name, before.value)
        _enter_set_up_code(client, _not(code))
    # The old cookie with the right code: refused, and the link is dead.
    client.set_cookie(cookie_name, before.value)
    limiter.reset()
    token = csrf_from(client.get("/sign-in").get_data(as_text=True))
    replayed = client.post("/create-account/confirm-code", data={"csrf_token": token, "code": code})
    assert replayed.status_code == 404, "the old cookie got another try"
    assert _user(seeded, INVITED_EMAIL).mfa_method is None
    page = client.get("/create-account/confirm-code")
    assert page.status_code == 404 and "This link does not work" in page_text(page)
    assert seeded.test_client().get(latest_link(seeded, "/invitation/")).status_code == 404
    # Counted on the invitation (it ended at 5) and on the account being made.
    invitation = _invitation(seeded)
    assert invitation.failed_codes == 5 and invitation.cancelled_at is not None
    assert _user(seeded, INVITED_EMAIL).failed_sign_ins == 5
    with seeded.app_context():
        failures = db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.action == "second-factor-failed")
        ).all()
        assert len(failures) == 5


@pytest.mark.security(4)
def test_finding11_a_right_set_up_code_within_the_limit_still_works(seeded: Flask) -> None:
    client, code = _to_the_set_up_code(seeded)
    for _ in range(4):
        wrong = _enter_set_up_code(client, _not(code))
        assert "The security code is wrong" in page_text(wrong)
    assert _invitation(seeded).failed_codes == 4
    done = _enter_set_up_code(client, code)
    assert done.status_code == 302 and "/exit-this-page-explained" in done.headers["Location"]
    user = _user(seeded, INVITED_EMAIL)
    assert user.mfa_method == "email" and user.failed_sign_ins == 0


@pytest.mark.security(4)
def test_finding11_wrong_add_case_codes_count_on_the_invitation_and_the_account(seeded: Flask) -> None:
    link = _invite_the_demo_victim_by_text(seeded)
    client = signed_in(seeded, VICTIM)
    _start_adding(client, link)
    code = latest_code(seeded, "security-code:", to=INVITED_PHONE)
    cookie_name = seeded.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(cookie_name)
    assert before is not None
    for _ in range(5):
        client.set_cookie(cookie_name, before.value)
        _enter_add_case_code(client, _not(code))
    invitation = _invitation(seeded)
    assert invitation.failed_codes == 5 and invitation.cancelled_at is not None
    assert _user(seeded, VICTIM).failed_sign_ins == 5
    client.set_cookie(cookie_name, before.value)
    limiter.reset()
    assert client.get("/invitation/add-case/confirm-code").status_code == 404
    token = csrf_from(client.get("/account").get_data(as_text=True))
    client.post("/invitation/add-case/confirm-code", data={"csrf_token": token, "code": code})
    assert NEW_URN not in _cases_page(client)
    assert messages(seeded, "case-added:") == []
