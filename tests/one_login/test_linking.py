"""Linking a GOV.UK One Login to a victim's account (services/accounts/one_login_accounts.py), on both
databases: only through an open victim invitation, never by matching an email address, never a staff
account; One Login's logout ends the account's sessions; an officer removes a link; erasure removes it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from portal.data import one_login as one_login_data
from portal.data import retention as retention_data
from portal.extensions import db
from portal.models import AuditEvent, Invitation, OneLoginIdentity, OneLoginLogoutToken, User
from portal.services.accounts import one_login_accounts as linking
from portal.services.accounts import one_login_sessions, setup
from portal.services.accounts.one_login_tokens import LogoutNotice
from portal.services.accounts.users import signed_in_user
from portal.services.common import audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from tests.support.builders import create_user
from tests.support.demo import OFFICER, VICTIM
from tests.support.pages import page_text, post_form
from tests.support.scenarios import create_invited_victim, create_other_unit

SUBJECT = "urn:fdc:gov.uk:2022:one-login-subject-1"
OTHER_SUBJECT = "urn:fdc:gov.uk:2022:one-login-subject-2"


def _invitation_id(app: Flask, victim_id: str) -> int:
    with app.app_context():
        found = db.session.scalar(select(Invitation.id).where(Invitation.victim_id == victim_id))
        assert found is not None
        return found


def _link(
    app: Flask,
    invitation_id: int,
    *,
    subject: str = SUBJECT,
    email: str | None = "someone@one-login.example",
    verified: bool = True,
) -> int:
    with app.app_context(), db.job() as session:
        return linking.link_invitation(
            session, invitation_id, subject=subject, email=email, email_verified=verified
        )


def _actor(app: Flask, email: str) -> Actor:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        return signed_in_user(user).actor


def _actions(app: Flask) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_an_invited_victim_links_a_one_login_to_a_new_account_without_password_or_second_factor(
    seeded: Flask,
) -> None:
    victim_id = create_invited_victim(seeded)
    invitation_id = _invitation_id(seeded, victim_id)
    user_id = _link(seeded, invitation_id)
    with seeded.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        # The victim's own email on record, not the one One Login gave.
        assert user.email == "new.victim@demo.example"
        assert user.victim_id == victim_id and user.role == "victim" and user.is_active
        assert user.password_hash is None and user.mfa_method is None
        identity = db.session.scalar(select(OneLoginIdentity).where(OneLoginIdentity.user_id == user_id))
        assert identity is not None and identity.subject == SUBJECT and identity.linked_via == "invitation"
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation is not None and invitation.used_at is not None and invitation.user_id == user_id
        found = linking.find_user(db.session, SUBJECT)
        assert found.user_id == user_id and found.refused is None
    assert audit.ACCOUNT_CREATED in _actions(seeded) and audit.ONE_LOGIN_LINKED in _actions(seeded)
    # The invitation is used up: it cannot link a second One Login.
    with pytest.raises(linking.LinkError) as raised:
        _link(seeded, invitation_id, subject=OTHER_SUBJECT)
    assert raised.value.code == "invitation"


def test_one_login_email_is_used_only_when_the_victim_has_none_and_one_login_verified_it(app: Flask) -> None:
    victim_id = create_invited_victim(app, email=None)
    invitation_id = _invitation_id(app, victim_id)
    with pytest.raises(linking.LinkError) as raised:
        _link(app, invitation_id, email="nia@one-login.example", verified=False)
    assert raised.value.code == "no-email"
    user_id = _link(app, invitation_id, email="nia@one-login.example", verified=True)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None and user.email == "nia@one-login.example"


def test_an_account_is_never_found_or_linked_by_its_email_address(seeded: Flask) -> None:
    # The demo victim's account has the email One Login gives: the One Login is still not hers.
    with seeded.app_context():
        assert linking.find_user(db.session, SUBJECT) == linking.Found()
    # An invitation whose victim's email belongs to another account is refused, not linked to that account.
    victim_id = create_invited_victim(seeded, email=VICTIM)
    invitation_id = _invitation_id(seeded, victim_id)
    with pytest.raises(linking.LinkError) as raised:
        _link(seeded, invitation_id, email=VICTIM)
    assert raised.value.code == "email-taken"
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(OneLoginIdentity)) == 0
        assert (
            db.session.scalar(select(func.count()).select_from(User).where(User.victim_id == victim_id)) == 0
        )
        invitation = db.session.get(Invitation, invitation_id)
        assert invitation is not None and invitation.used_at is None


def test_a_staff_invitation_cannot_be_linked(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        staff = create_user(
            session, "new.officer@demo.example", role="witness_care_officer", display_name="New Officer"
        )
        session.add(
            Invitation(
                token_hash="0" * 64,
                kind="staff",
                role="witness_care_officer",
                user_id=staff.id,
                channel="email",
                sent_to="new.officer@demo.example",
                expires_at=datetime.now(UTC) + timedelta(days=7),
                created_by_label="Admin",
            )
        )
        session.flush()
        invitation_id = session.scalar(select(Invitation.id).where(Invitation.user_id == staff.id))
    with seeded.app_context():
        assert linking.linkable_invitation(db.session, invitation_id) is None
    with pytest.raises(linking.LinkError) as raised:
        _link(seeded, invitation_id)
    assert raised.value.code == "invitation"
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(OneLoginIdentity)) == 0


def test_a_one_login_links_to_one_account_only(app: Flask) -> None:
    first = _invitation_id(app, create_invited_victim(app))
    second = _invitation_id(
        app, create_invited_victim(app, urn="01CD4444427", email="second@demo.example", phone=None)
    )
    _link(app, first)
    with pytest.raises(linking.LinkError) as raised:
        _link(app, second)
    assert raised.value.code == "linked"


def test_a_password_started_through_the_invitation_goes_when_one_login_is_chosen(app: Flask) -> None:
    victim_id = create_invited_victim(app)
    invitation_id = _invitation_id(app, victim_id)
    with app.app_context(), db.job() as session:
        invitation = session.get(Invitation, invitation_id)
        assert invitation is not None
        started = setup.set_password(session, invitation, "a long and unusual passphrase 42")
        started_id = started.id
    assert _link(app, invitation_id) == started_id
    with app.app_context():
        user = db.session.get(User, started_id)
        assert user is not None and user.password_hash is None and user.mfa_method is None


@pytest.mark.parametrize("state", ["locked", "inactive"])
def test_a_locked_or_closed_account_is_refused(app: Flask, state: str) -> None:
    user_id = _link(app, _invitation_id(app, create_invited_victim(app)))
    with app.app_context(), db.job() as session:
        user = session.get(User, user_id)
        assert user is not None
        if state == "locked":
            user.locked_until = datetime.now(UTC) + timedelta(minutes=30)
        else:
            user.is_active = False
    with app.app_context():
        found = linking.find_user(db.session, SUBJECT)
        assert found.user_id is None and found.refused == state


def test_a_staff_account_never_signs_in_with_a_one_login(seeded: Flask) -> None:
    # Even were a link row written for a staff account by hand, it would not sign in.
    with seeded.app_context(), db.job() as session:
        officer = session.scalar(select(User).where(User.email == OFFICER))
        assert officer is not None
        session.add(
            OneLoginIdentity(user_id=officer.id, subject=SUBJECT, linked_by_label="x", linked_via="x")
        )
    with seeded.app_context():
        found = linking.find_user(db.session, SUBJECT)
        assert found.user_id is None and found.refused == "not-victim"


def test_one_login_logout_ends_every_session_of_the_linked_account(app: Flask) -> None:
    user_id = _link(app, _invitation_id(app, create_invited_victim(app)))
    with app.app_context():
        before = db.session.get(User, user_id).session_generation  # type: ignore[union-attr]
    expires = datetime.now(UTC) + timedelta(minutes=2)
    with app.app_context(), db.job() as session:
        assert (
            one_login_sessions.end_sessions_for_logout(session, LogoutNotice(SUBJECT, "jti-1", expires))
            is True
        )
        assert (
            one_login_sessions.end_sessions_for_logout(session, LogoutNotice(OTHER_SUBJECT, "jti-2", expires))
            is False
        )
    with app.app_context():
        assert db.session.get(User, user_id).session_generation == before + 1  # type: ignore[union-attr]
    assert _actions(app).count(audit.ONE_LOGIN_LOGGED_OUT) == 1


def test_the_same_logout_token_delivered_twice_at_once_is_acted_on_once(app: Flask) -> None:
    """Two deliveries of one token at the same moment: both find its `jti` unseen, and the second to write
    it is refused by the unique `jti` (a replay), its own transaction going on."""
    user_id = _link(app, _invitation_id(app, create_invited_victim(app)))
    notice = LogoutNotice(SUBJECT, "jti-twice", datetime.now(UTC) + timedelta(minutes=2))
    with app.app_context(), db.job() as session:
        assert session.get(User, user_id) is not None  # the second delivery's transaction has begun
        # The first delivery commits in between.
        with app.app_context(), db.job() as first:
            assert one_login_sessions.end_sessions_for_logout(first, notice) is True
        assert one_login_data.add_logout_token(session, notice.jti, notice.expires_at) is False
        assert session.get(User, user_id) is not None  # the transaction is still usable
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OneLoginLogoutToken)) == 1
    assert _actions(app).count(audit.ONE_LOGIN_LOGGED_OUT) == 1


def test_a_replayed_logout_token_ends_nothing_until_it_has_expired(app: Flask) -> None:
    """One Login: refuse a logout token whose `jti` was seen before; a replay must not end a session the
    victim started after the first one. Its `jti` is kept until the token expires, then forgotten."""
    user_id = _link(app, _invitation_id(app, create_invited_victim(app)))
    now = datetime.now(UTC)
    notice = LogoutNotice(SUBJECT, "jti-1", now + timedelta(minutes=2))
    with app.app_context(), db.job() as session:
        assert one_login_sessions.end_sessions_for_logout(session, notice, now=now) is True
    with app.app_context():
        after_first = db.session.get(User, user_id).session_generation  # type: ignore[union-attr]
    with app.app_context(), db.job() as session, pytest.raises(one_login_sessions.ReplayedLogoutToken):
        one_login_sessions.end_sessions_for_logout(session, notice, now=now + timedelta(minutes=1))
    with app.app_context():
        assert db.session.get(User, user_id).session_generation == after_first  # type: ignore[union-attr]
        assert db.session.scalar(select(func.count()).select_from(OneLoginLogoutToken)) == 1
    # Another token is acted on, and the expired one's id is forgotten on the way.
    later = LogoutNotice(SUBJECT, "jti-2", now + timedelta(minutes=9))
    with app.app_context(), db.job() as session:
        assert (
            one_login_sessions.end_sessions_for_logout(session, later, now=now + timedelta(minutes=5)) is True
        )
    with app.app_context():
        assert list(db.session.scalars(select(OneLoginLogoutToken.jti))) == ["jti-2"]


def test_an_officer_of_the_victims_unit_removes_the_link_and_ends_the_sessions(seeded: Flask) -> None:
    create_other_unit(seeded)
    victim_id = create_invited_victim(seeded)
    user_id = _link(seeded, _invitation_id(seeded, victim_id))
    other_officer = _actor(seeded, "other.officer@demo.example")
    with seeded.app_context(), db.job() as session, pytest.raises(NotFound):
        one_login_sessions.unlink(session, other_officer, victim_id)
    officer = _actor(seeded, OFFICER)
    with seeded.app_context(), db.job() as session:
        shown = one_login_sessions.link_of_victim(session, officer, victim_id)
        assert shown is not None and shown.last_sign_in_at is None
        generation = session.get(User, user_id).session_generation  # type: ignore[union-attr]
        one_login_sessions.unlink(session, officer, victim_id)
    with seeded.app_context():
        assert linking.find_user(db.session, SUBJECT) == linking.Found()
        assert db.session.get(User, user_id).session_generation == generation + 1  # type: ignore[union-attr]
        assert one_login_sessions.link_of_victim(db.session, officer, victim_id) is None
    assert audit.ONE_LOGIN_UNLINKED in _actions(seeded)
    with seeded.app_context(), db.job() as session, pytest.raises(NotFound):
        one_login_sessions.unlink(session, officer, victim_id)


def test_erasing_a_victim_removes_their_one_login_link(app: Flask) -> None:
    victim_id = create_invited_victim(app)
    _link(app, _invitation_id(app, victim_id))
    with app.app_context(), db.job() as session:
        retention_data.clear_victim(session, victim_id, datetime.now(UTC))
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OneLoginIdentity)) == 0


def test_a_recovery_invitation_cannot_link_a_one_login_to_an_existing_account(seeded: Flask) -> None:
    # A victim's recovery link (an officer's reset of their second factor) names their account: it must not
    # let whoever holds it attach a One Login to that account.
    with seeded.app_context(), db.job() as session:
        victim = session.scalar(select(User).where(User.email == VICTIM))
        assert victim is not None
        recovery = Invitation(
            token_hash="1" * 64,
            kind="recovery",
            role="victim",
            victim_id=victim.victim_id,
            user_id=victim.id,
            channel="email",
            sent_to=VICTIM,
            expires_at=datetime.now(UTC) + timedelta(days=7),
            created_by_label="Officer",
        )
        session.add(recovery)
        session.flush()
        invitation_id = recovery.id
    with seeded.app_context():
        assert linking.linkable_invitation(db.session, invitation_id) is None
    with pytest.raises(linking.LinkError) as raised:
        _link(seeded, invitation_id)
    assert raised.value.code == "invitation"
    with seeded.app_context():
        assert db.session.scalar(select(func.count()).select_from(OneLoginIdentity)) == 0


def test_the_officers_account_page_shows_the_link_and_removes_it(
    seeded: Flask, officer_client: FlaskClient
) -> None:
    victim_id = create_invited_victim(seeded)
    user_id = _link(seeded, _invitation_id(seeded, victim_id))
    page = f"/staff/victims/{victim_id}/account"
    text = page_text(officer_client.get(page))
    assert "Signs in with GOV.UK One Login" in text and "Checked by GOV.UK One Login" in text
    assert "by Nia Newperson, using their invitation" in text
    with seeded.app_context():
        generation = db.session.get(User, user_id).session_generation  # type: ignore[union-attr]
    removed = post_form(officer_client, f"/staff/victims/{victim_id}/one-login/remove", page=page)
    assert removed.status_code == 302
    text = page_text(officer_client.get(page))
    assert "GOV.UK One Login has been removed from their account" in text
    # The account has no password: the page says there is no way in until the officer sends a link.
    assert "Remove GOV.UK One Login" not in text and "Email address and password" not in text
    assert "Signs in with Nothing yet: reset their security codes to send them a link to get back in" in text
    with seeded.app_context():
        assert linking.find_user(db.session, SUBJECT) == linking.Found()
        assert db.session.get(User, user_id).session_generation == generation + 1  # type: ignore[union-attr]
    # Nothing left to remove.
    again = post_form(officer_client, f"/staff/victims/{victim_id}/one-login/remove", page=page)
    assert again.status_code == 404
