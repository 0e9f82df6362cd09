"""Helpers shared by the delegation tests (this module holds no tests): more support workers, another
victim, and delegations written straight into the database in any state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from notifications.outbox import OutboundMessage
from portal.extensions import db
from portal.models import Delegation, Organisation, OrganisationKind, Role, User, Victim
from portal.services.cases import records as case_records
from portal.services.delegation.rules import SCOPES
from tests.conftest import DEMO_TOTP_SECRET, sign_in
from tests.integration.test_preferences_fixtures import demo_victim_id

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
    with app.app_context(), db.job() as session:
        demo_worker = session.scalar(select(User).where(User.email == "support@demo.example"))
        assert demo_worker is not None and demo_worker.organisation_id is not None
        other_org = Organisation(name="Other Support Service", kind=OrganisationKind.SUPPORT_SERVICE)
        session.add(other_org)
        session.flush()

        def worker(email: str, name: str, org: int) -> User:
            # The demo password's hash, reused: hashing again would only slow the tests down.
            return User(
                email=email,
                display_name=name,
                password_hash=demo_worker.password_hash,
                role=Role.SUPPORT_WORKER,
                organisation_id=org,
                mfa_method="totp",
                totp_secret=DEMO_TOTP_SECRET,
            )

        colleague = worker("colleague@demo.example", "Cory Colleague", demo_worker.organisation_id)
        stranger = worker("stranger@demo.example", "Stevie Stranger", other_org.id)
        nia = Victim(given_name="Nia", family_name="Newperson", email="nia@demo.example", phone="07700900456")
        case, _ = case_records.upsert_case(session, OTHER_VICTIM_URN, offence="Harassment")
        case_records.add_victim(session, case, nia)
        session.add_all([colleague, stranger])
        session.flush()
        session.add(
            User(
                email="nia@demo.example",
                display_name="Nia Newperson",
                password_hash=demo_worker.password_hash,
                role=Role.VICTIM,
                victim_id=nia.id,
                mfa_method="email",
            )
        )
        # Only the seeded delegation is removed: each test sets up exactly the grants it needs.
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


def add_delegation(
    app: Flask,
    victim_id: str,
    *,
    worker: int | None = None,
    organisation: int | None = None,
    scopes: tuple[str, ...] | list[str] = SCOPES,
    accepted: bool = True,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    **ended: Any,
) -> int:
    """A delegation in any state, straight into the database. `ended` sets e.g. revoked_at=..."""
    now = datetime.now(UTC)
    with app.app_context(), db.job() as session:
        delegation = Delegation(
            victim_id=victim_id,
            grantee_user_id=worker,
            grantee_organisation_id=organisation,
            scopes=list(scopes),
            starts_at=starts_at or now - timedelta(days=1),
            ends_at=ends_at or now + timedelta(days=30),
            granted_by_label="Test",
            source="victim online",
            accepted_at=(now - timedelta(hours=1)) if accepted else None,
            accepted_by_user_id=worker if accepted else None,
            created_at=now - timedelta(days=1),
            **ended,
        )
        session.add(delegation)
        session.flush()
        return delegation.id


def update_delegation(app: Flask, delegation_id: int, **values: Any) -> None:
    with app.app_context(), db.job() as session:
        delegation = session.get(Delegation, delegation_id)
        assert delegation is not None
        for key, value in values.items():
            setattr(delegation, key, value)


def get_delegation(app: Flask, delegation_id: int) -> Delegation:
    with app.app_context(), db.job() as session:
        delegation = session.get(Delegation, delegation_id)
        assert delegation is not None
        session.expunge(delegation)
        return delegation


def signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def outbox(app: Flask, correlation: str | None = None) -> list[OutboundMessage]:
    with app.app_context(), db.job() as session:
        query = select(OutboundMessage).order_by(OutboundMessage.created_at, OutboundMessage.id)
        if correlation is not None:
            query = query.where(OutboundMessage.correlation.like(f"{correlation}%"))
        rows = list(session.scalars(query))
        session.expunge_all()
        return rows


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
