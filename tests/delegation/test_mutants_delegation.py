"""Issue 23: the delegation bugs that would hurt a victim, each caught by a test named for it, through the
delegation services, on SQLite and PostgreSQL.

- mutant 6: an officer cannot suspend (nor see) a delegation of a victim outside their unit by pairing
  it with the id of a victim of their own unit (`or` -> `and` in the officer's delegation check);
- mutant 10: what a support worker may do for a victim is what that victim's delegations grant, never
  what another victim's delegation grants (`worker_scopes` stops filtering by victim).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import Delegation, OrganisationKind, Role, Victim
from portal.models.delegations import CHANGE_PREFERENCES, SEE_PREFERENCES, SEE_UPDATES
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation import grants, work
from tests.support.builders import (
    create_case,
    create_delegation,
    create_organisation,
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


def victim_in_force(session: Session, force: str, name: str) -> Victim:
    case = create_case(session, f"{force}DL{uuid.uuid4().int % 10**5:05d}26", offence="Harassment")
    return create_victim(session, name, "Sample", case=case)


def officer_of(session: Session, force: str) -> Actor:
    unit = create_organisation(session, f"Unit {force}", force_code=force)
    user = create_user(
        session,
        f"officer.{uuid.uuid4().hex[:6]}@example.com",
        role=Role.WITNESS_CARE_OFFICER,
        display_name="Olive Officer",
        organisation_id=unit.id,
    )
    return Actor(
        user.id, Role.WITNESS_CARE_OFFICER, organisation_id=unit.id, force_code=force, label="Olive Officer"
    )


def support_worker(session: Session) -> Actor:
    organisation = create_organisation(session, "Helping Hands", kind=OrganisationKind.SUPPORT_SERVICE)
    user = create_user(
        session,
        f"worker.{uuid.uuid4().hex[:6]}@example.com",
        role=Role.SUPPORT_WORKER,
        display_name="Wendy Worker",
        organisation_id=organisation.id,
    )
    return Actor(user.id, Role.SUPPORT_WORKER, organisation_id=organisation.id, label="Wendy Worker")


def test_mutant6_an_officer_cannot_suspend_another_units_delegation(app: Flask) -> None:
    """`or` -> `and` in `delegation_for_officer` would let an officer pair the id of a victim on their
    unit's cases with the id of a delegation of a victim elsewhere, and stop that victim's support."""
    with unit_of_work(app) as session:
        ours = victim_in_force(session, "01", "Ann")
        theirs = victim_in_force(session, "02", "Bob")
        worker = support_worker(session)
        our_delegation = create_delegation(session, ours.id, worker=worker.user_id)
        their_delegation = create_delegation(session, theirs.id, worker=worker.user_id)
        officer = officer_of(session, "01")
        with pytest.raises(NotFound):
            grants.suspend(session, officer, ours.id, their_delegation.id, "Safeguarding concern")
        with pytest.raises(NotFound):
            access.delegation_for_officer(session, officer, ours.id, their_delegation.id)
        with pytest.raises(NotFound):  # the other unit's victim, by their own id
            grants.suspend(session, officer, theirs.id, their_delegation.id, "Safeguarding concern")
        with pytest.raises(NotFound):  # a delegation id that is nobody's
            access.delegation_for_officer(session, officer, ours.id, their_delegation.id + 1000)
        session.flush()
        session.refresh(their_delegation)
        assert their_delegation.suspended_at is None
        # Their own unit's victim's delegation: the officer may stop it, with a reason.
        stopped = grants.suspend(session, officer, ours.id, our_delegation.id, "  Safeguarding concern  ")
        assert stopped.id == our_delegation.id and stopped.suspended_at is not None
        assert (stopped.suspended_reason, stopped.suspended_by_label) == (
            "Safeguarding concern",
            "Olive Officer",
        )
        assert access.delegation_for_officer(
            session, officer_of(session, "02"), theirs.id, their_delegation.id
        ).id == (their_delegation.id)


def test_mutant10_worker_scopes_are_the_scopes_this_victim_granted(app: Flask) -> None:
    """`worker_scopes` without its victim would give a worker, for one victim, every scope any of their
    clients granted: here, changing Ann's preferences because Bob lets them change his."""
    with unit_of_work(app) as session:
        ann = victim_in_force(session, "01", "Ann")
        bob = victim_in_force(session, "01", "Bob")
        cat = victim_in_force(session, "01", "Cat")
        worker = support_worker(session)
        create_delegation(session, ann.id, worker=worker.user_id, scopes=[SEE_UPDATES])
        create_delegation(
            session, bob.id, worker=worker.user_id, scopes=[SEE_PREFERENCES, CHANGE_PREFERENCES]
        )
        create_delegation(session, ann.id, organisation=worker.organisation_id, scopes=[SEE_PREFERENCES])
        assert access.worker_scopes(session, worker, ann.id) == {SEE_UPDATES, SEE_PREFERENCES}
        assert access.worker_scopes(session, worker, bob.id) == {SEE_PREFERENCES, CHANGE_PREFERENCES}
        assert work.client_preferences(session, worker, ann.id).can_change is False
        assert work.client_preferences(session, worker, bob.id).can_change is True
        page = work.client_page(session, worker, ann.id)
        assert page.client.scopes == frozenset({SEE_UPDATES, SEE_PREFERENCES})
        assert [case.id for case in page.cases] != []  # Ann lets them see her updates
        assert work.client_page(session, worker, bob.id).cases == []  # Bob does not
        with pytest.raises(NotFound):  # no delegation from Cat at all
            access.worker_scopes(session, worker, cat.id)
        with pytest.raises(NotFound):
            work.client_page(session, worker, cat.id)
        with pytest.raises(NotFound):  # anyone but a support worker
            access.worker_scopes(session, officer_of(session, "01"), ann.id)


def test_a_worker_reaches_a_victim_only_through_a_delegation_with_that_scope(app: Flask) -> None:
    with unit_of_work(app) as session:
        ann = victim_in_force(session, "01", "Ann")
        worker = support_worker(session)
        only_updates = create_delegation(session, ann.id, worker=worker.user_id, scopes=[SEE_UPDATES])
        assert access.delegation_for_worker(session, worker, ann.id, SEE_UPDATES).id == only_updates.id
        assert access.delegation_for_worker(session, worker, ann.id, None).id == only_updates.id
        with pytest.raises(NotFound):
            access.delegation_for_worker(session, worker, ann.id, CHANGE_PREFERENCES)
        with pytest.raises(NotFound):
            work.document_to_change(session, worker, ann.id)
        pending = create_delegation(
            session, ann.id, worker=worker.user_id, scopes=[SEE_PREFERENCES], accepted=False
        )
        assert access.pending_delegation_for_worker(session, worker, pending.id).id == pending.id
        with pytest.raises(NotFound):  # accepted already: not waiting for an answer
            access.pending_delegation_for_worker(session, worker, only_updates.id)
        someone_else = support_worker(session)
        with pytest.raises(NotFound):
            access.pending_delegation_for_worker(session, someone_else, pending.id)
        with pytest.raises(NotFound):
            access.delegation_for_worker(session, someone_else, ann.id, None)
        assert isinstance(session.get(Delegation, pending.id), Delegation)
