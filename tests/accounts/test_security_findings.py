"""The four findings of the security review in issue 14, one section each: every test here failed on the
code before its fix.

1. Password reset's second factor could be guessed without limit (the count of wrong codes lived in the
   session cookie): wrong reset codes now count on the server, on the reset link and on the account.
5. Changing the second factor needed only the password: it now also needs the current factor, tells the
   old channel, ends the other sessions, binds each code to where it was sent and counts wrong codes.
7. Asking for a reset took longer for a real account: both answers now do the same work.
10. Authenticator app secrets were stored in plain text: they are now encrypted like API client secrets.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pyotp
import pytest
from alembic import command
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from notifications.outbox import OutboundMessage
from portal import migrate
from portal.extensions import db, limiter
from portal.models import AuditEvent, PasswordReset, User, Victim
from portal.services.accounts import password_reset
from tests.support.databases import empty_postgresql_database
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, OFFICER, VICTIM
from tests.support.outbox import latest_code, latest_link, messages
from tests.support.pages import csrf_from, page_text, post_form
from tests.support.signing_in import second_factor_code, sign_in, signed_in

VICTIM_PHONE = "07700900123"  # the demo victim's phone number; they get codes by email


def _user(app: Flask, email: str = VICTIM) -> User:
    with app.app_context(), db.job() as session:
        user = session.scalar(select(User).where(User.email == email))
        assert user is not None
        session.expunge(user)
        return user


def _not(code: str) -> str:
    """A well-formed code that is certainly not `code`."""
    return f"{(int(code) + 1) % 10**6:06d}"


def _refused_sign_in(client: FlaskClient) -> bool:
    limiter.reset()
    response = sign_in(client, VICTIM, DEMO_PASSWORD, second_factor=False)
    return response.status_code == 200 and "Enter a correct email address and password" in page_text(response)


# --- Finding 1: wrong password-reset codes count on the server ------------------------------------


def _ask_for_link(app: Flask) -> str:
    limiter.reset()
    post_form(app.test_client(), "/password-reset", {"email": VICTIM})
    return latest_link(app, "/password-reset/")


def _open_and_send_code(app: Flask, client: FlaskClient, link: str) -> str:
    """Open the reset link and have the code sent (the demo victim gets codes by email); the code."""
    limiter.reset()
    assert client.get(link).status_code == 302
    post_form(client, "/password-reset/send-code", {"resend-submit": "1"}, page="/password-reset/check")
    return latest_code(app, "security-code:")


def _enter_reset_code(client: FlaskClient, code: str) -> Any:
    limiter.reset()
    return post_form(client, "/password-reset/check", {"code": code}, page="/password-reset/check")


def _five_wrong_reset_codes(app: Flask, link: str) -> tuple[FlaskClient, str, str]:
    """Five wrong codes on this link from a new client; the client, the right code and the cookie the
    client had before the first wrong code."""
    client = app.test_client()
    code = _open_and_send_code(app, client, link)
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    before = client.get_cookie(cookie_name)
    assert before is not None
    for _ in range(5):
        _enter_reset_code(client, _not(code))
    return client, code, before.value


@pytest.mark.security(5)
def test_finding1_wrong_reset_codes_count_on_the_server(seeded: Flask) -> None:
    link = _ask_for_link(seeded)
    client, code, old_cookie = _five_wrong_reset_codes(seeded, link)
    # The cookie from before the wrong codes, replayed, with the right code: refused.
    client.set_cookie(seeded.config["SESSION_COOKIE_NAME"], old_cookie)
    limiter.reset()
    page = client.get("/password-reset/check")
    if page.status_code == 200:
        replayed = client.post(
            "/password-reset/check", data={"csrf_token": csrf_from(page.get_data(as_text=True)), "code": code}
        )
        assert "/new-password" not in replayed.headers.get("Location", ""), "the old cookie got another try"
    assert page.status_code == 404 and "This link does not work" in page_text(page)
    # Opening the link again, in a fresh browser: the link is dead.
    reopened = seeded.test_client().get(link)
    assert reopened.status_code == 404 and "This link does not work" in page_text(reopened)
    with seeded.app_context():
        reset = db.session.scalar(select(PasswordReset))
        assert reset is not None and reset.failed_codes == 5


@pytest.mark.security(4)
def test_finding1_wrong_reset_codes_count_towards_the_account_lockout(seeded: Flask) -> None:
    _five_wrong_reset_codes(seeded, _ask_for_link(seeded))
    assert _user(seeded).failed_sign_ins == 5
    # A second link (3 may be sent an hour): 5 more wrong codes make 10, and the account locks as it
    # does after 10 wrong passwords.
    _five_wrong_reset_codes(seeded, _ask_for_link(seeded))
    user = _user(seeded)
    assert user.failed_sign_ins == 10 and user.locked_until is not None
    with seeded.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert actions.count("account-locked") == 1
        assert actions.count("second-factor-failed") == 10
    # Signing in, even with the right password, is refused.
    assert _refused_sign_in(seeded.test_client())
    # A third link cannot be used while the account is locked.
    third = _ask_for_link(seeded)
    assert seeded.test_client().get(third).status_code == 404


@pytest.mark.security(5)
def test_finding1_a_right_code_within_the_limit_still_resets(seeded: Flask) -> None:
    link = _ask_for_link(seeded)
    client = seeded.test_client()
    code = _open_and_send_code(seeded, client, link)
    for _ in range(4):
        _enter_reset_code(client, _not(code))
    verified = _enter_reset_code(client, code)
    assert verified.headers["Location"].endswith("/password-reset/new-password")


# --- Finding 5: changing the second factor needs the current one too --------------------------------


def _confirm_password(client: FlaskClient) -> None:
    limiter.reset()
    response = post_form(
        client, "/account/confirm-password?next=/account/security-codes", {"password": DEMO_PASSWORD}
    )
    assert response.status_code == 302, page_text(response)


def _pass_the_current_factor(app: Flask, client: FlaskClient) -> None:
    """Where the portal asks for the current second factor, give it (a code sent to the demo victim's
    email)."""
    response = client.get("/account/security-codes")
    if response.status_code != 302 or "/account/security-codes/current" not in response.headers["Location"]:
        return
    page = client.get("/account/security-codes/current")
    if "We need to check it is you" in page_text(page):
        post_form(
            client, "/account/security-codes/current/send", {"resend-submit": "1"}, page=page.request.path
        )
    code = latest_code(app, "security-code:", to=VICTIM)
    limiter.reset()
    done = post_form(client, "/account/security-codes/current", {"code": code})
    assert done.headers["Location"].endswith("/account/security-codes"), page_text(done)


def _choose(client: FlaskClient, method: str) -> Any:
    limiter.reset()
    return post_form(client, "/account/security-codes", {"method": method})


def _confirm_new(client: FlaskClient, code: str) -> Any:
    limiter.reset()
    return post_form(client, "/account/security-codes/confirm", {"code": code})


def _set_up_codes_to(app: Flask, recipient: str) -> list[OutboundMessage]:
    return [m for m in messages(app, "security-code:") if m.recipient == recipient]


@pytest.mark.security(5)
def test_finding5_changing_the_second_factor_needs_the_current_factor(seeded: Flask) -> None:
    client = signed_in(seeded, VICTIM)
    _confirm_password(client)
    # The password alone is not enough: nothing is sent to the new phone and the page asks for the
    # current second factor first.
    limiter.reset()
    chosen = post_form(client, "/account/security-codes", {"method": "sms"}, page="/account")
    assert _set_up_codes_to(seeded, VICTIM_PHONE) == []
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith(
        "/account/security-codes/current"
    )
    assert client.get("/account/security-codes/confirm").status_code == 302
    page = client.get("/account/security-codes/current")
    assert "We need to check it is you" in page_text(page)
    post_form(client, "/account/security-codes/current/send", {"resend-submit": "1"}, page=page.request.path)
    check = latest_code(seeded, "security-code:", to=VICTIM)
    # Then the current factor, then the new one.
    limiter.reset()
    passed = post_form(client, "/account/security-codes/current", {"code": check})
    assert passed.headers["Location"].endswith("/account/security-codes")
    assert _choose(client, "sms").headers["Location"].endswith("/account/security-codes/confirm")
    confirmed = _confirm_new(client, latest_code(seeded, "security-code:", to=VICTIM_PHONE))
    assert confirmed.headers["Location"].endswith("/account")
    assert _user(seeded).mfa_method == "sms"


@pytest.mark.security(5)
def test_finding5_the_old_channel_is_told_and_other_sessions_end(seeded: Flask) -> None:
    client = signed_in(seeded, VICTIM)
    other = signed_in(seeded, VICTIM)
    _confirm_password(client)
    _pass_the_current_factor(seeded, client)
    _choose(client, "sms")
    assert _confirm_new(client, latest_code(seeded, "security-code:", to=VICTIM_PHONE)).status_code == 302
    assert _user(seeded).mfa_method == "sms"
    # The old channel (email) is told, discreetly: no name, no new number.
    told = messages(seeded, "second-factor-changed:")
    assert [m.recipient for m in told] == [VICTIM]
    body = told[0].body + (told[0].subject or "")
    assert "security codes" in body
    for personal in ("Sam", "Sample", VICTIM_PHONE, VICTIM_PHONE[-3:], "victim"):
        assert personal not in body
    # Every other session has ended; this one carries on.
    assert other.get("/cases").status_code == 302
    assert client.get("/cases").status_code == 200


@pytest.mark.security(5)
def test_finding5_a_set_up_code_only_confirms_where_it_was_sent(seeded: Flask) -> None:
    client = signed_in(seeded, VICTIM)
    _confirm_password(client)
    _pass_the_current_factor(seeded, client)
    # A code sent by email does not confirm text messages.
    _choose(client, "email")
    by_email = latest_code(seeded, "security-code:", to=VICTIM)
    _choose(client, "sms")
    by_text = latest_code(seeded, "security-code:", to=VICTIM_PHONE)
    assert "wrong or has expired" in page_text(_confirm_new(client, by_email))
    # A code sent to phone A does not confirm phone B.
    with seeded.app_context(), db.job() as session:
        victim = session.scalar(select(Victim).where(Victim.email == VICTIM))
        assert victim is not None
        victim.phone = "07700900999"
    assert "wrong or has expired" in page_text(_confirm_new(client, by_text))
    assert _user(seeded).mfa_method == "email"


@pytest.mark.security(4)
def test_finding5_wrong_codes_when_changing_count_towards_the_lockout(seeded: Flask) -> None:
    client = signed_in(seeded, VICTIM)
    _confirm_password(client)
    _pass_the_current_factor(seeded, client)
    _choose(client, "sms")
    code = latest_code(seeded, "security-code:", to=VICTIM_PHONE)
    for _ in range(9):
        assert _confirm_new(client, _not(code)).status_code == 200
    assert _user(seeded).failed_sign_ins == 9
    tenth = _confirm_new(client, _not(code))
    assert tenth.status_code == 302 and "/signed-out" in tenth.headers["Location"]
    user = _user(seeded)
    assert user.locked_until is not None and user.mfa_method == "email"
    assert client.get("/cases").status_code == 302
    assert _refused_sign_in(seeded.test_client())


def _wrong_totp(secret: str = DEMO_TOTP_SECRET) -> str:
    """A code the app shows at no step accepted now (one step either side)."""
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)
    near = {totp.at(now + timedelta(seconds=s)) for s in (-60, -30, 0, 30, 60)}
    return next(c for c in (f"{n:06d}" for n in range(1, 100)) if c not in near)


@pytest.mark.security(4)
def test_finding5_wrong_current_factor_codes_count_towards_the_lockout(seeded: Flask) -> None:
    client = signed_in(seeded, OFFICER)
    _confirm_password(client)
    assert (
        client.get("/account/security-codes").headers["Location"].endswith("/account/security-codes/current")
    )
    for _ in range(9):
        limiter.reset()
        wrong = post_form(client, "/account/security-codes/current", {"code": _wrong_totp()})
        assert wrong.status_code == 200 and "wrong" in page_text(wrong)
    assert _user(seeded, OFFICER).failed_sign_ins == 9
    limiter.reset()
    tenth = post_form(client, "/account/security-codes/current", {"code": _wrong_totp()})
    assert tenth.status_code == 302 and "/signed-out" in tenth.headers["Location"]
    assert _user(seeded, OFFICER).locked_until is not None
    assert client.get("/staff").status_code == 302


@pytest.mark.security(5)
def test_finding5_an_officers_reset_still_lets_a_victim_set_up_again(seeded: Flask) -> None:
    """The other way to change a lost second factor, kept: an officer checks who the victim is."""
    victim = signed_in(seeded, VICTIM)
    officer = signed_in(seeded, OFFICER)
    with seeded.app_context():
        victim_id = db.session.scalar(select(Victim.id).where(Victim.email == VICTIM))
    response = post_form(
        officer,
        f"/staff/victims/{victim_id}/reset-security-codes",
        {
            "identity_checked": "y",
            "how": "Called back on the number held on the case",
            "password_forgotten": "no",
        },
    )
    assert response.status_code == 302
    assert _user(seeded).mfa_method is None
    assert victim.get("/cases").status_code == 302
    assert messages(seeded, "invitation:")


# --- Finding 7: asking for a reset does the same work whether or not the account exists ------------


def _statement_shape(statement: str) -> str:
    """ "INSERT password_reset", "SELECT user_account"...: the kind of statement and its first table."""
    words = re.sub(r'["`]', "", statement).split()
    verb = words[0].upper()
    table = ""
    for keyword in ("INTO", "FROM", "UPDATE"):
        if keyword in (w.upper() for w in words[1:]) or verb == keyword:
            index = next(i for i, w in enumerate(words) if w.upper() == keyword)
            table = words[index + 1] if index + 1 < len(words) else ""
            break
    return f"{verb} {table}".strip()


def _work_of_one_request(app: Flask, email: str, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], int]:
    """The statements POST /password-reset runs, and how many tokens it hashes."""
    hashed: list[str] = []
    real_hash = password_reset.hash_token

    def counting_hash(token: str) -> str:
        hashed.append(token)
        return real_hash(token)

    monkeypatch.setattr(password_reset, "hash_token", counting_hash)
    client = app.test_client()
    page = client.get("/password-reset")
    statements: list[str] = []

    def listen(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(_statement_shape(statement))

    engine = app.extensions["database"].engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        limiter.reset()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True))
        assert token is not None
        response = client.post("/password-reset", data={"csrf_token": token.group(1), "email": email})
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    assert response.status_code == 200
    return statements, len(hashed)


@pytest.mark.security(4)
def test_finding7_reset_requests_do_the_same_work_whether_or_not_the_account_exists(
    seeded: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    unknown = _work_of_one_request(seeded, "nobody.here@demo.example", monkeypatch)
    known = _work_of_one_request(seeded, VICTIM, monkeypatch)
    assert known[1] == 1, "a real account's link is hashed once"
    assert unknown == known
    # A revoked account and an account that has had its 3 links this hour do the same work too.
    _work_of_one_request(seeded, VICTIM, monkeypatch)
    throttled = _work_of_one_request(seeded, VICTIM, monkeypatch)
    assert throttled == known
    with seeded.app_context(), db.job() as session:
        officer = session.scalar(select(User).where(User.email == OFFICER))
        assert officer is not None
        officer.is_active = False
    assert _work_of_one_request(seeded, OFFICER, monkeypatch) == known
    # Only the real, usable account was sent links (3 an hour).
    assert [m.recipient for m in messages(seeded, "reset:")] == [VICTIM, VICTIM, VICTIM]


# --- Finding 10: authenticator app secrets are stored encrypted ------------------------------------


def _stored(app: Flask, email: str) -> tuple[str | None, str | None]:
    with app.app_context(), db.job() as session:
        row = session.execute(
            text("SELECT totp_secret, totp_pending_secret FROM user_account WHERE email = :email"),
            {"email": email},
        ).one()
    return row[0], row[1]


@pytest.mark.security(3)
def test_finding10_totp_secrets_are_stored_encrypted(seeded: Flask) -> None:
    stored, _pending = _stored(seeded, OFFICER)
    assert stored and DEMO_TOTP_SECRET not in stored and DEMO_TOTP_SECRET.lower() not in stored.lower()
    # Read through the model, it is the secret again, and signing in with the app works.
    assert _user(seeded, OFFICER).totp_secret == DEMO_TOTP_SECRET
    client = seeded.test_client()
    assert sign_in(client, OFFICER).status_code == 302
    assert client.get("/staff").status_code == 200


@pytest.mark.security(3)
def test_finding10_a_new_app_secret_waiting_for_its_code_is_stored_encrypted(seeded: Flask) -> None:
    client = signed_in(seeded, OFFICER)
    _confirm_password(client)
    if client.get("/account/security-codes").status_code == 302:
        limiter.reset()
        post_form(client, "/account/security-codes/current", {"code": second_factor_code(seeded, OFFICER)})
    assert client.get("/account/security-codes").status_code == 200
    _choose(client, "totp")
    pending = _user(seeded, OFFICER).totp_pending_secret
    assert pending
    _secret, stored_pending = _stored(seeded, OFFICER)
    assert stored_pending and pending not in stored_pending
    # Confirming it with a code from the new app makes it the secret, still encrypted.
    assert _confirm_new(client, pyotp.TOTP(pending).now()).status_code == 302
    stored_secret, stored_pending = _stored(seeded, OFFICER)
    assert stored_pending is None and stored_secret and pending not in stored_secret
    assert _user(seeded, OFFICER).totp_secret == pending


@pytest.fixture
def scratch_database(database_url: str, tmp_path: Any) -> Iterator[str]:
    """An empty database on the same backend as this test run, for migrating up and down."""
    if make_url(database_url).get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    with empty_postgresql_database("vp_scratch") as url:
        yield url


@pytest.mark.security(3)
def test_finding10_the_migration_encrypts_existing_secrets_and_downgrade_decrypts(
    scratch_database: str,
) -> None:
    from portal.models.people import decrypt_text

    key = "migration-test-key-" + uuid.uuid4().hex
    config = migrate.alembic_config(scratch_database)
    config.attributes["secret_key"] = key
    command.upgrade(config, "0005_accounts")
    engine = create_engine(scratch_database)
    rows = {
        "app@example.test": ("totp", DEMO_TOTP_SECRET, "PENDINGPENDINGPENDINGPENDING2345"),
        "codes@example.test": ("email", None, None),
    }
    try:
        with engine.begin() as conn:
            for email, (method, secret, pending) in rows.items():
                conn.execute(
                    text(
                        "INSERT INTO user_account (email, display_name, role, mfa_method, totp_secret,"
                        " totp_pending_secret, session_generation, failed_sign_ins, is_active, created_at)"
                        " VALUES (:email, 'Someone', 'witness_care_officer', :method, :secret, :pending,"
                        " 1, 0, :active, CURRENT_TIMESTAMP)"
                    ),
                    {"email": email, "method": method, "secret": secret, "pending": pending, "active": True},
                )

        def stored() -> dict[str, tuple[str | None, str | None]]:
            with engine.connect() as conn:
                result = conn.execute(
                    text("SELECT email, totp_secret, totp_pending_secret FROM user_account")
                )
                return {row[0]: (row[1], row[2]) for row in result}

        command.upgrade(config, "0009_account_security")
        encrypted = stored()
        secret, pending = encrypted["app@example.test"]
        assert secret and pending and DEMO_TOTP_SECRET not in secret and "PENDING" not in pending
        assert decrypt_text(secret, key) == DEMO_TOTP_SECRET
        assert decrypt_text(pending, key) == "PENDINGPENDINGPENDINGPENDING2345"
        assert encrypted["codes@example.test"] == (None, None)

        command.downgrade(config, "0005_accounts")
        assert stored() == {email: (secret, pending) for email, (_m, secret, pending) in rows.items()}
    finally:
        engine.dispose()
