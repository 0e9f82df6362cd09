"""GOV.UK One Login's session ended (back-channel logout), and a witness care officer seeing and removing
the One Login linked to a victim's account (linking itself: one_login_accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from portal.data import one_login as one_login_data
from portal.data import users as users_data
from portal.services.accounts import sessions
from portal.services.accounts.one_login_accounts import ONE_LOGIN_LABEL, VIA_INVITATION, VIA_RECOVERY
from portal.services.accounts.one_login_tokens import LogoutNotice
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound


def end_sessions_for_logout(session: Session, notice: LogoutNotice, *, now: datetime | None = None) -> bool:
    """One Login told us (back-channel logout) that this subject's session there ended: end every portal
    session of the account linked to it. False when no account is linked (nothing to do);
    ReplayedLogoutToken when the same token was acted on before (it must not end a session started since:
    One Login asks services to refuse a `jti` seen before)."""
    now = now or datetime.now(UTC)
    one_login_data.forget_expired_logout_tokens(session, now)
    if one_login_data.logout_token_seen(session, notice.jti) or not one_login_data.add_logout_token(
        session, notice.jti, notice.expires_at
    ):
        raise ReplayedLogoutToken(notice.jti)
    identity = one_login_data.identity_for_subject(session, notice.subject)
    if identity is None:
        return False
    sessions.end_everywhere(
        session,
        identity.user_id,
        actor_label=ONE_LOGIN_LABEL,
        actor_user_id=None,
        action=audit.ONE_LOGIN_LOGGED_OUT,
    )
    return True


class ReplayedLogoutToken(Exception):
    """A back-channel logout token whose `jti` was acted on before."""


@dataclass(frozen=True)
class LinkShown:
    """An officer's view of a victim's link: when, by whom and how it was made, and when it was last
    used to sign in."""

    linked_at: datetime
    linked_by: str
    through_invitation: bool
    last_sign_in_at: datetime | None
    through_recovery: bool = False


def link_of_victim(session: Session, actor: Actor, victim_id: str) -> LinkShown | None:
    """The One Login linked to the victim's account, for an officer of their unit (NotFound otherwise)."""
    access.victim_for_officer(session, actor, victim_id)
    user = users_data.get_user_by_victim(session, victim_id)
    identity = one_login_data.identity_for_user(session, user.id) if user is not None else None
    if identity is None:
        return None
    return LinkShown(
        linked_at=identity.linked_at,
        linked_by=identity.linked_by_label,
        through_invitation=identity.linked_via == VIA_INVITATION,
        last_sign_in_at=identity.last_sign_in_at,
        through_recovery=identity.linked_via == VIA_RECOVERY,
    )


def unlink(session: Session, actor: Actor, victim_id: str) -> None:
    """An officer removes the One Login from a victim's account (after checking who is asking): the link
    goes, every session of the account ends, and both are audited. The victim then signs in again only
    through a new link the officer sends (a recovery invitation: they link a One Login through it, or
    choose a password and a second factor). NotFound when there is no link."""
    access.victim_for_officer(session, actor, victim_id)
    user = users_data.get_user_by_victim(session, victim_id)
    identity = one_login_data.identity_for_user(session, user.id) if user is not None else None
    if user is None or identity is None:
        raise NotFound
    one_login_data.remove_identity(session, identity)
    audit.record_for_actor(
        session, actor, audit.ONE_LOGIN_UNLINKED, subject_victim_id=victim_id, detail={"user_id": user.id}
    )
    sessions.end_everywhere(
        session,
        user.id,
        actor_label=actor.label,
        actor_user_id=actor.user_id,
        action=audit.SIGNED_OUT_EVERYWHERE,
    )
