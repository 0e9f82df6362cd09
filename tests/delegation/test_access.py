"""SECURITY.md 11 and 12 for support workers: over pairs of workers and victims and every support route that
takes an id, a 404 outside an active grant, and each scope enforced alone (exhaustively: every subset of
the four scopes, every way a delegation can be out of force)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.extensions import db
from portal.services.common import access
from portal.services.common.actors import Actor
from portal.services.common.errors import NotFound
from portal.services.delegation.grants import status_of
from portal.services.delegation.rules import ACTIVE, SCOPES
from tests.support.builders import create_delegation, update_delegation
from tests.support.pages import post_form
from tests.support.records import get_delegation
from tests.support.scenarios import OTHER_VICTIM_URN, make_world, support_routes
from tests.support.signing_in import signed_in

pytestmark = [pytest.mark.security(11), pytest.mark.security(12)]

DEMO_URN = "01YZ1234524"
ALL_SUBSETS = [set(c) for n in range(len(SCOPES) + 1) for c in itertools.combinations(SCOPES, n)]


def _expected(scope: str | None, granted: set[str] | None) -> int:
    if granted is None:
        return 404
    return 200 if scope is None or scope in granted else 404


def test_each_scope_is_enforced_alone_on_every_route(seeded: Flask) -> None:
    world = make_world(seeded)
    delegation = create_delegation(seeded, world.victim, worker=world.worker, scopes=[]).id
    worker = signed_in(seeded, "support@demo.example")
    routes = support_routes(world.victim, DEMO_URN)
    for granted in ALL_SUBSETS:
        update_delegation(seeded, delegation, scopes=sorted(granted))
        for path, scope in routes.items():
            assert worker.get(path).status_code == _expected(scope, granted), (path, granted)
        # Another victim's case, even with every scope for this victim: not theirs to see.
        assert worker.get(f"/support/clients/{world.victim}/cases/{OTHER_VICTIM_URN}").status_code == 404
        client_page = worker.get(f"/support/clients/{world.victim}").get_data(as_text=True)
        assert ("/preferences" in client_page) == ("see-preferences" in granted)
        assert (f"/cases/{DEMO_URN}" in client_page) == ("see-updates" in granted)


def test_pairs_of_workers_and_victims_see_only_their_own_grants(seeded: Flask) -> None:
    world = make_world(seeded)
    # Sam lets the demo worker (by name) do everything; Nia lets the other organisation do everything.
    create_delegation(seeded, world.victim, worker=world.worker)
    create_delegation(seeded, world.other_victim, organisation=world.other_org, worker=None)
    grants = {
        ("support@demo.example", world.victim): True,
        ("support@demo.example", world.other_victim): False,
        ("colleague@demo.example", world.victim): False,  # a grant to a named worker is not for colleagues
        ("colleague@demo.example", world.other_victim): False,
        ("stranger@demo.example", world.victim): False,
        ("stranger@demo.example", world.other_victim): True,  # anyone at the organisation
    }
    urns = {world.victim: DEMO_URN, world.other_victim: OTHER_VICTIM_URN}
    clients = {email: signed_in(seeded, email) for email, _ in grants}
    for (email, victim_id), allowed in grants.items():
        for path, _scope in support_routes(victim_id, urns[victim_id]).items():
            assert clients[email].get(path).status_code == (200 if allowed else 404), (email, path)
        home = clients[email].get("/support").get_data(as_text=True)
        assert (f"/support/clients/{victim_id}" in home) == allowed, (email, victim_id)


def test_delegations_out_of_force_give_404_everywhere(seeded: Flask) -> None:
    world = make_world(seeded)
    now = datetime.now(UTC)
    states = {
        "waiting to be accepted": {"accepted": False},
        "declined": {"accepted": False, "declined_at": now},
        "revoked by the victim": {"revoked_at": now},
        "stepped back": {"stepped_back_at": now},
        "suspended by an officer": {"suspended_at": now, "suspended_reason": "Safeguarding"},
        "past its end date": {"ends_at": now - timedelta(seconds=1)},
        "not started yet": {"starts_at": now + timedelta(days=1)},
        "another organisation's": {"worker": None, "organisation": world.other_org},
    }
    worker = signed_in(seeded, "support@demo.example")
    for name, state in states.items():
        options = {"worker": world.worker, **state}
        delegation = create_delegation(seeded, world.victim, **options).id
        for path in support_routes(world.victim, DEMO_URN):
            assert worker.get(path).status_code == 404, (name, path)
        assert f"/support/clients/{world.victim}" not in worker.get("/support").get_data(as_text=True), name
        update_delegation(seeded, delegation, revoked_at=now)  # out of the way of the next state


def test_only_support_workers_reach_the_support_pages(seeded: Flask) -> None:
    world = make_world(seeded)
    create_delegation(seeded, world.victim, worker=world.worker)
    for email in ("victim@demo.example", "officer@demo.example", "admin@demo.example"):
        client = signed_in(seeded, email)
        for path in ["/support", *support_routes(world.victim, DEMO_URN)]:
            assert client.get(path).status_code == 404, (email, path)
    anonymous = seeded.test_client()
    assert "/sign-in" in anonymous.get(f"/support/clients/{world.victim}").headers["Location"]


def test_invitations_can_be_answered_only_by_the_worker_or_organisation_asked(seeded: Flask) -> None:
    world = make_world(seeded)
    to_worker = create_delegation(seeded, world.victim, worker=world.worker, accepted=False).id
    to_other_org = create_delegation(
        seeded, world.other_victim, organisation=world.other_org, accepted=False
    ).id
    colleague = signed_in(seeded, "colleague@demo.example")
    for delegation in (to_worker, to_other_org):
        for answer in ("accept", "decline"):
            url = f"/support/invitations/{delegation}/{answer}"
            assert post_form(colleague, url, {}, page="/support").status_code == 404
    assert get_delegation(seeded, to_worker).accepted_at is None
    stranger = signed_in(seeded, "stranger@demo.example")
    assert (
        post_form(stranger, f"/support/invitations/{to_other_org}/accept", {}, page="/support").status_code
        == 302
    )
    accepted = get_delegation(seeded, to_other_org)
    assert accepted.accepted_by_user_id == world.stranger
    # Answered once: no second answer.
    assert (
        post_form(stranger, f"/support/invitations/{to_other_org}/decline", {}, page="/support").status_code
        == 404
    )


def test_victims_and_officers_reach_only_their_own_delegations(seeded: Flask) -> None:
    world = make_world(seeded)
    sams = create_delegation(seeded, world.victim, worker=world.worker).id
    nias = create_delegation(seeded, world.other_victim, worker=world.worker).id
    nia = signed_in(seeded, "nia@demo.example")
    assert nia.get(f"/people-helping-you/{sams}/stop").status_code == 404
    assert (
        post_form(nia, f"/people-helping-you/{sams}/stop", {}, page="/people-helping-you").status_code == 404
    )
    assert get_delegation(seeded, sams).revoked_at is None
    assert nia.get(f"/people-helping-you/{nias}/stop").status_code == 200
    assert nia.get("/people-helping-you/999999/stop").status_code == 404
    # The officer of unit 01 sees both victims; a delegation id under the wrong victim is a 404.
    officer = signed_in(seeded, "officer@demo.example")
    assert officer.get(f"/staff/victims/{world.victim}/delegations/{nias}/stop").status_code == 404
    assert officer.get(f"/staff/victims/{world.victim}/delegations/{sams}/stop").status_code == 200
    # Support workers and victims never reach the officer pages.
    for client in (nia, signed_in(seeded, "support@demo.example")):
        assert client.get(f"/staff/victims/{world.victim}/delegations").status_code == 404
        assert client.get("/staff/delegations").status_code == 404


# --- The rule in one place: the database query and the status agree on every timeline -------------

_moments = st.one_of(st.none(), st.integers(min_value=-5, max_value=5))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    accepted=_moments,
    starts=st.integers(min_value=-5, max_value=5),
    ends=st.integers(min_value=-5, max_value=5),
    revoked=_moments,
    stepped_back=_moments,
    suspended=_moments,
    declined=_moments,
    scopes=st.sets(st.sampled_from(SCOPES)),
    asked=st.one_of(st.none(), st.sampled_from(SCOPES)),
)
def test_access_matches_the_status_for_any_timestamps(
    app: Flask,
    accepted: int | None,
    starts: int,
    ends: int,
    revoked: int | None,
    stepped_back: int | None,
    suspended: int | None,
    declined: int | None,
    scopes: set[str],
    asked: str | None,
) -> None:
    """Whatever the timestamps, a worker gets the delegation exactly when its status is active and it
    holds the scope asked for."""
    from sqlalchemy import delete

    from portal.models import Delegation, User, Victim

    now = datetime.now(UTC)

    def at(hours: int | None) -> datetime | None:
        return None if hours is None else now + timedelta(hours=hours)

    with app.app_context(), db.job() as session:
        session.execute(delete(Delegation))
        victim = session.get(Victim, "prop-victim") or Victim(
            id="prop-victim", given_name="P", family_name="Q"
        )
        session.merge(victim)
        worker = session.get(User, 900001) or User(
            id=900001, email="prop@example.com", display_name="Prop", role="support_worker"
        )
        session.merge(worker)
        session.flush()
        delegation = Delegation(
            victim_id="prop-victim",
            grantee_user_id=900001,
            scopes=sorted(scopes),
            starts_at=at(starts),
            ends_at=at(ends),
            granted_by_label="Test",
            source="victim online",
            accepted_at=at(accepted),
            revoked_at=at(revoked),
            stepped_back_at=at(stepped_back),
            suspended_at=at(suspended),
            declined_at=at(declined),
        )
        session.add(delegation)
        session.flush()
        actor = Actor(user_id=900001, role="support_worker", label="Prop")
        expected = status_of(delegation, now) == ACTIVE and (asked is None or asked in scopes)
        try:
            access.delegation_for_worker(session, actor, "prop-victim", asked)
            found = True
        except NotFound:
            found = False
        assert found == expected
