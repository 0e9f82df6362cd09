"""Invitations: the only way in. A single-use link, 7 days, sent through Notify by the person's safe channel.

- `invite_victim` is called when an agency (API) or an officer adds a victim to a case.
- `invite_staff` is called when an admin creates an officer, support worker or admin.
- `resend` (a new link; the old one stops working) and `cancel` are for officers and admins.
- `recover_second_factor` is an officer's (or admin's) reset after identity checks: a new link to set up
  the second factor again.
Only the SHA-256 of a link's token is stored. Message wording is discreet: no crime, agency or name.
Wrong security codes entered through a link are counted on it (portal.services.accounts.setup): it
stops working after `MAX_WRONG_CODES`, as if cancelled; an officer's re-send starts the count again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import invitations as invitations_data
from portal.data import users as users_data
from portal.data import victims as victims_data
from portal.models import Case, Invitation, InvitationKind, User, Victim
from portal.services import vocabulary
from portal.services.accounts import mfa
from portal.services.accounts import users as accounts
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.common.roles import ADMIN, CREATABLE_ROLES, VICTIM, WITNESS_CARE_OFFICER
from portal.services.messaging import bilingual, destinations
from portal.services.preferences.records import current_preferences

LIFETIME = timedelta(days=7)
# Wrong security codes an invitation takes before it stops working (each also counts towards the
# account's lockout, accounts.users.MAX_FAILED_SIGN_INS).
MAX_WRONG_CODES = 5
LONDON = ZoneInfo("Europe/London")


class InvitationError(ValueError):
    """`code`: "email-taken", "no-contact", "bad-role", "bad-organisation"."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _link(token: str) -> str:
    return f"{current_app.config['PORTAL_BASE_URL'].rstrip('/')}/invitation/{token}"


def _victim_channel(session: Session, victim: Victim) -> tuple[str, str | list[str]] | None:
    """The channel for the link: the first of the victim's channels that they (or the agency, on their
    behalf at reporting) confirmed safe, whose contact point is not known to fail. None if there is no
    such channel: then nothing is sent, and an officer must speak to the victim first (DOMAIN.md: never
    contact through a channel not confirmed safe)."""
    prefs = current_preferences(session, victim.id)
    kinds = {outbox.EMAIL: "email", outbox.SMS: "phone", outbox.LETTER: "address"}
    for channel in prefs.channels:
        if channel not in kinds or channel not in prefs.safe:
            continue
        if prefs.contact_status.get(kinds[channel]) == "unusable":
            continue
        where = destinations.destination(prefs, victim, channel)  # None if Notify would refuse it
        if where is None:
            continue
        if where.address is not None:
            return outbox.LETTER, where.address
        return channel, str(where.recipient)
    return None


def _invitation_words(invitation: Invitation, link: str) -> tuple[str, str]:
    """(subject, body) in the current language: an email's subject, a letter's heading."""
    until = vocabulary.format_date(invitation.expires_at.astimezone(LONDON).date())
    if invitation.kind == InvitationKind.STAFF:
        body = gettext(
            "You have been given an account for GOV.UK Updates about your case. Set it up here: %(link)s\n\n"
            "The link works once and stops working on %(until)s. You will need an authenticator app.",
            link=link,
            until=until,
        )
    elif invitation.kind == InvitationKind.RECOVERY and invitation.password_forgotten:
        body = gettext(
            "Use this link to set up how you get security codes for your GOV.UK account: %(link)s\n\n"
            "You will choose a new password. The link works once and stops working on %(until)s.",
            link=link,
            until=until,
        )
    elif invitation.kind == InvitationKind.RECOVERY:
        body = gettext(
            "Use this link to set up how you get security codes for your GOV.UK account: %(link)s\n\n"
            "You will need your password. The link works once and stops working on %(until)s.",
            link=link,
            until=until,
        )
    else:
        body = gettext(
            "You have been invited to set up a GOV.UK account. Use this link to set it up: %(link)s\n\n"
            "The link works once and stops working on %(until)s. If you were not expecting this, you can "
            "ignore it.",
            link=link,
            until=until,
        )
    return gettext("Set up your GOV.UK account"), body


def _send_link(session: Session, invitation: Invitation, token: str, recipient: str | list[str]) -> None:
    link = _link(token)
    # A victim's invitation is in the language of their preferences (both: Welsh, then English).
    language = current_preferences(session, invitation.victim_id).language if invitation.victim_id else "en"
    subject, body = bilingual.in_language(language, lambda: _invitation_words(invitation, link))
    correlation = f"invitation:{invitation.id}"
    if invitation.channel == outbox.LETTER:
        assert isinstance(recipient, list)
        outbox.enqueue(
            session,
            channel=outbox.LETTER,
            address=recipient,
            subject=subject,
            body=body,
            correlation=correlation,
        )
    else:
        assert isinstance(recipient, str)
        outbox.enqueue(
            session,
            channel=invitation.channel,
            recipient=recipient,
            subject=subject if invitation.channel == outbox.EMAIL else None,
            body=body,
            correlation=correlation,
        )


def _recipient(session: Session, invitation: Invitation) -> str | list[str]:
    if invitation.channel == outbox.LETTER and invitation.victim_id:
        victim = victims_data.get_victim(session, invitation.victim_id)
        found = _victim_channel(session, victim) if victim else None
        if found is None or found[0] != outbox.LETTER:
            raise InvitationError("no-contact")
        return found[1]
    return invitation.sent_to


def _create(
    session: Session,
    *,
    kind: str,
    role: str,
    channel: str,
    recipient: str | list[str],
    created_by_label: str,
    created_by_user_id: int | None,
    victim_id: str | None = None,
    case_id: int | None = None,
    user_id: int | None = None,
    organisation_id: int | None = None,
    password_forgotten: bool = False,
) -> Invitation:
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    invitation = invitations_data.add_invitation(
        session,
        Invitation(
            token_hash=hash_token(token),
            kind=kind,
            role=role,
            victim_id=victim_id,
            case_id=case_id,
            user_id=user_id,
            organisation_id=organisation_id,
            password_forgotten=password_forgotten,
            channel=channel,
            sent_to=recipient if isinstance(recipient, str) else "postal address",
            sent_count=1,
            last_sent_at=now,
            expires_at=now + LIFETIME,
            created_by_label=created_by_label[:200],
            created_by_user_id=created_by_user_id,
            created_at=now,
        ),
    )
    _send_link(session, invitation, token, recipient)
    audit.record(
        session,
        created_by_label,
        audit.INVITATION_SENT,
        actor_user_id=created_by_user_id,
        subject_victim_id=victim_id,
        detail={"invitation_id": invitation.id, "kind": kind, "channel": channel},
    )
    return invitation


def _cancel_open(session: Session, open_invitations: list[Invitation] | tuple[Invitation, ...]) -> None:
    now = datetime.now(UTC)
    for invitation in open_invitations:
        invitation.cancelled_at = now


def invite_victim(
    session: Session,
    victim: Victim,
    *,
    invited_by_label: str,
    invited_by_user_id: int | None = None,
    case: Case | None = None,
) -> Invitation | None:
    """Invite a victim just added to a case. Returns None when nothing is sent: the victim already has an
    account (the new case is on it already) or there is no way to reach them."""
    if victim.id is None:
        session.add(victim)
        session.flush()
    if users_data.get_user_by_victim(session, victim.id) is not None:
        return None
    found = _victim_channel(session, victim)
    if found is None:
        return None
    _cancel_open(session, list(invitations_data.open_invitations_for_victim(session, victim.id)))
    channel, recipient = found
    return _create(
        session,
        kind=InvitationKind.VICTIM,
        role=VICTIM,
        channel=channel,
        recipient=recipient,
        created_by_label=invited_by_label,
        created_by_user_id=invited_by_user_id,
        victim_id=victim.id,
        case_id=case.id if case is not None else None,
    )


def invite_staff(
    session: Session, actor: Actor, *, email: str, display_name: str, role: str, organisation_id: int | None
) -> User:
    """An admin creates a staff account: no password until the link is used, and an authenticator app."""
    access.require_admin(actor)
    if role not in CREATABLE_ROLES:  # checks the role asked for: validation, not an access decision
        raise InvitationError("bad-role")
    organisation = users_data.get_organisation(session, organisation_id) if organisation_id else None
    # The organisation must fit the new account's role: validation, not an access decision.
    wanted_kind = {WITNESS_CARE_OFFICER: "witness_care_unit", "support_worker": "support_service"}.get(role)
    if (wanted_kind and (organisation is None or organisation.kind != wanted_kind)) or (
        role == ADMIN and organisation_id
    ):
        raise InvitationError("bad-organisation")
    email = email.strip()
    if users_data.get_user_by_email(session, email) is not None:
        raise InvitationError("email-taken")
    user = users_data.add_user(
        session,
        User(
            email=email,
            display_name=display_name.strip(),
            password_hash=None,
            role=role,
            organisation_id=organisation.id if organisation else None,
            mfa_method=None,
        ),
    )
    _create(
        session,
        kind=InvitationKind.STAFF,
        role=role,
        channel=outbox.EMAIL,
        recipient=email,
        created_by_label=actor.label,
        created_by_user_id=actor.user_id,
        user_id=user.id,
        organisation_id=user.organisation_id,
    )
    audit.record_for_actor(
        session, actor, audit.ACCOUNT_CREATED, detail={"user_id": user.id, "new_role": role}
    )
    return user


# --- Officers' and admins' actions on an invitation (who may act on which: services/common/access.py) ---


def invitations_for_officer(session: Session, actor: Actor) -> list[Invitation]:
    return list(invitations_data.victim_invitations_for_force(session, access.officer_force_code(actor)))


def invitations_of_victim(session: Session, actor: Actor, victim_id: str) -> list[Invitation]:
    access.victim_for_officer(session, actor, victim_id)
    return list(invitations_data.invitations_for_victim(session, victim_id))


def invite_victim_by_officer(session: Session, actor: Actor, victim_id: str) -> Invitation | None:
    victim = access.victim_for_officer(session, actor, victim_id)
    return invite_victim(session, victim, invited_by_label=actor.label, invited_by_user_id=actor.user_id)


def is_open(invitation: Invitation, at: datetime | None = None) -> bool:
    at = at or datetime.now(UTC)
    return (
        invitation.used_at is None
        and invitation.cancelled_at is None
        and invitation.expires_at > at
        and (invitation.failed_codes or 0) < MAX_WRONG_CODES
    )


def status(invitation: Invitation) -> str:
    if invitation.used_at is not None:
        return "accepted"
    if invitation.cancelled_at is not None:
        return "cancelled"
    if invitation.expires_at <= datetime.now(UTC):
        return "expired"
    return "sent"


def resend(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    """A new link (the old one stops working), valid for another 7 days."""
    invitation = access.invitation_for_actor(session, actor, invitation_id)
    if invitation.used_at is not None:
        raise NotFound
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    invitation.token_hash = hash_token(token)
    invitation.cancelled_at = None
    invitation.expires_at = now + LIFETIME
    invitation.last_sent_at = now
    invitation.sent_count += 1
    invitation.failed_codes = 0  # a new link, checked by an officer: a new count of wrong codes
    session.flush()
    _send_link(session, invitation, token, _recipient(session, invitation))
    audit.record_for_actor(
        session,
        actor,
        audit.INVITATION_RESENT,
        subject_victim_id=invitation.victim_id,
        detail={"invitation_id": invitation.id},
    )
    return invitation


def cancel(session: Session, actor: Actor, invitation_id: int) -> Invitation:
    invitation = access.invitation_for_actor(session, actor, invitation_id)
    if invitation.used_at is None and invitation.cancelled_at is None:
        invitation.cancelled_at = datetime.now(UTC)
        audit.record_for_actor(
            session,
            actor,
            audit.INVITATION_CANCELLED,
            subject_victim_id=invitation.victim_id,
            detail={"invitation_id": invitation.id},
        )
    return invitation


# --- Recovery of a lost second factor, and ending a victim's sessions, by an officer ---


def user_for_victim(session: Session, actor: Actor, victim_id: str) -> User | None:
    access.victim_for_officer(session, actor, victim_id)
    return users_data.get_user_by_victim(session, victim_id)


def recover_second_factor(
    session: Session, actor: Actor, user: User, *, how_checked: str, password_forgotten: bool = False
) -> Invitation:
    """After the officer (or admin, for staff) has checked who the person is: forget their second factor,
    end their sessions and send a link to set one up again. The link asks for their current password
    unless `password_forgotten` (see Invitation.password_forgotten). An account with no password (a victim
    whose GOV.UK One Login was removed) has none to ask for: the link is one for a new password, whatever
    the officer answered, so the new second factor is confirmed by a code to a channel on record."""
    password_forgotten = password_forgotten or user.password_hash is None
    accounts.bump_generation(user)
    mfa.reset_second_factor(user)
    for open_invitation in invitations_data.open_invitations_for_user(session, user.id):
        open_invitation.cancelled_at = datetime.now(UTC)
    if user.victim_id is not None:
        victim = victims_data.get_victim(session, user.victim_id)
        found = _victim_channel(session, victim) if victim else None
        if found is None:
            raise InvitationError("no-contact")
        channel, recipient = found
    else:
        channel, recipient = outbox.EMAIL, user.email
    audit.record_for_actor(
        session,
        actor,
        audit.SECOND_FACTOR_RESET,
        subject_victim_id=user.victim_id,
        detail={
            "user_id": user.id,
            "identity_checked_by": how_checked[:200],
            "new_login_chosen": password_forgotten,
        },
    )
    return _create(
        session,
        password_forgotten=password_forgotten,
        kind=InvitationKind.RECOVERY,
        role=user.role,
        channel=channel,
        recipient=recipient,
        created_by_label=actor.label,
        created_by_user_id=actor.user_id,
        victim_id=user.victim_id,
        user_id=user.id,
        organisation_id=user.organisation_id,
    )
