"""What a witness care officer sees about one victim: cases, timelines with the Code deadline and when
the victim was told, preferences and needs with history, and the communications log. Every view is
scoped to the officer's unit and audited ("staff.view_victim")."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from notifications import outbox
from portal.data import victims as victims_data
from portal.models import Case
from portal.services import vocabulary
from portal.services.cases import officer_contacts, standing, timeline, timeliness
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.preferences import records as preferences
from portal.services.preferences.reviews import ReviewDetail, record_staff_view, review_detail
from portal.services.preferences.rules import SOURCE_OFFICER_BY_PHONE

DELIVERY_LABELS = {
    outbox.QUEUED: _l("Waiting to send"),
    outbox.SENDING: _l("Sending"),
    outbox.SENT: _l("Sent, waiting for delivery"),
    outbox.DELIVERED: _l("Delivered"),
    outbox.PERMANENT_FAILURE: _l("Failed: wrong number or address"),
    outbox.TEMPORARY_FAILURE: _l("Not delivered yet: trying again"),
    outbox.TECHNICAL_FAILURE: _l("Not delivered yet: trying again"),
    outbox.FAILED: _l("Failed"),
}
PURPOSE_LABELS = {
    "update": _l("Case update"),
    "digest": _l("Daily digest"),
    "invitation": _l("Invitation to the portal"),
    "sign-in-code": _l("Sign-in code"),
    "verification": _l("Code to confirm contact details"),
    "delegation-copy": _l("Copy to support worker"),
    "fallback": _l("Case update (next safe channel)"),
    "delegation-notice": _l("Change to who is helping them"),
    "request-notice": _l("News about a request they made"),
    "hearing-reminder": _l("Reminder before a hearing they are needed at"),
    "message-notice": _l("News of a reply to a message they sent"),
}


@dataclass(frozen=True)
class CommunicationEntry:
    created_at: datetime
    channel: str
    purpose: str
    about: str | None
    status: str
    status_label: str
    sent_at: datetime | None
    delivered_at: datetime | None
    to_support_worker: bool


@dataclass(frozen=True)
class VictimPage:
    detail: ReviewDetail
    cases: list[Case]
    communications: list[CommunicationEntry]


def communications(session: Session, actor: Actor, victim_id: str) -> list[CommunicationEntry]:
    """The messages the portal sent (or is sending) to the victim that the officer may see (about the
    unit's cases, or about no case: access.officer_communications_of_victim), with their delivery status.
    Never the recipient or the text: the log shows what was sent and whether it arrived."""
    entries = []
    for communication, message, update in access.officer_communications_of_victim(session, actor, victim_id):
        about = None
        if update is not None:
            try:
                about = str(vocabulary.get_event_type(update.event_type).title)
            except vocabulary.UnknownEventType:
                about = update.event_type
        entries.append(
            CommunicationEntry(
                created_at=communication.created_at,
                channel=communication.channel,
                purpose=str(PURPOSE_LABELS.get(communication.purpose, communication.purpose)),
                about=about,
                status=message.status,
                status_label=str(DELIVERY_LABELS.get(message.status, message.status)),
                sent_at=message.sent_at,
                delivered_at=message.delivered_at,
                to_support_worker=communication.recipient_user_id is not None,
            )
        )
    return entries


def victim_page(session: Session, actor: Actor, victim_id: str) -> VictimPage:
    detail = review_detail(session, actor, victim_id)  # scopes (NotFound) and audits the view
    return VictimPage(
        detail=detail,
        cases=list(access.officer_cases_of_victim(session, actor, victim_id)),
        communications=communications(session, actor, victim_id),
    )


@dataclass(frozen=True)
class OfficerCaseView:
    victim_id: str
    victim_name: str
    timeline: timeline.CaseTimeline
    timeliness: Mapping[str, timeliness.UpdateTimeliness]
    #: Where things stand, as the victim sees it (the named contacts are in `contacts`).
    standing: standing.Standing
    contacts: officer_contacts.OfficerContacts


def case_view(
    session: Session,
    actor: Actor,
    victim_id: str,
    urn: str,
    source: str | None = None,
    page: int | None = None,
    *,
    update_id: str | None = None,
) -> OfficerCaseView:
    """One page of a case's timeline as the victim sees it, with the deadline and told time of each update
    on the page, where things stand and the named contacts; marks nothing as seen. With no `page`,
    `update_id` (a link from the timeliness report) opens the page showing it.

    The scope is checked once; then the case is read once (its updates and when the victim was told of
    each), with the page of updates and the named contacts: a constant number of statements however
    long the victim's history."""
    victim, case = access.case_of_victim_for_officer(session, actor, victim_id, urn)
    now = datetime.now(UTC)
    found = timeline.officer_case_page(session, case, victim_id, source, page, update_id=update_id, now=now)
    record_staff_view(session, actor, [victim_id], f"case timeline {case.urn}")
    return OfficerCaseView(
        victim_id=victim_id,
        victim_name=victim.full_name,
        timeline=found.timeline,
        timeliness=timeliness.page_timeliness(victim, case, found.updates, found.reading.told, now=now),
        standing=found.standing,
        contacts=officer_contacts.contacts_of_checked(session, victim, case),
    )


def victim_id_for_reference(session: Session, actor: Actor, reference: str) -> str:
    """The victim behind a reference the audit trail shows instead of a name ("V-3F9A2C1B"), for an
    officer of a unit the victim has a case with; NotFound for anyone else or a reference that is nobody's."""
    return access.victim_for_officer_by_pseudonym(session, actor, reference).id


def victims_on_case(session: Session, actor: Actor, urn: str) -> tuple[Case, list[tuple[str, str]]]:
    """Find a case of the officer's unit by its URN: the case and its victims (id, name)."""
    case = access.case_for_actor(session, actor, urn)
    access.officer_force_code(actor)
    victims = victims_data.victims_for_case(session, case.id)
    record_staff_view(session, actor, [v.id for v in victims], f"find a case {case.urn}")
    return case, [(v.id, v.full_name) for v in victims]


def preferences_for_phone_form(session: Session, actor: Actor, victim_id: str) -> tuple[str, dict[str, Any]]:
    """The victim's name and current answers, for an officer recording preferences given by phone."""
    victim = access.victim_for_officer(session, actor, victim_id)
    record_staff_view(session, actor, [victim_id], "record preferences by phone")
    document = preferences.current_preferences(session, victim_id).to_document()
    return victim.full_name, document


def record_by_phone(session: Session, actor: Actor, victim_id: str, changes: Mapping[str, Any]) -> int | None:
    """Record preferences a victim gave an officer by phone. Returns the new version number, or None if
    nothing changed. Raises InvalidPreferences."""
    victim = access.victim_for_officer(session, actor, victim_id)
    before = preferences.current_preferences(session, victim.id).version
    version = preferences.record_preferences(
        session, victim, changes, actor=actor, actor_label=actor.label, source=SOURCE_OFFICER_BY_PHONE
    )
    return None if version.version == before else version.version
