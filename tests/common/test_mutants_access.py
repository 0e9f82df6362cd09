"""Issue 23: the access rules (`portal/services/common/access.py`) that mutation testing showed no test
noticed, asked directly on records made for each test, on SQLite and PostgreSQL. Out of scope is always
NotFound. (The officer's delegation check and a worker's scopes, mutants 6 and 10, are in
tests/delegation/test_mutants_delegation.py.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy.orm import Session

from portal.models import Case, OrganisationKind, Role, User, Victim
from portal.models.delegations import RECEIVE_COPIES, SEE_UPDATES
from portal.services.common import access, audit
from portal.services.common.actors import Actor, ApiCaller
from portal.services.common.errors import NotFound
from tests.support.builders import (
    add_victim_to_case,
    create_case,
    create_communication,
    create_delegation,
    create_organisation,
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


def refused(call: Callable[..., Any], *args: Any) -> None:
    with pytest.raises(NotFound):
        call(*args)


def case_in(session: Session, force: str) -> Case:
    return create_case(session, f"{force}AC{uuid.uuid4().int % 10**5:05d}26", offence="Theft")


def victim_in(session: Session, case: Case, name: str = "Ann") -> Victim:
    return create_victim(
        session, name, "Sample", case=case, email=f"{name.lower()}.{uuid.uuid4().hex[:6]}@example.com"
    )


def person(session: Session, role: str, *, force: str | None = None, victim_id: str | None = None) -> User:
    organisation = None
    if role == Role.WITNESS_CARE_OFFICER:
        organisation = create_organisation(session, f"Unit {force}", force_code=force).id
    elif role == Role.SUPPORT_WORKER:
        organisation = create_organisation(session, "Support", kind=OrganisationKind.SUPPORT_SERVICE).id
    return create_user(
        session,
        f"{role}.{uuid.uuid4().hex[:6]}@example.com",
        role=role,
        display_name=f"A {role}",
        organisation_id=organisation,
        victim_id=victim_id,
    )


def actor_for(user: User, *, force: str | None = None) -> Actor:
    return Actor(user.id, user.role, user.victim_id, user.organisation_id, force, user.display_name)


# --- Victims and officers: cases --------------------------------------------------------------------


def test_a_case_is_a_victims_own_or_one_of_the_officers_unit_and_nobody_elses(app: Flask) -> None:
    with unit_of_work(app) as session:
        ours, theirs = case_in(session, "01"), case_in(session, "02")
        ann = victim_in(session, ours)
        victim = actor_for(person(session, Role.VICTIM, victim_id=ann.id))
        officer = actor_for(person(session, Role.WITNESS_CARE_OFFICER, force="01"), force="01")
        assert access.case_for_actor(session, victim, ours.urn).id == ours.id
        assert [case.id for case in access.own_cases(session, victim)] == [ours.id]
        assert access.case_for_actor(session, officer, ours.urn).id == ours.id
        refused(access.case_for_actor, session, victim, theirs.urn)
        refused(access.case_for_actor, session, officer, theirs.urn)
        refused(access.case_for_actor, session, officer, "01ZZ0000026")
        no_unit = Actor(officer.user_id, Role.WITNESS_CARE_OFFICER, force_code=None)
        refused(access.case_for_actor, session, no_unit, ours.urn)
        refused(
            access.case_for_actor,
            session,
            Actor(officer.user_id, Role.WITNESS_CARE_OFFICER, force_code=""),
            ours.urn,
        )
        for role in (Role.SUPPORT_WORKER, Role.ADMIN):
            refused(access.case_for_actor, session, actor_for(person(session, role), force="01"), ours.urn)
        # A victim's account without a victim record reaches nothing.
        refused(access.case_for_actor, session, Actor(victim.user_id, Role.VICTIM), ours.urn)
        refused(access.own_victim_id, Actor(victim.user_id, Role.VICTIM))
        assert access.is_victim(victim) and not access.is_victim(officer)


def test_an_officer_reaches_the_victims_on_the_units_cases_only(app: Flask) -> None:
    with unit_of_work(app) as session:
        ours, theirs = case_in(session, "01"), case_in(session, "02")
        ann, bob = victim_in(session, ours, "Ann"), victim_in(session, theirs, "Bob")
        add_victim_to_case(session, theirs, ann)  # Ann is on the other force's case too
        officer = actor_for(person(session, Role.WITNESS_CARE_OFFICER, force="01"), force="01")
        assert access.officer_force_code(officer) == "01"
        assert access.victim_for_officer(session, officer, ann.id).id == ann.id
        assert access.officer_victim_ids(session, officer) == [ann.id]
        assert [c.id for c in access.officer_cases_of_victim(session, officer, ann.id)] == [ours.id]
        refused(access.victim_for_officer, session, officer, bob.id)
        victim, case = access.case_of_victim_for_officer(session, officer, ann.id, ours.urn)
        assert (victim.id, case.id) == (ann.id, ours.id)
        refused(access.case_of_victim_for_officer, session, officer, ann.id, theirs.urn)
        cal = victim_in(session, case_in(session, "01"), "Cal")  # on the unit's cases, not this one
        refused(access.case_of_victim_for_officer, session, officer, cal.id, ours.urn)
        worker = actor_for(person(session, Role.SUPPORT_WORKER))
        for someone in (worker, Actor(officer.user_id, Role.WITNESS_CARE_OFFICER, force_code=None)):
            refused(access.officer_force_code, someone)
            refused(access.victim_for_officer, session, someone, ann.id)


def test_an_officer_sees_the_messages_about_the_units_cases(app: Flask) -> None:
    with unit_of_work(app) as session:
        ours, theirs = case_in(session, "01"), case_in(session, "02")
        ann = victim_in(session, ours)
        add_victim_to_case(session, theirs, ann)
        here = create_update(
            session, ours, "suspect-arrested", agency="police", agency_event_id="a-1", announce=False
        )
        there = create_update(
            session, theirs, "suspect-arrested", agency="police", agency_event_id="a-2", announce=False
        )
        create_communication(session, ann.id, update_id=here.id, status="permanent-failure")
        create_communication(session, ann.id, update_id=there.id, status="permanent-failure")
        create_communication(session, ann.id, purpose="invitation", status="delivered")
        officer = actor_for(person(session, Role.WITNESS_CARE_OFFICER, force="01"), force="01")
        seen = access.officer_communications_of_victim(session, officer, ann.id)
        assert sorted((c.purpose, u.id if u else None) for c, _, u in seen) == sorted(
            [("update", here.id), ("invitation", None)]
        )
        failed = access.officer_failed_communications(session, officer, ["permanent-failure"])
        assert [(c.update_id, v.id) for c, _, v in failed] == [(here.id, ann.id)]
        other = actor_for(person(session, Role.WITNESS_CARE_OFFICER, force="03"), force="03")
        refused(access.officer_communications_of_victim, session, other, ann.id)
        assert access.officer_failed_communications(session, other, ["permanent-failure"]) == []


# --- Agency API clients --------------------------------------------------------------------------------


def test_an_api_client_holds_its_forces_cases_or_every_force(app: Flask) -> None:
    police = ApiCaller("c-1", "Exampleshire Police", "police", "01")
    cps = ApiCaller("c-2", "CPS", "cps", None)
    forceless = ApiCaller("c-3", "Police without a force", "police", None)
    assert access.api_client_covers_force(police, "01")
    assert not access.api_client_covers_force(police, "02")
    assert access.api_client_covers_force(cps, "02")
    assert not access.api_client_covers_force(forceless, "01")
    with unit_of_work(app) as session:
        ours, theirs = case_in(session, "01"), case_in(session, "02")
        assert access.case_for_api_client(session, police, ours.urn).id == ours.id
        assert access.case_for_api_client(session, cps, theirs.urn).id == theirs.id
        refused(access.case_for_api_client, session, police, theirs.urn)
        refused(access.case_for_api_client, session, cps, "02ZZ0000026")
        ann = victim_in(session, ours)
        assert access.case_victim_for_api_client(session, ours, ann.id.upper()).victim_id == ann.id
        refused(access.case_victim_for_api_client, session, theirs, ann.id)


# --- Accounts, invitations, delegations ---------------------------------------------------------------


def test_roles_and_accounts(app: Flask) -> None:
    with unit_of_work(app) as session:
        admin = actor_for(person(session, Role.ADMIN))
        officer_user = person(session, Role.WITNESS_CARE_OFFICER, force="01")
        officer = actor_for(officer_user, force="01")
        victim_user = person(session, Role.VICTIM)
        access.require_role(officer, Role.ADMIN, Role.WITNESS_CARE_OFFICER)
        refused(access.require_role, officer, Role.ADMIN, Role.SUPPORT_WORKER)
        refused(access.require_support_worker, officer)
        assert access.staff_user_for_admin(session, admin, officer_user.id).id == officer_user.id
        refused(access.staff_user_for_admin, session, admin, victim_user.id)
        refused(access.staff_user_for_admin, session, officer, officer_user.id)
        assert access.audit_search_email_for_admin(session, admin, officer_user.email) == officer_user.email
        assert (
            access.audit_search_email_for_admin(session, admin, "nobody@example.com") == "nobody@example.com"
        )
        assert access.audit_search_email_for_admin(session, admin, victim_user.email) is None
        refused(access.audit_search_email_for_admin, session, officer, officer_user.email)


def test_a_victims_own_delegations_and_who_gets_copies(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = case_in(session, "01")
        ann, bob = victim_in(session, case, "Ann"), victim_in(session, case, "Bob")
        victim = actor_for(person(session, Role.VICTIM, victim_id=ann.id))
        worker = person(session, Role.SUPPORT_WORKER)
        mine = create_delegation(session, ann.id, worker=worker.id, scopes=[SEE_UPDATES, RECEIVE_COPIES])
        theirs = create_delegation(session, bob.id, worker=worker.id, scopes=[SEE_UPDATES])
        assert access.delegation_for_victim(session, victim, mine.id).id == mine.id
        refused(access.delegation_for_victim, session, victim, theirs.id)
        refused(access.delegation_for_victim, session, victim, theirs.id + 1000)
        now = datetime.now(UTC)
        assert access.copy_recipients(session, ann.id, now) == [(mine, worker)]
        assert access.copy_recipients(session, ann.id) == [(mine, worker)]
        # An organisation's delegation reaches the worker who accepted it while they work there; one that
        # nobody has accepted reaches nobody.
        for_org = create_delegation(
            session, bob.id, organisation=worker.organisation_id, scopes=[RECEIVE_COPIES], accepted=False
        )
        assert access.copy_recipients(session, bob.id, now) == []
        for_org.accepted_at, for_org.accepted_by_user_id = now - timedelta(hours=1), worker.id
        session.flush()
        assert access.copy_recipients(session, bob.id, now) == [(for_org, worker)]
        assert access.copy_recipients(session, ann.id, now + timedelta(days=31)) == []  # ended


# --- The audit trail as an admin sees it ------------------------------------------------------------


def test_pseudonyms_are_stable_tokens_of_the_secret(app: Flask) -> None:
    with app.app_context():
        token = access.victim_pseudonym("victim-1")
        assert re.fullmatch(r"V-[0-9A-F]{8}", token)
        assert access.victim_pseudonym("victim-1") == token != access.victim_pseudonym("victim-2")
        case = access.case_pseudonym("01ab1234526")
        assert re.fullmatch(r"C-[0-9A-F]{8}", case) and case == access.case_pseudonym("01AB1234526")
        assert case[2:] != access.victim_pseudonym("01AB1234526")[2:]  # a case's token is not a victim's
        detail = {
            "urn": " 01AB1234526 ",
            "viewed": "updates on case 01AB1234526 and 02CD7654321",
            "items": ["01AB1234526", {"identity_checked_by": "asked her date of birth"}, 3],
            "count": 2,
            "other": "",
        }
        assert access._detail_for_admin(detail) == {
            "urn": case,
            "viewed": f"updates on case case {case} and case {access.case_pseudonym('02CD7654321')}",
            "items": [f"case {case}", {"identity_checked_by": "(left out: about a victim)"}, 3],
            "count": 2,
            "other": "",
        }
        assert access._detail_for_admin(("01AB1234526",)) == [f"case {case}"]
        assert access._detail_item_for_admin("urn", "") == ""


def test_pseudonyms_stay_the_same_from_one_release_to_the_next(app: Flask) -> None:
    """An incident is followed by its pseudonyms over time: they are HMAC-SHA256 of "victim-pseudonym:"
    and the victim's id (or "case-pseudonym:" and the URN in capitals) under SECRET_KEY, 8 hex digits."""
    with app.app_context():
        key = str(app.config["SECRET_KEY"]).encode()

        def expected(text: str) -> str:
            return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()[:8].upper()

        assert access.victim_pseudonym("victim-1") == "V-" + expected("victim-pseudonym:victim-1")
        assert access.case_pseudonym("01ab1234526") == "C-" + expected("case-pseudonym:01AB1234526")


def test_admins_see_every_victim_in_the_audit_trail_as_a_pseudonym(app: Flask) -> None:
    with unit_of_work(app) as session:
        case = case_in(session, "01")
        ann = victim_in(session, case)
        victim_user = person(session, Role.VICTIM, victim_id=ann.id)
        no_record = person(session, Role.VICTIM)
        officer_user = person(session, Role.WITNESS_CARE_OFFICER, force="01")
        admin = actor_for(person(session, Role.ADMIN))
        at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
        rows = [
            audit.AuditRow(at, "sign-in", "Ann Sample", victim_user.id, ann.id, "r-1", {"urn": case.urn}),
            audit.AuditRow(at, "sign-in", "Someone", no_record.id, None, "r-2", {}),
            audit.AuditRow(at, "case-viewed", "An officer", officer_user.id, ann.id, None, {"n": 1}),
        ]
        shown = access.audit_rows_for_admin(session, admin, rows)
        token = access.victim_pseudonym(ann.id)
        assert [(r.actor_label, r.actor_user_id, r.victim) for r in shown] == [
            (f"Victim {token}", None, token),
            ("A victim", None, None),
            ("An officer", officer_user.id, token),
        ]
        assert shown[0].detail == {"urn": access.case_pseudonym(case.urn)}
        assert (shown[0].at, shown[0].action, shown[0].request_id) == (at, "sign-in", "r-1")
        refused(access.audit_rows_for_admin, session, actor_for(officer_user, force="01"), rows)


def test_an_officer_resolves_a_pseudonym_of_a_victim_on_the_units_cases(app: Flask) -> None:
    with unit_of_work(app) as session:
        ann = victim_in(session, case_in(session, "01"))
        bob = victim_in(session, case_in(session, "02"), "Bob")
        officer = actor_for(person(session, Role.WITNESS_CARE_OFFICER, force="01"), force="01")
        token = access.victim_pseudonym(ann.id)
        for written in (token, token[2:], f"  {token.lower()} "):
            assert access.victim_for_officer_by_pseudonym(session, officer, written).id == ann.id
        for wrong in (access.victim_pseudonym(bob.id), "V-00000000", "V-123", "X-" + token[2:], ""):
            refused(access.victim_for_officer_by_pseudonym, session, officer, wrong)
