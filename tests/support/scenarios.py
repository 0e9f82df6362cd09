"""The situations several tests start from, made with the builders: another witness care unit, a newly
invited victim, support workers around the demo victim, a long timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select

from portal.extensions import db
from portal.models import Case, Delegation, OrganisationKind, Role, User
from portal.services.accounts import invitations
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.builders import (
    create_case,
    create_organisation,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
)
from tests.support.demo import SUPPORT_WORKER, demo_victim_id


def create_other_unit(app: Flask) -> dict[str, str]:
    """Force 02: its own witness care unit and officer (other.officer@demo.example), a case and a victim
    with a login (Pat, pat@demo.example, codes by email)."""
    with app.app_context(), db.job() as session:
        unit = create_organisation(
            session, "Other Witness Care Unit", kind=OrganisationKind.WITNESS_CARE_UNIT, force_code="02"
        )
        case = create_case(session, "02CD1111125", offence="Theft")
        other = create_victim(
            session, "Pat", "Placeholder", case=case, email="pat@demo.example", phone="07700900456"
        )
        create_user(
            session,
            "other.officer@demo.example",
            display_name="Oscar Other",
            role=Role.WITNESS_CARE_OFFICER,
            organisation_id=unit.id,
        )
        create_user(
            session,
            "pat@demo.example",
            display_name="Pat Placeholder",
            role=Role.VICTIM,
            victim_id=other.id,
            mfa_method="email",
        )
        return {"victim_id": other.id, "urn": "02CD1111125"}


def create_invited_victim(
    app: Flask,
    *,
    urn: str = "01CD3333326",
    email: str | None = "new.victim@demo.example",
    phone: str | None = "07700900456",
    invite: bool = True,
    safe_channels: tuple[str, ...] = ("email", "sms"),
) -> str:
    """A new victim (Nia Newperson) on a case of force 01 (the demo officer's unit), with the channels the
    agency was told are safe at reporting, invited as the API would. Returns the victim's id."""
    with app.app_context(), db.job() as session:
        case = create_case(session, urn, offence="Harassment")
        victim = create_victim(session, "Nia", "Newperson", case=case, email=email, phone=phone)
        safe_channels = tuple(c for c in safe_channels if (c != "email" or email) and (c != "sms" or phone))
        if safe_channels:
            create_preferences_version(
                session, victim, {"channels": list(safe_channels), "safe": dict.fromkeys(safe_channels, True)}
            )
        if invite:
            invitations.invite_victim(session, victim, invited_by_label="Police (test)", case=case)
        return victim.id


OTHER_VICTIM_URN = "01CD3333326"


@dataclass(frozen=True)
class World:
    """The demo data plus: a colleague of the demo worker (same organisation), a worker at another
    organisation, and a second victim (with an account) on a case of the demo unit."""

    victim: str  # the demo victim, Sam Sample: cases 01YZ1234524 and 01AB5432123
    other_victim: str  # Nia Newperson: case 01CD3333326
    worker: int  # support@demo.example, Demo Victim Support
    colleague: int  # colleague@demo.example, Demo Victim Support
    stranger: int  # stranger@demo.example, Other Support Service
    demo_org: int
    other_org: int


def make_world(app: Flask) -> World:
    """The support workers' world (see World), with no delegation at all: each test sets up exactly the
    grants it needs (the demo data's one is removed)."""
    with app.app_context(), db.job() as session:
        demo_worker = session.scalar(select(User).where(User.email == SUPPORT_WORKER))
        assert demo_worker is not None and demo_worker.organisation_id is not None
        other_org = create_organisation(
            session, "Other Support Service", kind=OrganisationKind.SUPPORT_SERVICE
        )

        def worker(email: str, name: str, org: int) -> User:
            return create_user(
                session, email, display_name=name, role=Role.SUPPORT_WORKER, organisation_id=org
            )

        colleague = worker("colleague@demo.example", "Cory Colleague", demo_worker.organisation_id)
        stranger = worker("stranger@demo.example", "Stevie Stranger", other_org.id)
        case = create_case(session, OTHER_VICTIM_URN, offence="Harassment")
        nia = create_victim(
            session, "Nia", "Newperson", case=case, email="nia@demo.example", phone="07700900456"
        )
        create_user(
            session,
            "nia@demo.example",
            display_name="Nia Newperson",
            role=Role.VICTIM,
            victim_id=nia.id,
            mfa_method="email",
        )
        for delegation in session.scalars(select(Delegation)):
            session.delete(delegation)
        session.flush()
        return World(
            victim=demo_victim_id(app),
            other_victim=nia.id,
            worker=demo_worker.id,
            colleague=colleague.id,
            stranger=stranger.id,
            demo_org=demo_worker.organisation_id,
            other_org=other_org.id,
        )


def support_routes(victim_id: str, urn: str) -> dict[str, str | None]:
    """Every support-worker page that takes a client id, and the scope each one needs (None: any)."""
    base = f"/support/clients/{victim_id}"
    return {
        base: None,
        f"{base}/cases/{urn}": "see-updates",
        f"{base}/cases/{urn}?source=police": "see-updates",
        f"{base}/preferences": "see-preferences",
        f"{base}/needs": "change-preferences",
        f"{base}/step-back": None,
    }


def add_updates(
    app: Flask,
    count: int,
    agency: str = "police",
    event_type: str = "investigation-update",
    details: dict[str, Any] | None = None,
) -> None:
    """`count` updates on the demo case, newer than the demo ones, a minute apart (not announced)."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert case is not None
        for index in range(count):
            at = now - timedelta(hours=1) + timedelta(minutes=index)
            create_update(
                session,
                case,
                event_type,
                agency=agency,
                agency_event_id=f"pages-{event_type}-{index}",
                occurred_at=at,
                details=details or {},
                announce=False,
            )
