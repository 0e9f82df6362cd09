"""Deciding whether, when and how to tell each victim about an update, and writing the messages to the
outbox in the same transaction as the update.

The rules, from the victim's recorded preferences (services/preferences.py):
- only channels the victim confirmed safe, with a verified, usable contact point, in their order;
  a call from an officer is not a message: the update waits in the officer's "not yet told" list;
- never outside the victim's safe days and hours: the message waits (`not_before`) for the next window;
- how much they want to hear: every update, key milestones only, or one daily digest;
- nothing from a category they opted out of (it still appears in their timeline);
- discreet wording unless they chose detailed messages for that channel; their language.

Urgent updates (safety news: escape, release, orders that protect the victim; `EventType.urgent`):
- go at once to EVERY safe channel the victim can be reached on for messages (all of
  `destinations.reachable`, not only the first), each as its own message: never held for the daily
  digest, and sent even to a victim who chose key milestones only;
- still wait for the victim's next safe time like any other message, UNLESS the victim chose to hear
  about release, escape and orders that protect them at any time (`Preferences.urgent_any_time`):
  then they go now. Safe channels are never broken, whatever the victim chose;
- opt-outs by category STILL apply: a victim who opted out of, say, parole and release news chose not
  to hear it, and urgency does not overrule that choice (the update is still in their timeline, and
  officers see it at the top of their lists of updates not told);
- say "You have an important update" in discreet wording (messages.py), still revealing nothing else;
- after a permanent failure on one channel, fall back only to a channel that has not had it already.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from notifications.outbox import enqueue, message_rows
from notifications.rows import Write, insert_tables
from portal.data import cases as cases_data
from portal.data import communications as communications_data
from portal.models import Case, CaseUpdate, CaseVictim, Communication, Delegation, User, Victim
from portal.models.base import utcnow
from portal.services import vocabulary
from portal.services.accessible_formats import tasks as accessible_format_tasks
from portal.services.common import access
from portal.services.messaging import bilingual, messages
from portal.services.messaging.destinations import (
    MESSAGE_CHANNELS,
    Destination,
    acceptable_email,
    enqueue_to,
    message_to,
    reachable,
)
from portal.services.preferences.records import Preferences, current_preferences, safe_channels
from portal.services.vocabulary.deadlines import told_by_message

log = logging.getLogger(__name__)
LONDON = ZoneInfo("Europe/London")
DIGEST_HOUR = time(18, 0)


@dataclass(frozen=True)
class Decision:
    """What to do for one victim: send on `channel` at `not_before`, or nothing (`reason` says why).

    An urgent update goes to every reachable safe channel: `also` holds the others after `channel`, each
    with whether its wording is detailed. `per_channel()` gives one decision per message."""

    victim_id: str
    channel: str | None
    not_before: datetime | None
    detailed: bool = False
    digest: bool = False
    reason: str = ""
    urgent: bool = False
    also: tuple[tuple[str, bool], ...] = ()

    @property
    def channels(self) -> tuple[str, ...]:
        """Every channel a message goes on, in the victim's order (none if nothing is sent)."""
        if self.channel is None:
            return ()
        return (self.channel, *(channel for channel, _detailed in self.also))

    def per_channel(self) -> list[Decision]:
        """One decision per message: `channel` first, then (urgent news) each of the others."""
        if self.channel is None:
            return []
        first = replace(self, also=())
        return [first, *(replace(first, channel=c, detailed=d) for c, d in self.also)]


def send_time(prefs: Preferences, now: datetime, *, urgent: bool) -> datetime:
    """When a message may go: now for urgent news to a victim who chose to hear it at any time,
    otherwise the victim's next safe time."""
    if urgent and prefs.urgent_any_time:
        return now
    return prefs.next_safe_time(now)


def decide(
    prefs: Preferences,
    update: CaseUpdate,
    victim_id: str,
    now: datetime,
    *,
    reachable_channels: list[str] | None = None,
) -> Decision:
    """The pure rule: no database, no Flask. Tested with Hypothesis over preferences and times.

    `reachable_channels`: the victim's safe channels whose contact details Notify accepts
    (destinations.reachable); by default every safe channel for messages.
    """
    event = vocabulary.get_event_type(update.event_type)
    if event.category in prefs.opted_out:
        return Decision(victim_id, None, None, reason="opted out of this kind of update")
    if prefs.frequency == "key-milestones" and not event.milestone and not event.urgent:
        return Decision(victim_id, None, None, reason="wants key milestones only")
    if reachable_channels is None:
        usable = [channel for channel in safe_channels(prefs) if channel in MESSAGE_CHANNELS]
    else:
        usable = [channel for channel in reachable_channels if channel in MESSAGE_CHANNELS]
    if not usable:
        return Decision(victim_id, None, None, reason="no safe channel for messages")
    channel = usable[0]
    if event.urgent:
        return Decision(
            victim_id,
            channel,
            send_time(prefs, now, urgent=True),
            detailed=prefs.is_detailed(channel),
            urgent=True,
            also=tuple((other, prefs.is_detailed(other)) for other in usable[1:]),
        )
    if prefs.frequency == "daily-digest":
        return Decision(victim_id, channel, next_digest_time(prefs, now), digest=True)
    return Decision(victim_id, channel, prefs.next_safe_time(now), detailed=prefs.is_detailed(channel))


def next_digest_time(prefs: Preferences, now: datetime) -> datetime:
    """Today's digest time (or tomorrow's if it has passed), moved into the next safe window."""
    local = now.astimezone(LONDON)
    candidate = datetime.combine(local.date(), DIGEST_HOUR, tzinfo=LONDON)
    if candidate <= local:
        candidate += timedelta(days=1)
    return prefs.next_safe_time(candidate.astimezone(UTC))


SIGN_IN_PATH = "/sign-in"
PREFERENCES_PATH = "/preferences"


def _links() -> tuple[str, str]:
    """Absolute links for messages (built from PORTAL_BASE_URL: the worker has no request)."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return base + SIGN_IN_PATH, base + PREFERENCES_PATH


class Outgoing:
    """The messages announcing updates, and their communications, gathered to be written together: one
    statement per table for a whole batch of updates (notifications/rows.py), without the ORM's unit of
    work (which cost a batch of 100 updates about a fifth of its CPU). Nothing read while announcing looks
    for these rows; a digest's message and a support worker's copy are still added to the session, where a
    later update's announcement finds today's digest."""

    def __init__(self) -> None:
        self._messages: list[dict[str, Any]] = []
        self._communications: list[dict[str, Any]] = []
        #: Other new rows to write with them, after them (an update's quality checks).
        self.also: list[Write] = []

    def add(self, message: dict[str, Any], communication: dict[str, Any]) -> None:
        self._messages.append(message)
        self._communications.append(communication)

    def write(self, session: Session) -> None:
        """Write what was gathered in the caller's transaction (never commits): a single update's rows in
        one round trip (rows.insert_tables)."""
        if not self._messages and not self.also:
            return
        session.flush()  # the updates, victims and anything else the rows refer to, first
        insert_tables(  # the messages before the communications that refer to them
            session,
            [
                message_rows(self._messages),
                communications_data.communication_rows(self._communications),
                *self.also,
            ],
        )
        self._messages, self._communications, self.also = [], [], []


def _enqueue_for(
    session: Session,
    victim: Victim,
    prefs: Preferences,
    update: CaseUpdate,
    decision: Decision,
    where: Destination,
    *,
    outgoing: Outgoing,
    purpose: str = "update",
) -> None:
    """Gather in `outgoing` the message telling the victim about the update on `where`, with its
    communication."""
    assert decision.channel == where.channel
    sign_in_url, preferences_url = _links()
    rendered = bilingual.render_update_message(
        update.event_type,
        update.details or {},
        channel=cast(messages.Channel, decision.channel),  # a channel for messages (destinations.py)
        language=prefs.language,  # "en", "cy" or "both" (preferences/rules.py): Welsh first
        detailed=decision.detailed,
        urgent=decision.urgent,
        sign_in_url=sign_in_url,
        preferences_url=preferences_url,
        occurred_at=update.occurred_at,
        received_at=update.received_at,
        # Rights counted from being told are dated from when this message should reach the victim (a
        # letter: its expected arrival); it may arrive a little later, so the date is never too late.
        told_at=told_by_message(where.channel, decision.not_before or datetime.now(UTC)),
    )
    message = message_to(
        where,
        subject=rendered.subject or "",
        body=rendered.body,
        not_before=decision.not_before,
        correlation=f"update:{update.id}",
    )
    communication = {
        "victim_id": victim.id,
        "update_id": update.id,
        "outbound_message_id": message["id"],
        "channel": decision.channel,
        "purpose": purpose,
        "detailed": decision.detailed,
        "recipient_user_id": None,
        "created_at": utcnow(),
    }
    outgoing.add(message, communication)


def _digest_for(
    session: Session,
    victim: Victim,
    prefs: Preferences,
    update: CaseUpdate,
    decision: Decision,
    where: Destination,
    now: datetime,
) -> Communication:
    """Join today's pending digest, or start one. A digest is always discreet: it may cover several
    updates, and says only that there are new updates and how to read them."""
    assert decision.channel is not None
    existing = communications_data.get_pending_digest(session, victim.id, now)
    if existing is not None:
        return communications_data.add_communication(
            session,
            Communication(
                victim_id=victim.id,
                update_id=update.id,
                outbound_message_id=existing.outbound_message_id,
                channel=existing.channel,
                purpose="digest",
            ),
            flush=False,
        )
    sign_in_url, preferences_url = _links()
    subject, body = bilingual.in_language(
        prefs.language,
        lambda: (
            _("You have new updates"),
            _(
                "You have new updates. Sign in to read them: %(url)s\n\n"
                "To change how we contact you or to stop these messages: %(prefs)s",
                url=sign_in_url,
                prefs=preferences_url,
            ),
        ),
    )
    message = enqueue_to(
        session,
        where,
        subject=subject,
        body=body,
        not_before=decision.not_before,
        correlation="digest",
        flush=False,
    )
    return communications_data.add_communication(
        session,
        Communication(
            victim_id=victim.id,
            update_id=update.id,
            outbound_message_id=message.id,
            channel=decision.channel,
            purpose="digest",
        ),
        flush=False,
    )


class Audience:
    """What announcing reads about a case's victims that does not change while one agency API request
    stores a batch of updates on that case: the case's victims, each victim's current preferences and who
    receives copies of their notifications. The API passes one for the whole request, so these are read
    once rather than once per update; without one (everywhere else) they are read for every update. Only
    for a unit of work that changes no victims, preferences, contact points or delegations."""

    def __init__(self) -> None:
        self._victims: dict[int, list[Victim]] = {}
        self._preferences: dict[str, Preferences] = {}
        self._copies: dict[str, list[tuple[Delegation, User]]] = {}
        self._destinations: dict[str, dict[str, Destination]] = {}
        self._never_delegated: set[str] = set()

    def victims(self, session: Session, case: Case) -> list[Victim]:
        if case.id not in self._victims:
            self.remember_links(case, cases_data.case_victims_with_delegations(session, case.id))
        return self._victims[case.id]

    def remember_links(self, case: Case, links: list[tuple[CaseVictim, bool]]) -> None:
        """The case's victims as `cases_data.case_victims_with_delegations` reads them (read by the caller
        in the same unit of work)."""
        self._victims[case.id] = [link.victim for link, _delegated in links]
        # A victim who never gave a delegation has no one to copy in: their delegations are not read.
        self._never_delegated.update(link.victim_id for link, delegated in links if not delegated)

    def remember_victims(self, case: Case, victims: list[Victim]) -> None:
        self._victims[case.id] = victims

    def preferences(self, session: Session, victim_id: str) -> Preferences:
        if victim_id not in self._preferences:
            self._preferences[victim_id] = current_preferences(session, victim_id)
        return self._preferences[victim_id]

    def destinations(self, victim: Victim, prefs: Preferences) -> dict[str, Destination]:
        if victim.id not in self._destinations:
            self._destinations[victim.id] = destinations_of(victim, prefs)
        return self._destinations[victim.id]

    def copy_recipients(
        self, session: Session, victim_id: str, now: datetime
    ) -> list[tuple[Delegation, User]]:
        if victim_id in self._never_delegated:
            return []
        if victim_id not in self._copies:
            self._copies[victim_id] = list(access.copy_recipients(session, victim_id, now))
        return self._copies[victim_id]


def destinations_of(victim: Victim, prefs: Preferences) -> dict[str, Destination]:
    """The victim's reachable channels (in their order) and where each one's messages go."""
    return {where.channel: where for where in reachable(prefs, victim)}


def victims_of_case(session: Session, case: Case) -> list[Victim]:
    """The case's victims as the database has them now (one query: links and people together)."""
    return [link.victim for link in cases_data.case_victims_for_case(session, case.id)]


def announce_update(
    session: Session,
    case: Case,
    update: CaseUpdate,
    *,
    now: datetime | None = None,
    audience: Audience | None = None,
    outgoing: Outgoing | None = None,
) -> list[Decision]:
    """Decide for every victim the update is for, and enqueue their messages. Never commits. The update's
    own messages are gathered in `outgoing` for the caller to write (one statement per table for a batch),
    or written before this returns without one; digests and copies to support workers are added to the
    session (written at its next flush)."""
    now = now or datetime.now(UTC)
    gathered = outgoing or Outgoing()
    decisions = []
    victims = audience.victims(session, case) if audience else victims_of_case(session, case)
    if update.victim_id is not None:
        victims = [v for v in victims if v.id == update.victim_id]
    for victim in victims:
        prefs = (
            audience.preferences(session, victim.id) if audience else current_preferences(session, victim.id)
        )
        destinations = audience.destinations(victim, prefs) if audience else destinations_of(victim, prefs)
        decision = decide(prefs, update, victim.id, now, reachable_channels=list(destinations))
        decisions.append(decision)
        if decision.channel is None:
            continue
        # Read before this update's messages are added, so that reading does not write them: a batch's
        # messages are then written together, in one INSERT per table.
        copy_to = _copy_recipients(session, victim.id, now, audience)
        # A need Notify cannot meet (a letter in large print, a BSL explanation): a task for the unit.
        accessible_format_tasks.make_tasks(session, victim, prefs, update, decision.channels)
        if decision.digest:
            _digest_for(session, victim, prefs, update, decision, destinations[decision.channel], now)
        else:
            for one in decision.per_channel():  # one channel; every reachable one for urgent news
                assert one.channel is not None
                _enqueue_for(
                    session, victim, prefs, update, one, destinations[one.channel], outgoing=gathered
                )
        _copies_to_support_workers(session, victim, update, copy_to)
    if outgoing is None:
        gathered.write(session)
    return decisions


# --- Copies to support workers (a delegation with "receive-copies") --------------------------------

COPY_PATH = "/support"


def _copy_recipients(
    session: Session, victim_id: str, now: datetime, audience: Audience | None
) -> list[tuple[Delegation, User]]:
    """The support workers who receive copies of the victim's notifications (access.copy_recipients)."""
    if audience:
        return audience.copy_recipients(session, victim_id, now)
    return list(access.copy_recipients(session, victim_id, now))


def _copies_to_support_workers(
    session: Session, victim: Victim, update: CaseUpdate, recipients: list[tuple[Delegation, User]]
) -> list[Communication]:
    """A copy of a notification the victim is being sent, for each support worker the victim lets receive
    copies. ALWAYS discreet, whatever wording the victim chose: no name, offence, agency or court; it
    only says that someone they help has an update. It goes to the worker's work email straight away
    (the victim's safe times are about the victim's own phone and home)."""
    copies: list[Communication] = []
    if not recipients:  # most victims: no wording needed
        return copies
    link = current_app.config["PORTAL_BASE_URL"].rstrip("/") + COPY_PATH
    with force_locale("en"):
        subject = _("Someone you are helping has an update")
        body = _(
            "Someone you are helping has a new update. Sign in to see your clients: %(url)s\n\n"
            "We send you this because they asked us to copy you in. It never says who it is about or "
            "what has happened.",
            url=link,
        )
    for _delegation, worker in recipients:
        if not acceptable_email(worker.email):
            log.warning("support worker %s: Notify would refuse their email address; no copy sent", worker.id)
            continue
        message = enqueue(
            session,
            flush=False,
            channel="email",
            recipient=worker.email,
            subject=subject,
            body=body,
            correlation=f"delegation-copy:{update.id}",
        )
        copies.append(
            communications_data.add_communication(
                session,
                Communication(
                    victim_id=victim.id,
                    update_id=update.id,
                    outbound_message_id=message.id,
                    channel="email",
                    purpose="delegation-copy",
                    detailed=False,
                    recipient_user_id=worker.id,
                ),
                flush=False,
            )
        )
    return copies


def fall_back(
    session: Session, communication: Communication, *, now: datetime | None = None
) -> Decision | None:
    """After a permanent failure on one channel: the victim's next safe channel, if there is one.

    Urgent news already went to every reachable channel: it falls back only to a channel that has not
    carried it to this victim (one that became reachable since), and goes at once if the victim chose
    to hear it at any time."""
    now = now or datetime.now(UTC)
    if communication.update_id is None or communication.recipient_user_id is not None:
        return None  # nothing to fall back to, or a copy to a support worker (not the victim's channel)
    update = session.get(CaseUpdate, communication.update_id)
    victim = session.get(Victim, communication.victim_id)
    if update is None or victim is None:
        return None
    prefs = current_preferences(session, victim.id)
    urgent = vocabulary.get_event_type(update.event_type).urgent
    usable = reachable(prefs, victim, excluding=communication.channel)
    if urgent:
        told_on = {
            row["channel"]
            for row in communications_data.communications_for_updates(session, [update.id])
            if row["victim_id"] == victim.id and row["recipient_user_id"] is None
        }
        usable = [where for where in usable if where.channel not in told_on]
    if not usable:
        return None
    where = usable[0]
    decision = Decision(
        victim.id,
        where.channel,
        send_time(prefs, now, urgent=urgent),
        detailed=prefs.is_detailed(where.channel),
        urgent=urgent,
    )
    outgoing = Outgoing()
    _enqueue_for(session, victim, prefs, update, decision, where, outgoing=outgoing, purpose="fallback")
    outgoing.write(session)
    return decision
