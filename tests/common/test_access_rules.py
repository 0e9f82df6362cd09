"""The access rules that services/common/access.py took over from other services, asked directly and
through the services that now ask it: admins only for staff accounts, a victim's own record only,
who may act on an invitation, an officer's case of a victim, who a delegation can reach and who gets
copies of a victim's messages, and an API client's victim on a case. Out of scope is always NotFound."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.extensions import db
from portal.models import (
    Case,
    Delegation,
    Invitation,
    InvitationKind,
    Organisation,
    OrganisationKind,
    User,
    Victim,
)
from portal.models.delegations import RECEIVE_COPIES, SEE_UPDATES
from portal.services.accounts import invitations, setup, staff
from portal.services.accounts.users import signed_in_user
from portal.services.cases import officer_views
from portal.services.cases import records as case_records
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation import grants, work
from portal.services.delegation import views as delegation_views
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID

VICTIM = "victim@demo.example"
OFFICER = "officer@demo.example"
SUPPORT = "support@demo.example"
ADMIN = "admin@demo.example"
UNIT_CASE_URN = "01CD3333326"  # another case of the demo unit (force 01)
OTHER_FORCE_URN = "02CD3333326"  # a case of force 02


def _user(session: Session, email: str) -> User:
    user = session.scalar(select(User).where(User.email == email))
    assert user is not None
    return user


def _actor(session: Session, email: str) -> Actor:
    return signed_in_user(_user(session, email)).actor


def _refused(call: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    with pytest.raises(NotFound):
        call(*args, **kwargs)


def _victim_on(session: Session, urn: str, given_name: str) -> Victim:
    victim = Victim(given_name=given_name, family_name="Other")
    case, _ = case_records.upsert_case(session, urn, offence="Harassment")
    case_records.add_victim(session, case, victim)
    return victim


def _invitation(
    session: Session, kind: str, *, victim_id: str | None = None, user_id: int | None = None
) -> int:
    now = datetime.now(UTC)
    invitation = Invitation(
        token_hash=secrets.token_hex(32),
        kind=kind,
        role="victim" if kind == InvitationKind.VICTIM else "witness_care_officer",
        victim_id=victim_id,
        user_id=user_id,
        channel="email",
        sent_to="someone@example.com",
        expires_at=now + timedelta(days=7),
        created_by_label="Test",
    )
    session.add(invitation)
    session.flush()
    return invitation.id


def test_only_admins_reach_staff_accounts_and_never_a_victims_account(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        admin = _actor(session, ADMIN)
        officer_user = _user(session, OFFICER)
        victim_user = _user(session, VICTIM)
        assert access.staff_user_for_admin(session, admin, officer_user.id) is officer_user
        assert staff.get_staff(session, admin, officer_user.id).user is officer_user
        for user_id in (victim_user.id, 999_999):
            _refused(access.staff_user_for_admin, session, admin, user_id)
            _refused(staff.get_staff, session, admin, user_id)
        access.require_admin(admin)
        for email in (VICTIM, OFFICER, SUPPORT):
            someone = _actor(session, email)
            _refused(access.require_admin, someone)
            _refused(access.staff_user_for_admin, session, someone, officer_user.id)
            _refused(staff.list_staff, session, someone)
            _refused(staff.organisations, session, someone)
            _refused(
                invitations.invite_staff,
                session,
                someone,
                email="new.admin@demo.example",
                display_name="New Admin",
                role="admin",
                organisation_id=None,
            )
        assert session.scalar(select(User).where(User.email == "new.admin@demo.example")) is None


def test_a_victim_reaches_only_their_own_record(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        victim = _actor(session, VICTIM)
        assert access.own_victim_id(victim) == DEMO_VICTIM_ID
        assert access.is_victim(victim)
        assert signed_in_user(_user(session, VICTIM)).is_victim
        other = _victim_on(session, UNIT_CASE_URN, "Vic")
        open_invitation = _invitation(session, InvitationKind.VICTIM, victim_id=other.id)
        worker = _user(session, SUPPORT)
        without_record = Actor(user_id=victim.user_id, role="victim", victim_id=None, label="No record")
        staff_actors = [_actor(session, email) for email in (OFFICER, SUPPORT, ADMIN)]
        for email in (OFFICER, SUPPORT, ADMIN):
            assert not access.is_victim(_actor(session, email))
            assert not signed_in_user(_user(session, email)).is_victim
        for someone in (without_record, *staff_actors):
            _refused(access.own_victim_id, someone)
            _refused(access.own_cases, session, someone)
            _refused(delegation_views.victim_overview, session, someone)
            _refused(delegation_views.take_notices, session, someone)
            _refused(
                grants.grant_by_victim,
                session,
                someone,
                worker_user_id=worker.id,
                scopes=[SEE_UPDATES],
                last_day=None,
            )
            _refused(setup.accept_case, session, someone, open_invitation)
        assert session.get(Invitation, open_invitation).used_at is None


def test_who_may_resend_or_cancel_an_invitation(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        admin, officer = _actor(session, ADMIN), _actor(session, OFFICER)
        elsewhere = _victim_on(session, OTHER_FORCE_URN, "Far")
        staff_invitation = _invitation(session, InvitationKind.STAFF, user_id=_user(session, OFFICER).id)
        unit_victims = _invitation(session, InvitationKind.VICTIM, victim_id=DEMO_VICTIM_ID)
        other_units = _invitation(session, InvitationKind.VICTIM, victim_id=elsewhere.id)
        assert access.invitation_for_actor(session, admin, staff_invitation).id == staff_invitation
        assert access.invitation_for_actor(session, officer, unit_victims).id == unit_victims
        refused = {
            admin: (unit_victims, other_units, 999_999),
            officer: (staff_invitation, other_units, 999_999),
            _actor(session, SUPPORT): (staff_invitation, unit_victims, other_units),
            _actor(session, VICTIM): (staff_invitation, unit_victims, other_units),
        }
        for someone, invitation_ids in refused.items():
            for invitation_id in invitation_ids:
                _refused(access.invitation_for_actor, session, someone, invitation_id)
                _refused(invitations.cancel, session, someone, invitation_id)
        assert session.get(Invitation, unit_victims).cancelled_at is None
        _refused(invitations.invitations_for_officer, session, admin)


def test_an_officer_sees_a_victims_case_only_on_their_unit_and_with_the_victim_on_it(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        officer = _actor(session, OFFICER)
        victim, case = access.case_of_victim_for_officer(session, officer, DEMO_VICTIM_ID, DEMO_CASE_URN)
        assert (victim.id, case.urn) == (DEMO_VICTIM_ID, DEMO_CASE_URN)
        neighbour = _victim_on(session, UNIT_CASE_URN, "Nel")  # on the unit's cases, not on the demo case
        far_case, _ = case_records.upsert_case(session, OTHER_FORCE_URN, offence="Theft")
        sam = session.get(Victim, DEMO_VICTIM_ID)
        assert sam is not None
        case_records.add_victim(session, far_case, sam)  # the demo victim on another force's case
        for victim_id, urn in (
            (neighbour.id, DEMO_CASE_URN),
            (DEMO_VICTIM_ID, UNIT_CASE_URN),
            (DEMO_VICTIM_ID, OTHER_FORCE_URN),
            (DEMO_VICTIM_ID, "01ZZ9999999"),
            ("not-a-victim", DEMO_CASE_URN),
        ):
            _refused(access.case_of_victim_for_officer, session, officer, victim_id, urn)
            _refused(officer_views.case_view, session, officer, victim_id, urn)
        for email in (VICTIM, SUPPORT, ADMIN):
            _refused(
                access.case_of_victim_for_officer,
                session,
                _actor(session, email),
                DEMO_VICTIM_ID,
                DEMO_CASE_URN,
            )


def test_only_active_support_workers_hold_delegations_and_get_copies(seeded: Flask) -> None:
    now = datetime.now(UTC)
    with seeded.app_context(), db.job() as session:
        worker = _user(session, SUPPORT)
        assert access.can_hold_delegation(worker)
        for email in (VICTIM, OFFICER, ADMIN):
            assert not access.can_hold_delegation(_user(session, email))
        assert not access.can_hold_delegation(None)
        _refused(work.worker_home, session, _actor(session, OFFICER))
        access.require_support_worker(_actor(session, SUPPORT))

        for delegation in session.scalars(select(Delegation)):
            session.delete(delegation)
        session.flush()

        def delegate(scopes: list[str], **grantee: Any) -> Delegation:
            delegation = Delegation(
                victim_id=DEMO_VICTIM_ID,
                scopes=scopes,
                starts_at=now - timedelta(days=1),
                ends_at=now + timedelta(days=30),
                granted_by_label="Test",
                source="victim online",
                accepted_at=now - timedelta(hours=1),
                accepted_by_user_id=worker.id,
                created_at=now - timedelta(days=1),
                **grantee,
            )
            session.add(delegation)
            session.flush()
            return delegation

        delegate([SEE_UPDATES], grantee_user_id=worker.id)  # no copies without "receive-copies"
        to_worker = delegate([RECEIVE_COPIES], grantee_user_id=worker.id)
        to_organisation = delegate([RECEIVE_COPIES], grantee_organisation_id=worker.organisation_id)
        assert access.copy_recipients(session, DEMO_VICTIM_ID, now) == [
            (to_worker, worker),
            (to_organisation, worker),
        ]

        moved = Organisation(name="Elsewhere Support", kind=OrganisationKind.SUPPORT_SERVICE)
        session.add(moved)
        session.flush()
        worker.organisation_id = moved.id  # the organisation's grant no longer reaches them
        session.flush()
        assert access.copy_recipients(session, DEMO_VICTIM_ID, now) == [(to_worker, worker)]

        worker.is_active = False
        session.flush()
        assert not access.can_hold_delegation(worker)
        assert access.copy_recipients(session, DEMO_VICTIM_ID, now) == []


def test_an_api_client_reads_only_victims_on_the_case(seeded: Flask) -> None:
    with seeded.app_context(), db.job() as session:
        demo_case = session.scalar(select(Case).where(Case.urn == DEMO_CASE_URN))
        assert demo_case is not None
        link = access.case_victim_for_api_client(session, demo_case, DEMO_VICTIM_ID.upper())
        assert (link.case_id, link.victim_id) == (demo_case.id, DEMO_VICTIM_ID)
        elsewhere = _victim_on(session, UNIT_CASE_URN, "Una")
        for victim_id in (elsewhere.id, "not-an-id"):
            _refused(access.case_victim_for_api_client, session, demo_case, victim_id)
