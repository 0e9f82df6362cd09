"""What a support worker (and an officer) may reach through the access rules
(`portal/services/common/access.py`), where mutation testing showed no test would notice a change: a
worker seeing a case of a victim who never let them, one victim's delegation opening another victim's
information, a request to the worker's organisation that no one in it can answer, a worker the victim
chose never copied in because another worker's delegation lapsed. Through the delegation services where
a worker reaches them, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from notifications.outbox import OutboundMessage
from portal.models import Case, OrganisationKind, Role, User, Victim
from portal.models.delegations import RECEIVE_COPIES, SEE_PREFERENCES, SEE_UPDATES
from portal.services.common import access, audit
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation import grants, work
from portal.services.messaging import dispatch
from tests.support.builders import (
    add_victim_to_case,
    create_case,
    create_contact_point,
    create_delegation,
    create_organisation,
    create_preferences_version,
    create_update,
    create_user,
    create_victim,
)


@contextmanager
def unit_of_work(app: Flask) -> Iterator[Session]:
    with app.app_context():
        session = app.extensions["database"].session_factory()
        try:
            yield session
        finally:
            session.rollback()
            session.close()


def case_in(session: Session, force: str = "01") -> Case:
    return create_case(session, f"{force}AM{uuid.uuid4().int % 10**5:05d}26", offence="Harassment")


def victim_on(session: Session, case: Case, name: str) -> Victim:
    return create_victim(session, name, "Sample", case=case)


def worker_user(session: Session, organisation_id: int | None = None, name: str = "Wendy Worker") -> User:
    if organisation_id is None:
        organisation_id = create_organisation(
            session, "Helping Hands", kind=OrganisationKind.SUPPORT_SERVICE
        ).id
    return create_user(
        session,
        f"worker.{uuid.uuid4().hex[:6]}@example.com",
        role=Role.SUPPORT_WORKER,
        display_name=name,
        organisation_id=organisation_id,
    )


def as_actor(user: User, force: str | None = None) -> Actor:
    return Actor(user.id, user.role, user.victim_id, user.organisation_id, force, user.display_name)


def test_a_worker_sees_a_case_only_of_a_victim_who_lets_them_see_updates(app: Flask) -> None:
    """A worker who may see Ann's updates sees Ann's case, and not: a case Ann is not on, a case of
    Bob's who lets them see only his preferences (even though Ann lets them see updates), nor a URN
    that is no case."""
    with unit_of_work(app) as session:
        anns, bobs = case_in(session), case_in(session)
        ann, bob = victim_on(session, anns, "Ann"), victim_on(session, bobs, "Bob")
        worker = as_actor(worker_user(session))
        create_delegation(session, ann.id, worker=worker.user_id, scopes=[SEE_UPDATES])
        create_delegation(session, bob.id, worker=worker.user_id, scopes=[SEE_PREFERENCES])
        case, delegation = access.case_for_worker(session, worker, ann.id, anns.urn)
        assert (case.id, delegation.victim_id) == (anns.id, ann.id)
        name, found = work.client_case(session, worker, ann.id, anns.urn, None)
        assert name == "Ann Sample"
        assert (found.timeline.case.id, found.standing.contacts) == (anns.id, ())
        for victim_id, urn in (
            (ann.id, bobs.urn),  # a case Ann is not on
            (bob.id, bobs.urn),  # Bob's own case: he lets them see his preferences, not his updates
            (ann.id, "01ZZ9999926"),  # no such case
        ):
            with pytest.raises(NotFound):
                access.case_for_worker(session, worker, victim_id, urn)
            with pytest.raises(NotFound):
                work.client_case(session, worker, victim_id, urn, None)
        # Ann on Bob's case too: then the worker sees it, as one of Ann's cases.
        add_victim_to_case(session, bobs, ann)
        assert access.case_for_worker(session, worker, ann.id, bobs.urn)[0].id == bobs.id
        # Another worker, and anyone who is not a support worker, sees none of it.
        for someone in (as_actor(worker_user(session)), as_actor(victim_user(session, ann))):
            with pytest.raises(NotFound):
                access.case_for_worker(session, someone, ann.id, anns.urn)


def victim_user(session: Session, victim: Victim) -> User:
    return create_user(
        session,
        f"victim.{uuid.uuid4().hex[:6]}@example.com",
        role=Role.VICTIM,
        display_name=victim.full_name,
        victim_id=victim.id,
    )


def test_one_victims_delegation_opens_nothing_of_another_victims(app: Flask) -> None:
    """Bob lets the worker do everything; Ann lets them do nothing. Nothing of Ann's opens for them."""
    with unit_of_work(app) as session:
        ann, bob = victim_on(session, case_in(session), "Ann"), victim_on(session, case_in(session), "Bob")
        worker = as_actor(worker_user(session))
        bobs = create_delegation(session, bob.id, worker=worker.user_id)
        assert access.delegation_for_worker(session, worker, bob.id, SEE_UPDATES).id == bobs.id
        assert work.client_name(session, worker, bob.id) == "Bob Sample"
        for scope in (None, SEE_UPDATES, SEE_PREFERENCES):
            with pytest.raises(NotFound):
                access.delegation_for_worker(session, worker, ann.id, scope)
        with pytest.raises(NotFound):
            work.client_name(session, worker, ann.id)
        with pytest.raises(NotFound):
            work.client_preferences(session, worker, ann.id)
        with pytest.raises(NotFound):
            grants.step_back(session, worker, ann.id)


def test_a_request_to_the_workers_organisation_waits_for_anyone_in_it(app: Flask) -> None:
    """Ann asks an organisation for support: any worker there may accept it; a worker elsewhere may not."""
    with unit_of_work(app) as session:
        ann = victim_on(session, case_in(session), "Ann")
        organisation = create_organisation(session, "Safe Steps", kind=OrganisationKind.SUPPORT_SERVICE)
        worker = as_actor(worker_user(session, organisation.id))
        elsewhere = as_actor(worker_user(session))
        request = create_delegation(session, ann.id, organisation=organisation.id, accepted=False)
        with pytest.raises(NotFound):
            access.pending_delegation_for_worker(session, elsewhere, request.id)
        assert access.pending_delegation_for_worker(session, worker, request.id).id == request.id
        assert work.invitation(session, worker, request.id).id == request.id
        accepted = grants.accept(session, worker, request.id)
        assert accepted.accepted_by_user_id == worker.user_id
        assert work.client_name(session, worker, ann.id) == "Ann Sample"


def test_copies_reach_every_worker_after_one_who_may_no_longer_have_them(app: Flask) -> None:
    """Ann's first two delegations with "receive-copies" reach nobody now (the worker's account was
    closed; the worker who accepted for an organisation has moved to another), and one lets a worker
    see updates only: the worker after them still gets a copy of each update, and only that worker."""
    with unit_of_work(app) as session:
        case = case_in(session)
        ann = victim_on(session, case, "Ann")
        email = f"ann.{uuid.uuid4().hex[:6]}@example.com"
        create_preferences_version(
            session, ann, {"channels": ["email"], "safe": {"email": True}, "email": email}
        )
        create_contact_point(session, ann.id, "email", email)
        closed = worker_user(session, name="Closed Account")
        closed.is_active = False
        create_delegation(session, ann.id, worker=closed.id, scopes=[RECEIVE_COPIES])
        organisation = create_organisation(session, "Safe Steps", kind=OrganisationKind.SUPPORT_SERVICE)
        moved = worker_user(session, name="Moved On")  # works for another organisation now
        for_org = create_delegation(session, ann.id, organisation=organisation.id, scopes=[RECEIVE_COPIES])
        for_org.accepted_by_user_id = moved.id
        updates_only = worker_user(session, name="Updates Only")
        create_delegation(session, ann.id, worker=updates_only.id, scopes=[SEE_UPDATES])
        current = worker_user(session, name="Current Worker")
        theirs = create_delegation(session, ann.id, worker=current.id, scopes=[RECEIVE_COPIES])
        session.flush()
        assert access.copy_recipients(session, ann.id, datetime.now(UTC)) == [(theirs, current)]
        update = create_update(
            session, case, "suspect-arrested", agency="police", agency_event_id="am-1", announce=False
        )
        session.flush()
        dispatch.announce_update(session, case, update)
        session.flush()
        copied_to = session.scalars(
            select(OutboundMessage.recipient).where(
                OutboundMessage.correlation == f"delegation-copy:{update.id}"
            )
        ).all()
        assert copied_to == [current.email]
        later = datetime.now(UTC) + timedelta(days=31)  # every delegation has ended
        assert access.copy_recipients(session, ann.id, later) == []


def test_an_officers_account_linked_to_a_victim_record_still_sees_only_the_units_cases(app: Flask) -> None:
    """Only a victim's account reaches cases through its victim record: an officer's account that carries
    one (a record linked by mistake) still reaches its unit's cases, and not that victim's elsewhere."""
    with unit_of_work(app) as session:
        ours, theirs = case_in(session, "01"), case_in(session, "02")
        ann = victim_on(session, theirs, "Ann")
        unit = create_organisation(session, "Unit 01", force_code="01")
        user = create_user(
            session,
            f"officer.{uuid.uuid4().hex[:6]}@example.com",
            role=Role.WITNESS_CARE_OFFICER,
            display_name="Olive Officer",
            organisation_id=unit.id,
            victim_id=ann.id,
        )
        officer = as_actor(user, force="01")
        assert access.case_for_actor(session, officer, ours.urn).id == ours.id
        with pytest.raises(NotFound):
            access.case_for_actor(session, officer, theirs.urn)


def test_an_admin_sees_how_many_times_a_counted_event_happened(app: Flask) -> None:
    """Pseudonymising the audit trail for an admin keeps everything that is not about a victim, such as
    how many refused calls one row counts."""
    with unit_of_work(app) as session:
        admin_user = create_user(
            session, f"admin.{uuid.uuid4().hex[:6]}@example.com", role=Role.ADMIN, display_name="Ada Admin"
        )
        at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        rows = [
            audit.AuditRow(at, "api-refused", "API client", None, None, "r-1", {"status": 401}, 3),
            audit.AuditRow(at, "sign-in", "Ada Admin", admin_user.id, None, "r-2", {}),
        ]
        shown = access.audit_rows_for_admin(session, as_actor(admin_user), rows)
        assert [(row.action, row.occurrences) for row in shown] == [("api-refused", 3), ("sign-in", 1)]
