"""Issue 16, court needs shared "as a change event": an agency's system polls GET /api/v1/court-needs/changes
over real HTTP with JWTs, on the demo data, and learns of each change to a victim's dates to avoid and
needs at court once, oldest first, with who made it (never a staff person's contact details) and the record
as it stands; pages end between changes, never among changes made at the same instant; police and witness
care see their force's cases only; a bad `since` or `limit` is refused naming the field; every call is
audited; fuzzed with the documented schema, no server error and no undocumented answer. On both
databases."""

# ruff: noqa: F811 (pytest fixtures imported from tests/agency_api/conftest.py are parameters here)

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from flask import Flask
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import AuditEvent, Case, CaseVictim, Role, User
from portal.services.common.actors import Actor
from portal.services.court_needs import records
from portal.services.court_needs.records import CourtNeeds, DateToAvoid
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.agency_api.conftest import agency, api_site, new_client  # noqa: F401 (fixtures)
from tests.agency_api.test_schemathesis import CHECKS, NEGATIVE_EXAMPLES, POSITIVE_EXAMPLES, _fuzz
from tests.court_needs.helpers import days_ahead
from tests.support.agency_client import AgencyClient
from tests.support.demo import OFFICER
from tests.support.scenarios import create_other_unit

PATH = "/api/v1/court-needs/changes"


def _get(client: AgencyClient, **query: Any) -> requests.Response:
    return client.request("GET", PATH, params=query)


def _feed(client: AgencyClient, **query: Any) -> dict[str, Any]:
    response = _get(client, **query)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "application/json"
    return dict(response.json())


def _save(
    app: Flask,
    victim_id: str,
    urn: str,
    *needs: str,
    dates: tuple[DateToAvoid, ...] = (),
    by_officer: bool = False,
    now: datetime | None = None,
) -> int:
    """A new version of the victim's court needs for the case, by the victim online or by the demo officer
    on the phone; returns its version."""
    with app.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == urn))
        assert case is not None
        actor, label, source = None, "Sam Sample", records.SOURCE_VICTIM
        if by_officer:
            officer = session.scalar(select(User).where(User.email == OFFICER))
            assert officer is not None
            label, source = officer.display_name, records.SOURCE_OFFICER
            actor = Actor(user_id=officer.id, role=Role.WITNESS_CARE_OFFICER, force_code="01", label=label)
        saved = records.record(
            session,
            victim_id,
            case.id,
            CourtNeeds(dates=dates, needs=needs),
            actor=actor,
            actor_label=label,
            source=source,
            now=now,
        )
        assert saved.version is not None
        return saved.version


def _keys(changes: list[dict[str, Any]]) -> list[tuple[str, int]]:
    return [(item["urn"], item["version"]) for item in changes]


def test_each_change_appears_once_with_who_made_it_and_the_record(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    witness_care = agency("witness_care")
    assert _feed(witness_care) == {"changes": [], "next_since": None, "more": False}
    day = days_ahead(20)
    _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, "screens", dates=(DateToAvoid(day, "morning", "medical"),))
    first = _feed(witness_care)
    [change] = first["changes"]
    assert change["urn"] == DEMO_CASE_URN and change["victim_id"] == DEMO_VICTIM_ID
    assert change["version"] == 1 and change["changed_fields"] == ["dates", "screens"]
    assert change["changed_by"] == {"role": None, "label": "Sam Sample", "source": "victim online"}
    assert change["court"]["dates"] == [{"date": day.isoformat(), "part": "morning", "reason": "medical"}]
    assert change["court"]["needs"] == ["screens"]
    assert first["next_since"] == change["changed_at"] and first["more"] is False
    # Polling from there: nothing new, and the same `since` back.
    assert _feed(witness_care, since=first["next_since"]) == {
        "changes": [],
        "next_since": first["next_since"],
        "more": False,
    }
    # The officer records a change the victim gave by phone: listed once, by role and name only.
    _save(
        seeded,
        DEMO_VICTIM_ID,
        DEMO_CASE_URN,
        "screens",
        "separate-waiting-area",
        dates=(DateToAvoid(day, "morning", "medical"),),
        by_officer=True,
    )
    response = _get(witness_care, since=first["next_since"])
    assert OFFICER not in response.text  # never a staff person's contact details
    [second] = response.json()["changes"]
    assert second["version"] == 2 and second["changed_fields"] == ["separate-waiting-area"]
    assert second["changed_by"] == {
        "role": "witness_care_officer",
        "label": "Olive Officer",
        "source": "officer by phone",
    }
    assert second["court"]["needs"] == ["separate-waiting-area", "screens"]
    assert _feed(witness_care, since=response.json()["next_since"])["changes"] == []
    # The CPS reads every force's cases: the same two changes, oldest first.
    assert _keys(_feed(agency("cps"))["changes"]) == [(DEMO_CASE_URN, 1), (DEMO_CASE_URN, 2)]


def test_pages_end_between_changes_and_polling_misses_none(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    cps = agency("cps")
    start = datetime.now(UTC)
    needs = ("screens", "live-link", "childcare", "travel-costs")
    # Five versions: the 2nd and 3rd made at the very same instant.
    instants = [
        start,
        start + timedelta(seconds=1),
        start + timedelta(seconds=1),
        start + timedelta(seconds=2),
    ]
    instants.append(start + timedelta(seconds=3))
    for count, when in enumerate(instants, start=1):
        _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, *needs[: count % 4 + 1], now=when)
    pages: list[list[tuple[str, int]]] = []
    since: str | None = None
    while True:
        query: dict[str, Any] = {"limit": 2, **({"since": since} if since else {})}
        payload = _feed(cps, **query)
        pages.append(_keys(payload["changes"]))
        since = payload["next_since"]
        if not payload["more"]:
            break
    urn = DEMO_CASE_URN
    # The first page stops before the two made at once; the next lists both.
    assert pages == [[(urn, 1)], [(urn, 2), (urn, 3)], [(urn, 4), (urn, 5)]]
    assert since == (start + timedelta(seconds=3)).isoformat().replace("+00:00", "Z")


def test_other_forces_changes_are_not_listed_to_police_and_witness_care(
    seeded: Flask, agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    other = create_other_unit(seeded)
    _save(seeded, other["victim_id"], other["urn"], "childcare")
    _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, "screens")
    for name in ("witness_care", "police"):
        assert _keys(_feed(agency(name))["changes"]) == [(DEMO_CASE_URN, 1)], name
    force_02 = new_client("witness_care", force_code="02")
    [theirs] = _feed(force_02)["changes"]
    assert (theirs["urn"], theirs["victim_id"]) == (other["urn"], other["victim_id"])
    for name in ("cps", "probation"):
        assert sorted(_keys(_feed(agency(name))["changes"])) == [(DEMO_CASE_URN, 1), (other["urn"], 1)]


def test_a_victim_no_longer_on_the_case_is_not_listed(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    other = create_other_unit(seeded)
    _save(seeded, other["victim_id"], other["urn"], "childcare")
    with seeded.app_context(), db.job() as session:
        case = session.scalar(select(Case).where(Case.urn == other["urn"]))
        assert case is not None
        session.execute(
            delete(CaseVictim).where(
                CaseVictim.case_id == case.id, CaseVictim.victim_id == other["victim_id"]
            )
        )
    _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, "screens")
    assert _keys(_feed(agency("cps"))["changes"]) == [(DEMO_CASE_URN, 1)]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"since": "yesterday"}, "since: is not a valid date-time"),
        ({"since": "2026-11-01T10:00:00"}, "since: is not a valid date-time"),  # no offset: whose time?
        ({"limit": "0"}, "limit: must be at least 1"),
        ({"limit": "501"}, "limit: must be at most 500"),
        ({"limit": "ten"}, "limit: must be of type integer"),
        ({"since": ["2026-11-01T10:00:00Z", "2026-11-02T10:00:00Z"]}, "since: give it once"),
        ({"type": "review"}, "type: is not a field this accepts (unknown fields are refused)"),
    ],
)
def test_a_bad_query_is_refused_naming_the_field(
    seeded: Flask, agency: Callable[[str], AgencyClient], query: dict[str, Any], message: str
) -> None:
    response = _get(agency("cps"), **query)
    assert response.status_code == 400, response.text
    assert response.json() == {
        "status_code": 400,
        "errors": [{"error": "ValidationError", "message": message}],
    }


def _audit_events(app: Flask) -> list[AuditEvent]:
    with app.app_context(), db.job() as session:
        events = list(
            session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "api.read_court_needs_changes")
                .order_by(AuditEvent.id)
            )
        )
        session.expunge_all()
    return events


def test_every_call_is_audited_with_the_client_and_how_many_changes_it_read(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, "screens")
    witness_care = agency("witness_care")
    assert len(_feed(witness_care)["changes"]) == 1
    assert _get(witness_care, since="soon").status_code == 400
    read, refused = _audit_events(seeded)
    assert read.actor_label == refused.actor_label == "Demo witness care"
    assert read.detail["client_id"] == witness_care.client_id and read.detail["agency"] == "witness_care"
    assert (read.detail["status_code"], read.detail["count"]) == (200, 1)
    assert refused.detail["status_code"] == 400 and "count" not in refused.detail


def test_schemathesis_finds_no_server_error_and_no_broken_response(seeded: Flask, api_site: str) -> None:
    _save(seeded, DEMO_VICTIM_ID, DEMO_CASE_URN, "screens")
    schema = schemathesis.openapi.from_url(f"{api_site}/api/v1/openapi.json")
    operation = schema[PATH]["GET"]
    http = requests.Session()
    _fuzz(api_site, http, operation.as_strategy(GenerationMode.POSITIVE), POSITIVE_EXAMPLES, CHECKS)
    negative = operation.as_strategy(GenerationMode.NEGATIVE)
    _fuzz(api_site, http, negative, NEGATIVE_EXAMPLES, [*CHECKS, negative_data_rejection])
