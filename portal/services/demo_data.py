"""Demo data for `make run`: fictitious people and cases, obviously so. Never loaded in production
unless someone runs `flask seed` on purpose, and only into an empty database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.models import Case, Organisation, OrganisationKind, Role, User, Victim, VictimRequest
from portal.services.accounts.passwords import hash_password
from portal.services.agency_api import clients as api_clients
from portal.services.cases import contacts
from portal.services.cases import records as case_records
from portal.services.cases.records import NewUpdate
from portal.services.quality import demo as quality_demo
from portal.services.secure_messages import demo as messages_demo

DEMO_CASE_URN = "01YZ1234524"
EARLIER_CASE_URN = "01AB5432123"
# Fixed, so the agency API reference's examples work as they stand against the demo data.
DEMO_VICTIM_ID = "7d4c2b1a-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
# Sam's requests (issue 16), fixed for the same reason: a review of the police's decision to close the
# earlier investigation (received), and a complaint about witness care (acknowledged).
DEMO_REVIEW_ID = "2c9e4f1a-7b3d-4e8a-9f60-1d5b8c2a7e34"
DEMO_REVIEW_REFERENCE = "REV-7K3M-Q9XP"
DEMO_COMPLAINT_ID = "8f3a6d2e-1c5b-4a97-b0e8-6e4d2f9c1a53"
DEMO_COMPLAINT_REFERENCE = "CMP-4H8W-2RTN"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    description: str


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# (agency, event type, occurred, received, details)
_DEMO_CASE_UPDATES: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "police",
        "crime-recorded",
        "2026-03-02T09:15",
        "2026-03-02T09:15",
        {
            "crime_reference": "DEMO/0001/26",
            "officer_name": "DC Sam Patel",
            "officer_contact": "01632 960 201",
        },
    ),
    (
        "police",
        "support-referral-made",
        "2026-03-03T11:00",
        "2026-03-03T11:00",
        {"service_name": "Demo Victim Support", "service_phone": "0808 000 0000"},
    ),
    ("police", "suspect-arrested", "2026-03-04T07:30", "2026-03-04T08:00", {}),
    ("police", "suspect-interviewed", "2026-03-04T14:00", "2026-03-04T16:00", {}),
    (
        "police",
        "suspect-bailed",
        "2026-03-05T10:00",
        "2026-03-05T10:00",
        {
            "bail_conditions": [
                "Must not contact you directly or through anyone else",
                "Must not go to the street where you live",
            ],
            "bail_until": "2026-04-16",
        },
    ),
    (
        "cps",
        "suspect-charged",
        "2026-04-15T16:00",
        "2026-04-15T16:30",
        {"charges": ["Assault occasioning actual bodily harm"]},
    ),
    (
        "witness_care",
        "hearing-scheduled",
        "2026-04-16T10:00",
        "2026-04-16T10:00",
        {
            "hearing_at": "2026-05-12T10:00:00+01:00",
            "court_name": "Exampletown Magistrates' Court",
            "court_address": "1 Demo Street, Exampletown",
            "hearing_type": "first-hearing",
        },
    ),
    ("witness_care", "witness-required", "2026-05-13T09:00", "2026-05-12T15:00", {}),
    (
        "witness_care",
        "hearing-adjourned",
        "2026-07-06T15:00",
        "2026-07-06T15:00",
        {
            "hearing_at": "2026-08-17T10:00:00+01:00",
            "court_name": "Exampletown Crown Court",
            "court_address": "2 Demo Street, Exampletown",
            "reason": "A witness was unwell",
        },
    ),
    (
        "witness_care",
        "verdict",
        "2026-08-20T15:30",
        "2026-08-20T16:00",
        {"verdict_summary": "Found guilty", "guilty": True},
    ),
    (
        "witness_care",
        "sentence",
        "2026-09-10T12:00",
        "2026-09-10T12:30",
        {"sentence_summary": "18 months in prison", "vcs_eligible": True, "sentence_date": "2026-09-10"},
    ),
    ("probation", "vcs-referral", "2026-09-17T10:00", "2026-09-17T10:00", {"sentence_date": "2026-09-10"}),
    (
        "probation",
        "vlo-contact",
        "2026-10-08T10:00",
        "2026-10-08T10:00",
        {"vlo_name": "Jordan Ellis", "vlo_contact": "01632 960 512", "referral_date": "2026-09-17"},
    ),
    ("witness_care", "appeal-lodged", "2026-11-02T10:00", "2026-11-02T10:00", {}),
    (
        "witness_care",
        "hearing-scheduled",
        "2026-11-03T10:00",
        "2026-11-03T10:00",
        {
            "hearing_at": "2027-01-18T10:00:00+00:00",
            "court_name": "Exampletown Crown Court",
            "court_address": "2 Demo Street, Exampletown",
            "hearing_type": "other",
        },
    ),
    (
        "probation",
        "licence-conditions-set",
        "2026-11-20T10:00",
        "2026-11-20T10:00",
        {
            "conditions": [
                "Must not enter the area around Demo Street, shown on a map",
                "Must not contact you",
            ]
        },
    ),
]

_EARLIER_CASE_UPDATES: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "police",
        "crime-recorded",
        "2025-02-10T13:00",
        "2025-02-10T13:00",
        {
            "crime_reference": "DEMO/0002/25",
            "officer_name": "PC Jo Hughes",
            "officer_contact": "01632 960 118",
        },
    ),
    ("police", "investigation-update", "2025-03-03T10:00", "2025-03-03T10:00", {}),
    (
        "police",
        "investigation-closed",
        "2025-04-01T10:00",
        "2025-04-01T10:00",
        {
            # A suspect was interviewed under caution, so the decision carries the Victims' Right to
            # Review: the demo review (_demo_requests) asks for it.
            "reason": "there is not enough evidence to charge the person we interviewed",
            "suspect_interviewed_under_caution": True,
            "officer_name": "PC Jo Hughes",
            "officer_contact": "01632 960 118",
        },
    ),
]


# Named contacts: (case URN, role, for the demo victim only, name, phone, email, when to reach, set by).
# Fictional people; Ofcom's drama numbers (01632 960xxx) and example.* addresses.
_DEMO_CONTACTS: list[tuple[str, str, bool, str, str | None, str | None, str | None, str]] = [
    (
        DEMO_CASE_URN,
        contacts.OFFICER_IN_CASE,
        False,
        "DC Sam Patel",
        "01632 960 201",
        "sam.patel@example.police.uk",
        "Monday to Friday, 8am to 6pm",
        "Demo police",
    ),
    (
        DEMO_CASE_URN,
        contacts.WITNESS_CARE_OFFICER,
        False,
        "Olive Officer",
        "01632 960 345",
        "witness.care@example.police.uk",
        "Monday to Friday, 9am to 5pm. Leave a message out of hours and we will call you back",
        "Demo witness care",
    ),
    (
        DEMO_CASE_URN,
        contacts.VICTIM_LIAISON_OFFICER,
        True,
        "Jordan Ellis",
        "01632 960 512",
        "jordan.ellis@example.probation.gov.uk",
        "Tuesday to Thursday, 10am to 4pm",
        "Demo probation",
    ),
    (
        EARLIER_CASE_URN,
        contacts.OFFICER_IN_CASE,
        False,
        "PC Jo Hughes",
        "01632 960 118",
        None,
        "Weekdays, 9am to 5pm",
        "Demo police",
    ),
]


def demo_accounts() -> list[DemoAccount]:
    return [
        DemoAccount("victim@demo.example", Role.VICTIM, "victim with two cases (Sam Sample)"),
        DemoAccount("officer@demo.example", Role.WITNESS_CARE_OFFICER, "witness care officer, Demo unit"),
        DemoAccount("support@demo.example", Role.SUPPORT_WORKER, "support worker, Demo Victim Support"),
        DemoAccount("admin@demo.example", Role.ADMIN, "service administrator"),
    ]


def is_empty(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User)) or 0) == 0


def seed(session: Session, *, password: str, totp_secret: str) -> None:
    """Load the demo data into an empty database."""
    unit = Organisation(
        name="Demo Witness Care Unit", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="01"
    )
    support_org = Organisation(name="Demo Victim Support", kind=OrganisationKind.SUPPORT_SERVICE)
    session.add_all([unit, support_org])
    victim = Victim(
        id=DEMO_VICTIM_ID,
        given_name="Sam",
        family_name="Sample",
        email="victim@demo.example",
        phone="07700900123",
        address_line_1="1 Demo Street",
        address_town="Exampletown",
        postcode="EX1 1AA",
        enhanced_rights=True,
        enhanced_reason="Victim of domestic abuse",
    )
    session.add(victim)
    session.flush()
    password_hash = hash_password(password)
    session.add_all(
        [
            User(
                email="victim@demo.example",
                display_name="Sam Sample",
                password_hash=password_hash,
                role=Role.VICTIM,
                victim_id=victim.id,
                mfa_method="email",
            ),
            User(
                email="officer@demo.example",
                display_name="Olive Officer",
                password_hash=password_hash,
                role=Role.WITNESS_CARE_OFFICER,
                organisation_id=unit.id,
                mfa_method="totp",
                totp_secret=totp_secret,
            ),
            User(
                email="support@demo.example",
                display_name="Sunny Supporter",
                password_hash=password_hash,
                role=Role.SUPPORT_WORKER,
                organisation_id=support_org.id,
                mfa_method="totp",
                totp_secret=totp_secret,
            ),
            User(
                email="admin@demo.example",
                display_name="Ada Admin",
                password_hash=password_hash,
                role=Role.ADMIN,
                mfa_method="totp",
                totp_secret=totp_secret,
            ),
        ]
    )
    for urn, offence, reported, updates in (
        (EARLIER_CASE_URN, "Burglary", date(2025, 2, 10), _EARLIER_CASE_UPDATES),
        (DEMO_CASE_URN, "Assault", date(2026, 3, 2), _DEMO_CASE_UPDATES),
    ):
        case, _ = case_records.upsert_case(session, urn, offence=offence, reported_on=reported)
        case_records.add_victim(session, case, victim, agency_person_reference="DEMO-PERSON-1")
        session.refresh(case)
        for index, (agency, event_type, occurred, received, details) in enumerate(updates, start=1):
            case_records.record_update(
                session,
                case,
                NewUpdate(
                    agency=agency,
                    event_type=event_type,
                    agency_event_id=f"demo-{urn}-{index}",
                    occurred_at=_at(occurred),
                    received_at=_at(received),
                    details=details,
                ),
                announce=False,
            )
    session.flush()
    _demo_contacts(session, victim)
    _demo_preferences(session, victim)
    _demo_delegation(session, victim)
    api_clients.seed_demo_clients(session)
    quality_demo.seed(session, victim.id, "officer@demo.example")  # checks, answers and reviews, marked demo
    _demo_requests(session, victim)
    messages_demo.seed(session, DEMO_CASE_URN, victim.id)  # Sam's message to the VLO, for the API


def _demo_contacts(session: Session, victim: Victim) -> None:
    """Who Sam can reach about each case: the officer in the case and the witness care officer for every
    victim on the case, and Sam's own Victim Liaison Officer, each set by the agency's demo system."""
    for urn, role, victim_only, name, phone, email, when, set_by in _DEMO_CONTACTS:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        change = contacts.ContactChange(
            role=role,
            name=name,
            phone=phone,
            email=email,
            when_to_reach=when,
            victim_id=victim.id if victim_only else None,
        )
        agency = next(client.agency for client in api_clients.DEMO_CLIENTS if client.name == set_by)
        contacts.set_contacts(session, case, [change], updated_by=set_by, agency=agency)


def _demo_preferences(session: Session, victim: Victim) -> None:
    """Email and text messages confirmed safe (discreet wording), 9am to 8pm every day."""
    from portal.services.preferences import contact_points
    from portal.services.preferences import records as preferences

    contact_points.record_verified(session, victim.id, "email", "victim@demo.example")
    contact_points.record_verified(session, victim.id, "phone", "+447700900123")
    preferences.record_preferences(
        session,
        victim,
        {
            "channels": ["email", "sms"],
            "safe": {"email": True, "sms": True},
            "safe_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "safe_from": "09:00",
            "safe_to": "20:00",
        },
        actor=None,
        actor_label="Demo Police (when the crime was reported)",
        source="agency at reporting",
    )


def _demo_requests(session: Session, victim: Victim) -> None:
    """Sam asked the police to review their decision to close the earlier investigation (received, not yet
    acknowledged), and complained about witness care on the demo case (acknowledged by the officer)."""
    from portal.data import victim_requests as requests_data
    from portal.models import CaseUpdate, VictimRequestEvent
    from portal.models.victim_requests import ACKNOWLEDGED, COMPLAINT, REVIEW
    from portal.services.requests import lifecycle

    sam = session.scalar(select(User).where(User.victim_id == victim.id))
    officer = session.scalar(select(User).where(User.email == "officer@demo.example"))
    earlier = session.scalar(select(Case).where(Case.urn == EARLIER_CASE_URN))
    demo = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
    assert sam is not None and officer is not None and earlier is not None and demo is not None
    closed = session.scalar(
        select(CaseUpdate).where(
            CaseUpdate.case_id == earlier.id, CaseUpdate.event_type == "investigation-closed"
        )
    )
    assert closed is not None
    review = lifecycle.submit(
        session,
        kind=REVIEW,
        victim_id=victim.id,
        agency="police",
        answers={
            "reasons": "The officer did not speak to the neighbour who saw the person leave my house, "
            "and nobody checked the doorbell camera footage I offered.",
            "anything_else": "I can send the footage again if it helps.",
        },
        submitted_by_user_id=sam.id,
        case_id=earlier.id,
        update_id=closed.id,
        now=_at("2025-04-22T18:40"),
    )
    _fix_demo_id(session, review, DEMO_REVIEW_ID, DEMO_REVIEW_REFERENCE)
    complaint = lifecycle.submit(
        session,
        kind=COMPLAINT,
        victim_id=victim.id,
        agency="witness_care",
        answers={
            "what_happened": "Nobody told me the hearing in January had been moved until I rang to ask.",
            "happened_on": "2026-11-03",
            "what_you_want": "To be told about changes to hearing dates as soon as you know about them.",
        },
        submitted_by_user_id=sam.id,
        case_id=demo.id,
        now=_at("2026-11-24T14:05"),
    )
    _fix_demo_id(session, complaint, DEMO_COMPLAINT_ID, DEMO_COMPLAINT_REFERENCE)
    # Recorded as history: loading demo data sends nobody a message, so the acknowledgement is written
    # as lifecycle.change_status would write it, without the notice to Sam it would queue.
    acknowledged = _at("2026-11-25T09:30")
    lifecycle.check_transition(complaint, ACKNOWLEDGED)
    complaint.status = ACKNOWLEDGED
    complaint.acknowledged_at = complaint.updated_at = acknowledged
    requests_data.add_event(
        session,
        VictimRequestEvent(
            request_id=complaint.id,
            status=ACKNOWLEDGED,
            at=acknowledged,
            by_user_id=officer.id,
            note="Thank you for telling us. The witness care manager is looking into what happened.",
        ),
    )
    session.flush()


def _fix_demo_id(session: Session, request: VictimRequest, request_id: str, reference: str) -> None:
    """Give a demo request the fixed id and reference the API reference's examples use (its one event,
    still unsaved, follows it)."""
    from portal.models import VictimRequestEvent

    for pending in session.new:
        if isinstance(pending, VictimRequestEvent) and pending.request_id == request.id:
            pending.request_id = request_id
    request.id = request_id
    request.reference = reference
    session.flush()


def _demo_delegation(session: Session, victim: Victim) -> None:
    """Sam lets the demo support worker see their updates and their preferences and needs, accepted, for
    6 months from seeding."""
    from portal.models import Delegation
    from portal.services.delegation import rules as delegation_rules

    now = datetime.now(UTC)
    worker = session.scalar(select(User).where(User.email == "support@demo.example"))
    granted_by = session.scalar(select(User).where(User.victim_id == victim.id))
    assert worker is not None and granted_by is not None
    session.add(
        Delegation(
            victim_id=victim.id,
            grantee_user_id=worker.id,
            scopes=[delegation_rules.SEE_UPDATES, delegation_rules.SEE_PREFERENCES],
            starts_at=now,
            ends_at=delegation_rules.ends_at_for(delegation_rules.default_end_date(now)),
            granted_by_user_id=granted_by.id,
            granted_by_label=granted_by.display_name,
            source=delegation_rules.SOURCE_VICTIM_ONLINE,
            accepted_at=now,
            accepted_by_user_id=worker.id,
            victim_seen_status=delegation_rules.ACTIVE,
            created_at=now,
        )
    )
    session.flush()
