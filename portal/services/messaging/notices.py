"""Telling people about delegations. The victim, that something changed about who can help them
(granted, accepted, declined, stepped back, stopped by an officer, ended): one message through the
outbox, always discreet. (Who gets a copy of the victim's notifications is decided by
services/common/access.py `copy_recipients`.)

The message goes by the victim's first channel that is confirmed safe with a verified contact point that
Notify accepts (services/destinations.py), in their language, and waits for their next safe time. It says
only that there is something new and to sign in: never who, what or which service, whatever wording the
victim chose for case updates, because the person who harmed them may read it. When no channel is safe,
nothing is sent; the victim still sees the change in the portal (a banner on their next page).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.data import communications as communications_data
from portal.data import victims as victims_data
from portal.models import Communication
from portal.services.messaging import bilingual
from portal.services.messaging.destinations import enqueue_to, reachable
from portal.services.preferences.records import current_preferences

PURPOSE = "delegation-notice"


def discreet_notice(language: str, sign_in_url: str, preferences_url: str) -> tuple[str, str]:
    """(subject, body) of the message. No names, services, offences or agencies."""
    return bilingual.in_language(
        language,
        lambda: (
            _("You have a new message"),
            _(
                "You have a new message. Sign in to read it: %(url)s\n\n"
                "To change how we contact you or to stop these messages: %(prefs)s",
                url=sign_in_url,
                prefs=preferences_url,
            ),
        ),
    )


def tell_victim(
    session: Session, victim_id: str, *, now: datetime | None = None, purpose: str = PURPOSE
) -> Communication | None:
    """Queue the discreet message for the victim by their first safe channel, at their next safe time.
    `purpose` says in the communications log what it was about (a delegation, a request's answer...)."""
    now = now or datetime.now(UTC)
    victim = victims_data.get_victim(session, victim_id)
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
    message = enqueue_to(
        session, where, subject=subject, body=body, not_before=prefs.next_safe_time(now), correlation=purpose
    )
    return communications_data.add_communication(
        session,
        Communication(
            victim_id=victim_id,
            outbound_message_id=message.id,
            channel=channel,
            purpose=purpose,
            detailed=False,
        ),
    )
