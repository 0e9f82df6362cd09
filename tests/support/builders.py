"""Builders for the records tests need: `create_*` for each model, written the way the portal writes them
(through its services where it has one) with defaults only where tests don't care.

Each builder takes the app or a session it is already using. Given the app, it runs in a unit of work of
its own and returns the record detached, its columns loaded (sessions don't expire on commit).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications import outbox
from portal.extensions import db
from portal.models import (
    Case,
    CaseUpdate,
    Communication,
    Delegation,
    Organisation,
    OrganisationKind,
    PreferenceVersion,
    User,
    Victim,
)
from portal.services.accounts.passwords import hash_password
from portal.services.cases import records as case_records
from portal.services.cases.records import NewUpdate
from portal.services.delegation.rules import SCOPES
from portal.services.preferences import contact_points
from portal.services.preferences import records as preferences
from tests.support.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

AppOrSession = Flask | Session


@contextmanager
def in_session(target: AppOrSession) -> Iterator[Session]:
    """The session given, or a new unit of work on the app's database (committed at the end)."""
    if isinstance(target, Session):
        yield target
        return
    with target.app_context(), db.job() as session:
        yield session


@functools.cache
def _password_hash(password: str) -> str:
    # Argon2 is slow on purpose: each password is hashed once per test run.
    return hash_password(password)


def create_organisation(
    target: AppOrSession,
    name: str,
    *,
    kind: str = OrganisationKind.WITNESS_CARE_UNIT,
    force_code: str | None = None,
) -> Organisation:
    with in_session(target) as session:
        organisation = Organisation(name=name, kind=kind, force_code=force_code)
        session.add(organisation)
        session.flush()
        return organisation


def create_user(
    target: AppOrSession,
    email: str,
    *,
    role: str,
    display_name: str,
    organisation_id: int | None = None,
    victim_id: str | None = None,
    password: str | None = DEMO_PASSWORD,
    mfa_method: str | None = "totp",
    totp_secret: str | None = DEMO_TOTP_SECRET,
) -> User:
    """An account. By default it signs in with the demo password and the demo authenticator app secret;
    `password=None` makes one with no password yet, `mfa_method="email"` one that gets codes by email (no
    secret then)."""
    with in_session(target) as session:
        user = User(
            email=email,
            display_name=display_name,
            password_hash=_password_hash(password) if password is not None else None,
            role=role,
            organisation_id=organisation_id,
            victim_id=victim_id,
            mfa_method=mfa_method,
            totp_secret=totp_secret if mfa_method == "totp" else None,
        )
        session.add(user)
        session.flush()
        return user


def create_case(target: AppOrSession, urn: str, *, offence: str) -> Case:
    """The case with this URN (created, or updated if it exists), as an agency would send it."""
    with in_session(target) as session:
        case, _ = case_records.upsert_case(session, urn, offence=offence)
        return case


def create_victim(
    target: AppOrSession,
    given_name: str,
    family_name: str,
    *,
    case: Case | None = None,
    **fields: Any,
) -> Victim:
    """A victim (`fields`: email, phone, address lines, enhanced_rights...), on `case` when given."""
    with in_session(target) as session:
        victim = Victim(given_name=given_name, family_name=family_name, **fields)
        if case is not None:
            case_records.add_victim(session, case, victim)
        else:
            session.add(victim)
            session.flush()
        return victim


def create_update(
    target: AppOrSession,
    case: Case | str,
    event_type: str,
    *,
    agency: str,
    agency_event_id: str,
    occurred_at: datetime | None = None,
    received_at: datetime | None = None,
    details: Mapping[str, Any] | None = None,
    message: str | None = None,
    victim_id: str | None = None,
    announce: bool = True,
) -> CaseUpdate:
    """An update from an agency on `case` (the case or its URN), with its Code deadline; announced to the
    victims as the agency API would (`announce=False`: stored only, like historical data). It happened
    now unless told otherwise, and the agency had it when it happened unless `received_at` says
    otherwise."""
    occurred_at = occurred_at or datetime.now(UTC)
    new = NewUpdate(
        agency=agency,
        event_type=event_type,
        agency_event_id=agency_event_id,
        occurred_at=occurred_at,
        received_at=received_at or occurred_at,
        details=details or {},
        message=message,
        victim_id=victim_id,
    )
    with in_session(target) as session:
        if isinstance(case, str):
            found = session.scalar(select(Case).where(Case.urn == case))
            assert found is not None, f"no case {case}"
            case = found
        return case_records.record_update(session, case, new, announce=announce)


def create_preferences_version(
    target: AppOrSession,
    victim: Victim | str,
    changes: Mapping[str, Any],
    *,
    actor_label: str = "Police (test)",
    source: str = "agency at reporting",
) -> PreferenceVersion:
    """A new version of the victim's preferences and needs (`victim`: the Victim or its id), recorded
    through the preferences service as an agency system (no user) would record it."""
    with in_session(target) as session:
        return preferences.record_preferences(
            session, victim, changes, actor=None, actor_label=actor_label, source=source
        )


def create_contact_point(target: AppOrSession, victim_id: str, kind: str, value: str) -> None:
    """A verified contact point ("email" or "phone"), as if the victim had entered the code sent to it."""
    with in_session(target) as session:
        contact_points.record_verified(session, victim_id, kind, value)


def create_delegation(
    target: AppOrSession,
    victim_id: str,
    *,
    worker: int | None = None,
    organisation: int | None = None,
    scopes: Sequence[str] = SCOPES,
    accepted: bool = True,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    **ended: Any,
) -> Delegation:
    """A delegation in any state, straight into the database: to a worker or an organisation, started a
    day ago, ending in 30 days, accepted an hour ago unless `accepted=False`. `ended` sets e.g.
    revoked_at=..."""
    now = datetime.now(UTC)
    with in_session(target) as session:
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
        return delegation


def update_delegation(app: Flask, delegation_id: int, **values: Any) -> None:
    """Change a delegation's columns straight in the database."""
    with app.app_context(), db.job() as session:
        delegation = session.get(Delegation, delegation_id)
        assert delegation is not None
        for key, value in values.items():
            setattr(delegation, key, value)


def add_victim_to_case(target: AppOrSession, case: Case | str, victim: Victim | str) -> None:
    """Put a victim already recorded on one case on another too (`case`: the case or its URN; `victim`:
    the Victim or its id), as an agency adding the same person to a second case would."""
    with in_session(target) as session:
        if isinstance(case, str):
            found = session.scalar(select(Case).where(Case.urn == case))
            assert found is not None, f"no case {case}"
            case = found
        person = session.get(Victim, victim if isinstance(victim, str) else victim.id)
        assert person is not None, f"no victim {victim}"
        case_records.add_victim(session, case, person)


def create_communication(
    target: AppOrSession,
    victim_id: str,
    *,
    purpose: str = "update",
    update_id: str | None = None,
    channel: str = "sms",
    status: str = "delivered",
    failure_reason: str | None = None,
) -> Communication:
    """A message the portal sent the victim (`update_id`: the update it announced, if any) with its outbox
    row in `status` ("delivered", "permanent-failure", ...), straight into the database."""
    with in_session(target) as session:
        if channel == "email":
            message = outbox.enqueue(
                session, channel="email", recipient="test.victim@example.com", subject="Update", body="x"
            )
        elif channel == "sms":
            message = outbox.enqueue(session, channel="sms", recipient="07700900001", body="x")
        else:
            message = outbox.enqueue(
                session,
                channel="letter",
                address=["A Victim", "1 Test Street", "SW1A 1AA"],
                subject="Update",
                body="x",
            )
        message.status = status
        message.failure_reason = failure_reason
        communication = Communication(
            victim_id=victim_id,
            update_id=update_id,
            outbound_message_id=message.id,
            channel=channel,
            purpose=purpose,
        )
        session.add(communication)
        session.flush()
        return communication


TWO_FORCE_URNS = ("01TF1111126", "02TF2222226")  # force 01 (the demo unit's) and force 02


def create_victim_in_two_forces(target: AppOrSession) -> dict[str, str]:
    """Tess Twoforce, a victim on a case of force 01 (the demo officer's unit) and on a case of force 02,
    each with an update that was announced to her: force 01's "Someone has been arrested" by text
    (delivered), force 02's "The suspect has been charged" by email (it failed). Returns the victim's id,
    the URNs and the update ids (`victim_id`, `urn_01`, `urn_02`, `update_01`, `update_02`)."""
    urn_01, urn_02 = TWO_FORCE_URNS
    with in_session(target) as session:
        case_01 = create_case(session, urn_01, offence="Assault")
        case_02 = create_case(session, urn_02, offence="Harassment")
        victim = create_victim(
            session, "Tess", "Twoforce", case=case_01, email="tess@demo.example", phone="07700900321"
        )
        add_victim_to_case(session, case_02, victim)
        arrested = create_update(
            session, case_01, "suspect-arrested", agency="police", agency_event_id="tf-01", announce=False
        )
        charged = create_update(
            session,
            case_02,
            "suspect-charged",
            agency="cps",
            agency_event_id="tf-02",
            details={"charges": ["harassment"]},
            announce=False,
        )
        create_communication(session, victim.id, update_id=arrested.id, channel="sms")
        create_communication(
            session,
            victim.id,
            update_id=charged.id,
            channel="email",
            status="permanent-failure",
            failure_reason="Notify: permanent failure",
        )
        return {
            "victim_id": victim.id,
            "urn_01": urn_01,
            "urn_02": urn_02,
            "update_01": arrested.id,
            "update_02": charged.id,
        }
