"""Reminders before a hearing a victim is needed at as a witness (issue 15).

When a victim has been told they are needed at a hearing (witness-required), they get one discreet
reminder on the working day before it (HEARING_REMINDER_WORKING_DAYS before, 1 by default; weekends and
bank holidays in England and Wales are skipped, so a Monday hearing is reminded on the Friday, or on the
Thursday when that Friday is a bank holiday), at the first of their safe times that day, by their first
safe channel that reaches them in time: email or text message (a letter posted the day before would
arrive after the hearing, so letters are skipped for the next safe channel; a victim reached only by
letter, or only by an officer's call, gets no reminder, and sees the hearing on their case page).

The hearing is the one that stands now: `portal.services.cases.standing.next_hearing` (the one rule the
case page uses) over the victim's hearing updates, so there is no reminder once the hearing has moved
(the new date gets its own), been adjourned with no new date, or the case has ended, nor once the victim
was released from going (witness-no-longer-needed). Never two for one hearing date: the `hearing_reminder`
row (victim, case, hearing date in London) is unique, and is written in a savepoint with its outbox
message, so a second worker running at the same moment writes neither.

**Queued only when due.** The outbox cannot cancel a pending message, so a reminder is never queued to
wait: `queue_due_reminders` (run by the worker every few minutes, and by `flask reminders send`) queues a
reminder only once its time has come and the victim's safe time is now, to go at once. A hearing that
changes afterwards cannot leave a stale reminder waiting in the outbox; one that changes before finds no
reminder queued, and the new date is reminded when its own time comes.

The message says only that there is a reminder and to sign in: never the court, the date, the agency or
the offence, whatever wording the victim chose for updates (the person who harmed them may read it). A
victim who opted out of court news gets none.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from notifications.outbox import LETTER
from portal.data import communications as communications_data
from portal.data import hearing_reminders as reminders_data
from portal.data import victims as victims_data
from portal.models import Communication, HearingReminder
from portal.services.cases.standing import HEARING_EVENTS, Hearing, UpdateFact, next_hearing
from portal.services.messaging import bilingual
from portal.services.messaging.destinations import Destination, enqueue_to, reachable
from portal.services.preferences.records import Preferences, current_preferences
from portal.services.vocabulary import deadlines

log = logging.getLogger(__name__)

PURPOSE = "hearing-reminder"
#: The update that says the victim is needed at a hearing.
NEEDED = "witness-required"
#: The category of court news (a victim who opted out of it gets no reminders).
COURT = "court"


def reminder_day(hearing_at: datetime, working_days: int) -> date:
    """The working day `working_days` working days before the hearing's date (London)."""
    day = deadlines.london_date(hearing_at)
    remaining = working_days
    while remaining:
        day -= timedelta(days=1)
        if deadlines.is_working_day(day):
            remaining -= 1
    return day


def due_at(hearing_at: datetime, working_days: int, prefs: Preferences) -> datetime | None:
    """When the reminder is due: the victim's first safe time from the start of the reminder day, or None
    when they have none before the hearing starts."""
    start = datetime.combine(reminder_day(hearing_at, working_days), time(0, 0), tzinfo=deadlines.LONDON)
    due = prefs.next_safe_time(start)
    return due if due < hearing_at else None


def witness_hearing(facts: Iterable[UpdateFact], now: datetime) -> Hearing | None:
    """The hearing still to come that the victim is needed at as a witness, as it stands now."""
    hearing = next_hearing(facts, now)
    return hearing if hearing is not None and hearing.witness_needed else None


def discreet_reminder(language: str, sign_in_url: str, preferences_url: str) -> tuple[str, str]:
    """(subject, body) of the reminder. No court, date, agency, offence or name."""
    return bilingual.in_language(
        language,
        lambda: (
            _("You have a reminder"),
            _(
                "You have a reminder in your updates. Sign in to read it: %(url)s\n\n"
                "To change how we contact you or to stop these messages: %(prefs)s",
                url=sign_in_url,
                prefs=preferences_url,
            ),
        ),
    )


def queue_due_reminders(session: Session, now: datetime, *, working_days: int) -> int:
    """Queue every reminder whose time has come and that has not been queued (module docstring), to go
    now. How many were queued. A constant number of statements, plus a few for each victim whose reminder
    is due."""
    pairs = reminders_data.witnesses(session, NEEDED)
    if not pairs:
        return 0
    by_case: dict[int, list[reminders_data.HearingFact]] = {}
    for fact in reminders_data.hearing_facts(session, {pair[0] for pair in pairs}, HEARING_EVENTS):
        by_case.setdefault(fact.case_id, []).append(fact)
    today = deadlines.london_date(now)
    due: list[tuple[str, int, Hearing]] = []
    for case_id, victim_id in pairs:
        mine = [
            UpdateFact(f.event_type, f.details, f.occurred_at, f.received_at)
            for f in by_case.get(case_id, [])
            if f.victim_id in (None, victim_id)
        ]
        hearing = witness_hearing(mine, now)
        if hearing is not None and reminder_day(hearing.at, working_days) <= today:
            due.append((victim_id, case_id, hearing))
    done = reminders_data.reminded(
        session, [(victim_id, case_id, deadlines.london_date(h.at)) for victim_id, case_id, h in due]
    )
    queued = 0
    for victim_id, case_id, hearing in due:
        if (victim_id, case_id, deadlines.london_date(hearing.at)) in done:
            continue
        if _remind(session, victim_id, case_id, hearing, now, working_days):
            queued += 1
    return queued


def _channel(prefs: Preferences, victim_id: str, session: Session) -> Destination | None:
    victim = victims_data.get_victim(session, victim_id)
    if victim is None:
        return None
    return next((where for where in reachable(prefs, victim) if where.channel != LETTER), None)


def _remind(
    session: Session, victim_id: str, case_id: int, hearing: Hearing, now: datetime, working_days: int
) -> bool:
    prefs = current_preferences(session, victim_id)
    if COURT in prefs.opted_out:
        return False
    due = due_at(hearing.at, working_days, prefs)
    # Only at a safe time, to go now: a reminder never waits in the outbox for a hearing that may move.
    if due is None or now < due or not prefs.is_safe_time(now):
        return False
    where = _channel(prefs, victim_id, session)
    if where is None:
        return False
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    subject, body = discreet_reminder(prefs.language, base + "/sign-in", base + "/preferences")
    try:
        with session.begin_nested():
            message = enqueue_to(
                session, where, subject=subject, body=body, not_before=None, correlation=PURPOSE
            )
            session.add(
                HearingReminder(
                    victim_id=victim_id,
                    case_id=case_id,
                    hearing_on=deadlines.london_date(hearing.at),
                    hearing_at=hearing.at,
                    outbound_message_id=message.id,
                    channel=where.channel,
                    queued_at=now,
                )
            )
            session.flush()
    except IntegrityError:
        log.info(
            "hearing reminder for victim %s, case %s already queued by another worker", victim_id, case_id
        )
        return False
    communications_data.add_communication(
        session,
        Communication(
            victim_id=victim_id,
            outbound_message_id=message.id,
            channel=where.channel,
            purpose=PURPOSE,
            detailed=False,
        ),
    )
    return True
