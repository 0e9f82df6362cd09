"""Telling people about delegations. The victim, that something changed about who can help them
(granted, accepted, declined, stepped back, stopped by an officer, ended): one message through the
outbox, always discreet. And who gets a copy of the victim's notifications (`copy_recipients`, used by
services/dispatch.py).

The message goes by the victim's first channel that is confirmed safe with a verified contact point that
Notify accepts (services/destinations.py), in their language, and waits for their next safe time. It says
only that there is something new and to sign in: never who, what or which service, whatever wording the
victim chose for case updates, because the person who harmed them may read it. When no channel is safe,
nothing is sent; the victim still sees the change in the portal (a banner on their next page).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from notifications.outbox import SMS, enqueue
from portal.data import communications as communications_data
from portal.data import delegations as delegations_data
from portal.data import users as users_data
from portal.models import Communication, Delegation, Role, User
from portal.models.delegations import RECEIVE_COPIES
from portal.services.messaging.destinations import reachable
from portal.services.preferences.records import current_preferences

PURPOSE = "delegation-notice"


def discreet_notice(language: str, sign_in_url: str, preferences_url: str) -> tuple[str, str]:
    """(subject, body) of the message. No names, services, offences or agencies."""
    with force_locale(language):
        subject = _("You have a new message")
        body = _(
            "You have a new message. Sign in to read it: %(url)s\n\n"
            "To change how we contact you or to stop these messages: %(prefs)s",
            url=sign_in_url,
            prefs=preferences_url,
        )
    return subject, body


def tell_victim(session: Session, victim_id: str, *, now: datetime | None = None) -> Communication | None:
    """Queue the discreet message for the victim by their first safe channel, at their next safe time."""
    now = now or datetime.now(UTC)
    victim = users_data.get_victim(session, victim_id)
    if victim is None:
        return None
    prefs = current_preferences(session, victim_id)
    usable = reachable(prefs, victim)
    if not usable:
        return None
    where = usable[0]
    channel = where.channel
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    subject, body = discreet_notice(prefs.language, base + "/sign-in", base + "/preferences")
    message = enqueue(
        session,
        channel=channel,
        recipient=where.recipient,
        address=where.address,
        subject=None if channel == SMS else subject,
        body=body,
        not_before=prefs.next_safe_time(now),
        correlation=PURPOSE,
    )
    return communications_data.add(
        session,
        Communication(
            victim_id=victim_id,
            outbound_message_id=message.id,
            channel=channel,
            purpose=PURPOSE,
            detailed=False,
        ),
    )


# --- Copies of notifications -----------------------------------------------------------------------


def copy_recipients(
    session: Session, victim_id: str, now: datetime | None = None
) -> list[tuple[Delegation, User]]:
    """Who gets a copy of the victim's notifications now: for each delegation in force with
    "receive-copies", the worker it names, or for an organisation the worker who accepted for it (while
    still an active support worker there)."""
    now = now or datetime.now(UTC)
    found = []
    for delegation in delegations_data.active_for_victim(session, victim_id, now):
        if RECEIVE_COPIES not in (delegation.scopes or []):
            continue
        user_id = delegation.grantee_user_id or delegation.accepted_by_user_id
        user = users_data.get_user(session, user_id) if user_id is not None else None
        if user is None or not user.is_active or user.role != Role.SUPPORT_WORKER:
            continue
        if delegation.grantee_organisation_id not in (None, user.organisation_id):
            continue
        found.append((delegation, user))
    return found
