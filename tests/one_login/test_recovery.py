"""Getting back in after an officer removes a victim's GOV.UK One Login, against the local provider.

Removing the link leaves an account with no password, no portal second factor and no One Login. The
officer's recovery link ("reset their security codes", after checking who the person is) is the way back:
the victim either links a GOV.UK One Login to the same account through it, or chooses a new password, and
either way confirms a security code sent to a phone number or email address on record (never an
authenticator app, never anything One Login gave: the link alone must not be enough). Wrong codes count on
the invitation and the account; the fifth ends the link. A recovery link that asks for the account's
current password offers no One Login (it would let the link's holder skip the password), and a staff
recovery link never does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.extensions import db, limiter
from portal.models import AuditEvent, Invitation, OneLoginIdentity, User, Victim
from portal.services.accounts import one_login_accounts as linking
from portal.services.common import audit
from tests.one_login.test_routes import (
    ONE_LOGIN_EMAIL,
    count,
    link_invited_victim,
    one_login_callback,
    open_invitation,
)
from tests.support.demo import ADMIN, DEMO_PASSWORD, OFFICER, VICTIM
from tests.support.outbox import latest_code, messages
from tests.support.pages import page_text, post_form
from tests.support.records import user_by_email
from tests.support.scenarios import create_invited_victim
from tests.support.signing_in import NEW_PASSWORD, decoded_session, sign_in, signed_in

pytestmark = pytest.mark.security(5)

INVITED_EMAIL = "new.victim@demo.example"
# What the local provider's One Login shares (tests/support/one_login_provider.py): never where a code goes.
ONE_LOGIN_PHONE = "+447700900123"
RECOVERY_WORDS = "Get back into your account"
CHANNEL_PAGE = "/one-login/link/security-code"
CODE_PAGE = "/one-login/link/confirm-code"


def _signed_in_with_one_login(app: Flask, email: str = ONE_LOGIN_EMAIL) -> tuple[str, FlaskClient, int]:
    """An invited victim (Nia Newperson) who linked a One Login and is signed in with it: (the victim's
    id, their client, their account's id)."""
    victim_id = create_invited_victim(app)
    client = app.test_client()
    linked = link_invited_victim(app, client, email)
    assert linked.status_code == 302
    assert post_form(client, linked.headers["Location"]).headers["Location"] == "/cases"
    assert "Harassment" in page_text(client.get("/cases"))
    return victim_id, client, user_by_email(app, INVITED_EMAIL).id


def _officer_removes_one_login(app: Flask, victim_id: str) -> FlaskClient:
    officer = signed_in(app, OFFICER)
    page = f"/staff/victims/{victim_id}/account"
    removed = post_form(officer, f"/staff/victims/{victim_id}/one-login/remove", page=page)
    assert removed.status_code == 302
    return officer


def _officer_sends_recovery(officer: FlaskClient, victim_id: str, *, forgotten: str = "no") -> None:
    done = post_form(
        officer,
        f"/staff/victims/{victim_id}/reset-security-codes",
        {"identity_checked": "y", "how": "Called back on the number held", "password_forgotten": forgotten},
    )
    assert done.status_code == 302, page_text(done)


def _arrives_at_cases(client: FlaskClient, response: Any) -> str:
    """Signed in: on to their cases (through the quick exit page the first time). The cases page's text."""
    assert response.status_code == 302, page_text(response)
    location = response.headers["Location"]
    if "/exit-this-page-explained" in location:
        location = post_form(client, location).headers["Location"]
    assert location == "/cases"
    cases = page_text(client.get("/cases"))
    assert "Harassment" in cases
    return cases


def _open_recovery_link(app: Flask) -> FlaskClient:
    holder = app.test_client()
    open_invitation(app, holder)
    return holder


def _recovery_opened(app: Flask) -> tuple[str, int, FlaskClient]:
    """An invited victim linked a One Login; the officer removed it and sent a recovery link (password
    forgotten), which the holder opened: (the victim's id, the account's id, the holder's client)."""
    victim_id, _victim, user_id = _signed_in_with_one_login(app)
    officer = _officer_removes_one_login(app, victim_id)
    _officer_sends_recovery(officer, victim_id, forgotten="yes")
    return victim_id, user_id, _open_recovery_link(app)


def _to_the_code(holder: FlaskClient, channel: str = "email") -> None:
    """Through the opened recovery link: One Login, the check page, the channel: a code is sent."""
    _back, answer = one_login_callback(holder, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/one-login/link")
    checked = post_form(holder, "/one-login/link")
    assert checked.headers["Location"].endswith(CHANNEL_PAGE), page_text(checked)
    chosen = post_form(holder, CHANNEL_PAGE, {"method": channel})
    assert chosen.headers["Location"].endswith(CODE_PAGE), page_text(chosen)


def _linked(app: Flask, user_id: int) -> bool:
    return count(app, OneLoginIdentity, OneLoginIdentity.user_id == user_id) == 1


def _recovery(app: Flask, user_id: int) -> Invitation:
    """The account's newest recovery invitation (detached)."""
    with app.app_context(), db.job() as session:
        found = session.scalars(
            select(Invitation)
            .where(Invitation.user_id == user_id, Invitation.kind == "recovery")
            .order_by(Invitation.id)
        ).all()
        assert found
        session.expunge(found[-1])
        return found[-1]


@pytest.mark.parametrize("forgotten", ["no", "yes"])
def test_after_the_officer_removes_one_login_the_recovery_link_links_one_login_to_the_same_account(
    seeded: Flask, one_login_app: Flask, forgotten: str
) -> None:
    app = one_login_app
    victim_id, victim, user_id = _signed_in_with_one_login(app)

    officer = _officer_removes_one_login(app, victim_id)
    # Every session of the account has ended, and the same One Login no longer signs in.
    assert victim.get("/cases").status_code == 302
    _back, answer = one_login_callback(app.test_client(), ONE_LOGIN_EMAIL)
    assert answer.status_code == 200
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)

    _officer_sends_recovery(officer, victim_id, forgotten=forgotten)
    # There is no password to remember: the message does not ask for one.
    assert "You will choose a new password" in messages(app, "invitation:")[-1].body
    holder = _open_recovery_link(app)
    first_page = page_text(holder.get("/create-account"))
    assert RECOVERY_WORDS in first_page and "Sign in with GOV.UK One Login" in first_page
    assert "Or create a new password" in first_page and "Enter your password" not in first_page

    _back, answer = one_login_callback(holder, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/one-login/link")
    check = page_text(holder.get("/one-login/link"))
    assert "Link your GOV.UK One Login to your account" in check and ONE_LOGIN_EMAIL in check
    assert "open the link we sent you again" in check
    assert "we will send a security code to a phone number or email address we already have" in check

    # Confirming the check page links nothing yet: first a security code to a channel on record, chosen as
    # on the password route (never an authenticator app).
    checked = post_form(holder, "/one-login/link")
    assert checked.status_code == 302 and checked.headers["Location"].endswith(CHANNEL_PAGE)
    choices = page_text(holder.get(CHANNEL_PAGE))
    assert "How do you want to get a security code?" in choices and "ending in 456" in choices
    assert "authenticator app" not in choices.lower()
    assert not _linked(app, user_id)
    chosen = post_form(holder, CHANNEL_PAGE, {"method": "email"})
    assert chosen.headers["Location"].endswith(CODE_PAGE)
    code_page = page_text(holder.get(CODE_PAGE))
    assert "Check your email" in code_page and "Send a new code" in code_page
    assert not _linked(app, user_id)
    code = latest_code(app, "security-code:", to=INVITED_EMAIL)
    cases = _arrives_at_cases(holder, post_form(holder, CODE_PAGE, {"code": code}))
    assert "Your GOV.UK One Login is linked to your account" in cases

    # The same account, not a new one; the link is used up; the link is audited as made through recovery.
    assert count(app, User, User.victim_id == victim_id) == 1
    with app.app_context():
        identity = db.session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.user_id == user_id))
        assert identity is not None and identity.linked_via == "recovery"
        assert identity.last_sign_in_at is not None
        user = db.session.get(User, user_id)
        assert user is not None and user.password_hash is None and user.mfa_method is None
        linked_events = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == audit.ONE_LOGIN_LINKED)
        ).all()
        assert linked_events[-1]["via"] == "recovery"
        created = db.session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == audit.ACCOUNT_CREATED)
        ).all()
        assert len(created) == 1  # only when the invitation made the account
    assert _recovery(app, user_id).used_at is not None
    assert post_form(holder, "/one-login/link", page="/cases").status_code == 404
    assert post_form(holder, CODE_PAGE, {"code": code}, page="/cases").status_code == 404

    # Next time the One Login signs in by itself; the officer sees it linked through the recovery link.
    again = app.test_client()
    _back, answer = one_login_callback(again, ONE_LOGIN_EMAIL)
    assert answer.headers["Location"] == "/cases"
    shown = page_text(officer.get(f"/staff/victims/{victim_id}/account"))
    assert "Signs in with GOV.UK One Login" in shown and "using a link to get back in" in shown


def test_a_one_login_linked_to_another_account_is_not_linked_through_the_recovery_link(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, _victim, user_id = _signed_in_with_one_login(app)
    officer = _officer_removes_one_login(app, victim_id)
    _officer_sends_recovery(officer, victim_id)
    other = "other.person@example.com"
    with app.app_context(), db.job() as session:
        demo = session.scalar(select(User).where(User.email == VICTIM))
        assert demo is not None
        session.add(
            OneLoginIdentity(
                user_id=demo.id, subject="urn:fdc:gov.uk:2022:another", linked_by_label="x", linked_via="x"
            )
        )
    recovery_id = _recovery(app, user_id).id
    with app.app_context(), db.job() as session, pytest.raises(linking.LinkError) as raised:
        linking.link_recovery(
            session,
            recovery_id,
            subject="urn:fdc:gov.uk:2022:another",
            email=other,
            email_verified=True,
            channel="email",
            code="123456",
        )
    assert raised.value.code == "linked"
    with app.app_context():
        assert db.session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.user_id == user_id)) is None
    assert _recovery(app, user_id).used_at is None


def test_the_password_route_works_for_an_account_that_only_had_one_login(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, _victim, user_id = _signed_in_with_one_login(app)
    officer = _officer_removes_one_login(app, victim_id)
    _officer_sends_recovery(officer, victim_id, forgotten="no")
    holder = _open_recovery_link(app)

    # No "current password" the person never had.
    first_page = page_text(holder.get("/create-account"))
    assert "Enter your password" not in first_page and "Or create a new password" in first_page
    chosen = post_form(holder, "/create-account", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert chosen.headers["Location"].endswith("/create-account/security-codes")
    # The link alone cannot set up an authenticator app: a code to a channel on record.
    choices = page_text(holder.get("/create-account/security-codes"))
    assert "authenticator app" not in choices.lower()
    refused = post_form(holder, "/create-account/security-codes", {"method": "totp"})
    assert refused.status_code == 200 and "There is a problem" in page_text(refused)
    assert post_form(holder, "/create-account/security-codes", {"method": "email"}).status_code == 302
    code = latest_code(app, "security-code:", to=INVITED_EMAIL)
    _arrives_at_cases(holder, post_form(holder, "/create-account/confirm-code", {"code": code}))
    assert count(app, User, User.victim_id == victim_id) == 1
    assert user_by_email(app, INVITED_EMAIL).mfa_method == "email"
    assert _recovery(app, user_id).used_at is not None

    # From now on the password and a code sign in; the old One Login still does not.
    limiter.reset()
    assert sign_in(app.test_client(), INVITED_EMAIL, NEW_PASSWORD).status_code == 302
    _back, answer = one_login_callback(app.test_client(), ONE_LOGIN_EMAIL)
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)


def test_a_recovery_link_that_asks_for_the_current_password_offers_no_one_login(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    officer = signed_in(app, OFFICER)
    demo = user_by_email(app, VICTIM)
    _officer_sends_recovery(officer, str(demo.victim_id), forgotten="no")
    holder = _open_recovery_link(app)
    page = page_text(holder.get("/create-account"))
    assert "Enter your password" in page and "GOV.UK One Login" not in page
    # Going to One Login anyway links nothing: the link alone must not replace a password they know.
    _back, answer = one_login_callback(holder, "someone.else@example.com", page="/create-account")
    assert answer.status_code == 200
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)
    assert holder.get("/one-login/link").status_code == 404
    assert count(app, OneLoginIdentity) == 0
    right = post_form(holder, "/create-account", {"password": DEMO_PASSWORD})
    assert right.headers["Location"].endswith("/create-account/security-codes")


@pytest.mark.parametrize("forgotten", ["no", "yes"])
def test_a_staff_recovery_link_never_offers_or_accepts_one_login(
    seeded: Flask, one_login_app: Flask, forgotten: str
) -> None:
    app = one_login_app
    admin = signed_in(app, ADMIN)
    officer = user_by_email(app, OFFICER)
    done = post_form(
        admin,
        f"/admin/users/{officer.id}/reset-security-codes",
        {"how": "Checked with their manager by phone", "password_forgotten": forgotten},
        page=f"/admin/users/{officer.id}",
    )
    assert done.status_code == 302, page_text(done)
    holder = _open_recovery_link(app)
    assert "GOV.UK One Login" not in page_text(holder.get("/create-account"))
    _back, answer = one_login_callback(holder, OFFICER, page="/create-account")
    assert answer.status_code == 200
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)
    assert holder.get("/one-login/link").status_code == 404
    recovery = _recovery(app, officer.id)
    with app.app_context():
        assert linking.linkable_invitation(db.session, recovery.id) is None
    with app.app_context(), db.job() as session, pytest.raises(linking.LinkError) as raised:
        linking.link_invitation(
            session, recovery.id, subject="urn:fdc:gov.uk:2022:staff", email=OFFICER, email_verified=True
        )
    assert raised.value.code == "invitation"
    assert count(app, OneLoginIdentity) == 0


def test_a_locked_account_is_not_linked_through_its_recovery_link(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, _victim, user_id = _signed_in_with_one_login(app)
    officer = _officer_removes_one_login(app, victim_id)
    _officer_sends_recovery(officer, victim_id)
    with app.app_context(), db.job() as session:
        user = session.get(User, user_id)
        assert user is not None
        user.locked_until = datetime.now(UTC) + timedelta(minutes=30)
    with app.app_context():
        assert linking.linkable_invitation(db.session, _recovery(app, user_id).id) is None


def test_the_recovery_link_links_no_one_login_without_the_code(seeded: Flask, one_login_app: Flask) -> None:
    app = one_login_app
    _victim_id, user_id, holder = _recovery_opened(app)
    _back, answer = one_login_callback(holder, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.headers["Location"].endswith("/one-login/link")
    # Not past the check page: no channel page, no code page, nothing linked.
    assert holder.get(CHANNEL_PAGE).status_code == 404
    assert holder.get(CODE_PAGE).status_code == 404
    assert post_form(holder, CODE_PAGE, {"code": "123456"}, page="/one-login/link").status_code == 404
    assert post_form(holder, "/one-login/link").headers["Location"].endswith(CHANNEL_PAGE)
    # Past it, but no channel chosen: no code has gone anywhere, and no code page.
    assert holder.get(CODE_PAGE).status_code == 404
    assert messages(app, "security-code:") == []
    assert post_form(holder, CHANNEL_PAGE, {"method": "email"}).status_code == 302
    wrong = post_form(holder, CODE_PAGE, {"code": "000000"})
    assert wrong.status_code == 200
    assert "The security code is wrong or has expired" in page_text(wrong)
    assert not _linked(app, user_id)
    # Nor does the service link through a recovery link without a code.
    recovery_id = _recovery(app, user_id).id
    with app.app_context(), db.job() as session, pytest.raises(linking.LinkError) as raised:
        linking.link_invitation(
            session, recovery_id, subject="urn:fdc:gov.uk:2022:x", email=None, email_verified=False
        )
    assert raised.value.code == "code"
    assert not _linked(app, user_id) and _recovery(app, user_id).used_at is None


def test_five_wrong_codes_end_the_recovery_link_and_link_nothing(seeded: Flask, one_login_app: Flask) -> None:
    app = one_login_app
    _victim_id, user_id, holder = _recovery_opened(app)
    _to_the_code(holder)
    code = latest_code(app, "security-code:", to=INVITED_EMAIL)
    wrong_code = "000000" if code != "000000" else "111111"
    cookie_name = app.config["SESSION_COOKIE_NAME"]
    before = holder.get_cookie(cookie_name)
    assert before is not None
    for _ in range(4):
        answer = post_form(holder, CODE_PAGE, {"code": wrong_code})
        assert answer.status_code == 200 and "The security code is wrong" in page_text(answer)
    fifth = post_form(holder, CODE_PAGE, {"code": wrong_code})
    assert fifth.status_code == 302 and fifth.headers["Location"].endswith(CODE_PAGE)
    # The pending One Login and the link are gone from the session; the link itself has ended.
    left = decoded_session(app, holder)
    assert "one_login_pending_link" not in left and "invitation_id" not in left
    assert holder.get(CODE_PAGE).status_code == 404
    recovery = _recovery(app, user_id)
    assert recovery.cancelled_at is not None and recovery.used_at is None
    with app.app_context():
        failed = db.session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == audit.SECOND_FACTOR_FAILED)
        ).all()
        assert [d["during"] for d in failed] == ["linking a GOV.UK One Login"] * 5
        assert all(d["invitation_id"] == recovery.id for d in failed)
    # The counts were on the server: the session from before the wrong codes, with the right code, links
    # nothing either.
    holder.set_cookie(cookie_name, before.value)
    assert post_form(holder, CODE_PAGE, {"code": code}, page="/sign-in").status_code == 404
    assert not _linked(app, user_id)
    assert holder.get("/one-login/link").status_code == 404


def test_the_code_goes_to_a_channel_on_record_never_to_what_one_login_gave(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, user_id, holder = _recovery_opened(app)
    _to_the_code(holder, channel="sms")
    code_page = page_text(holder.get(CODE_PAGE))
    assert "Check your phone" in code_page and "ending in 456" in code_page
    resent = post_form(holder, f"{CODE_PAGE}/resend", {}, page=CODE_PAGE)
    assert resent.headers["Location"].endswith(CODE_PAGE)
    assert "We have sent you a new security code" in page_text(holder.get(CODE_PAGE))
    sent = messages(app, "security-code:")
    with app.app_context():
        victim = db.session.get(Victim, victim_id)
        assert victim is not None and victim.phone
        on_record = victim.phone
    assert len(sent) == 2 and {m.channel for m in sent} == {"sms"}
    assert {m.recipient for m in sent} == {on_record}
    everyone = {m.recipient for m in messages(app)}
    assert ONE_LOGIN_EMAIL not in everyone and ONE_LOGIN_PHONE not in everyone
    # Only a code to a channel on record: never an authenticator app set up through the link alone.
    recovery_id = _recovery(app, user_id).id
    with app.app_context(), db.job() as session, pytest.raises(linking.LinkError) as raised:
        linking.send_recovery_code(session, recovery_id, "totp")
    assert raised.value.code == "channel"
    code = latest_code(app, "security-code:", to=on_record)
    _arrives_at_cases(holder, post_form(holder, CODE_PAGE, {"code": code}))
    assert _linked(app, user_id)


def test_with_one_channel_on_record_the_code_goes_there_without_a_choice(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, user_id, holder = _recovery_opened(app)
    with app.app_context(), db.job() as session:
        victim = session.get(Victim, victim_id)
        assert victim is not None
        victim.phone = None
    _back, answer = one_login_callback(holder, ONE_LOGIN_EMAIL, page="/create-account")
    assert answer.headers["Location"].endswith("/one-login/link")
    checked = post_form(holder, "/one-login/link")
    assert checked.headers["Location"].endswith(CODE_PAGE)
    assert [m.recipient for m in messages(app, "security-code:")] == [INVITED_EMAIL]
    assert holder.get(CHANNEL_PAGE).headers["Location"].endswith("/one-login/link")
    code = latest_code(app, "security-code:", to=INVITED_EMAIL)
    _arrives_at_cases(holder, post_form(holder, CODE_PAGE, {"code": code}))
    assert _linked(app, user_id)


def test_an_account_with_no_channel_on_record_for_a_code_is_offered_no_one_login_through_its_recovery_link(
    seeded: Flask, one_login_app: Flask
) -> None:
    app = one_login_app
    victim_id, user_id, holder = _recovery_opened(app)
    with app.app_context(), db.job() as session:
        victim = session.get(Victim, victim_id)
        user = session.get(User, user_id)
        assert victim is not None and user is not None
        victim.phone = None
        user.email = ""
    first_page = page_text(holder.get("/create-account"))
    assert "GOV.UK One Login" not in first_page
    _back, answer = one_login_callback(holder, ONE_LOGIN_EMAIL, page="/create-account")
    assert "There is no account linked to this GOV.UK One Login" in page_text(answer)
    assert holder.get("/one-login/link").status_code == 404
    with app.app_context():
        assert linking.linkable_invitation(db.session, _recovery(app, user_id).id) is None
    assert not _linked(app, user_id)


def test_a_new_victims_invitation_still_links_without_a_code(seeded: Flask, one_login_app: Flask) -> None:
    app = one_login_app
    victim_id = create_invited_victim(app)
    linked = link_invited_victim(app, app.test_client())
    assert linked.status_code == 302 and "/exit-this-page-explained" in linked.headers["Location"]
    assert messages(app, "security-code:") == []
    user = user_by_email(app, INVITED_EMAIL)
    assert user.victim_id == victim_id and _linked(app, user.id)
