"""Sending updates: each source's updates reach the victim's timeline with their Code deadline;
replays, batches (all or nothing), corrections and order; bad input named field by field."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from portal.api import examples
from portal.extensions import db
from portal.models import CaseUpdate
from portal.services.demo_data import DEMO_CASE_URN, DEMO_VICTIM_ID
from tests.support.agency_client import AgencyClient
from tests.support.records import count
from tests.support.signing_in import sign_in_with_totp

URN = DEMO_CASE_URN


def _update(event_id: str, code: str = "suspect-interviewed", **extra) -> dict:
    return {
        "event_id": event_id,
        "type": code,
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
        **extra,
    }


def _timeline(client: FlaskClient, source: str | None = None) -> str:
    page = client.get(f"/cases/{URN}" + (f"?source={source}" if source else ""))
    assert page.status_code == 200
    return re.sub(r"\s+", " ", page.get_data(as_text=True))


def test_updates_from_all_four_sources_reach_the_victims_timeline(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    sent = {}
    for name, (_summary, body) in examples.update_requests().items():
        response = agency(name).send_updates(URN, body)
        assert response.status_code == 201, response.text
        stored = response.json()
        assert stored["agency"] == name and stored["event_id"] == body["event_id"]
        sent[name] = stored
    # The Code deadline is computed from received_at (26 November 2026, a Thursday) for an enhanced
    # victim: 1 working day (Friday 27) for every one of these.
    assert {s["code_deadline"] for s in sent.values()} == {"2026-11-27"}
    assert all(s["enhanced"] for s in sent.values())

    sign_in_with_totp(seeded, client, "victim@demo.example")
    everything = _timeline(client)
    for stored in sent.values():
        assert f'id="update-{stored["id"]}"' in everything
    for name, label in (
        ("police", "Police"),
        ("cps", "Crown Prosecution Service"),
        ("witness_care", "Witness Care"),
        ("probation", "Probation Service"),
    ):
        filtered = _timeline(client, name)
        assert f'id="update-{sent[name]["id"]}"' in filtered
        assert label in filtered


def test_a_replay_returns_the_first_result_and_stores_nothing(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    first = police.send_updates(URN, _update("POL-1"))
    before = count(seeded, CaseUpdate)
    again = police.send_updates(URN, _update("POL-1", message="a different body, same event"))
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert count(seeded, CaseUpdate) == before


def test_event_ids_are_per_agency_and_per_force(
    seeded: Flask, agency: Callable[[str], AgencyClient], new_client: Callable[..., AgencyClient]
) -> None:
    assert agency("police").send_updates(URN, _update("SAME-ID")).status_code == 201
    assert agency("cps").send_updates(URN, _update("SAME-ID", "suspect-charged")).status_code == 201
    # Another force's police may use the same id for its own case without colliding.
    other = new_client("police", force_code="02")
    assert other.put_case("02AB1234525", {"offence": "Theft"}).status_code == 201
    assert other.send_updates("02AB1234525", _update("SAME-ID")).status_code == 201
    # The same agency cannot reuse an id for another case.
    assert agency("police").put_case("01CD7654321", {"offence": "Theft"}).status_code == 201
    reused = agency("police").send_updates("01CD7654321", _update("SAME-ID"))
    assert reused.status_code == 400
    assert "event_id: SAME-ID was already used for another case" in reused.json()["errors"][0]["message"]


def test_a_batch_is_stored_whole_or_not_at_all(seeded: Flask, agency: Callable[[str], AgencyClient]) -> None:
    wc = agency("witness_care")
    batch = examples.batch_request()
    bad = copy.deepcopy(batch)
    bad["updates"].append(
        _update("WCU-BAD-1", "hearing-scheduled", details={"hearing_at": "next Tuesday", "court_name": "X"})
    )
    bad["updates"].append(_update("WCU-BAD-2", "suspect-arrested"))
    before = count(seeded, CaseUpdate)
    refused = wc.send_updates(URN, bad)
    assert refused.status_code == 400
    messages = [e["message"] for e in refused.json()["errors"]]
    assert {e["error"] for e in refused.json()["errors"]} == {"ValidationError"}
    assert "updates[2].details.hearing_at: is not a valid date-time" in messages
    assert any(m.startswith("updates[3].type: witness_care cannot send suspect-arrested") for m in messages)
    assert count(seeded, CaseUpdate) == before  # the two good updates were not kept either

    stored = wc.send_updates(URN, batch)
    assert stored.status_code == 201
    assert [u["event_id"] for u in stored.json()["updates"]] == ["WCU01-2026-000460", "WCU01-2026-000461"]
    assert count(seeded, CaseUpdate) == before + 2
    assert wc.send_updates(URN, batch).status_code == 200  # the whole batch again: a replay


def test_a_correction_replaces_the_earlier_update_and_keeps_it(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    wc = agency("witness_care")
    original = wc.send_updates(URN, examples.update_requests()["witness_care"][1]).json()
    correction = wc.send_updates(URN, examples.correction_request())
    assert correction.status_code == 201, correction.text
    assert correction.json()["supersedes"] == original["event_id"]
    with seeded.app_context(), db.job() as session:
        earlier = session.get(CaseUpdate, original["id"])
        assert earlier is not None and earlier.superseded  # kept, marked as corrected
    sign_in_with_totp(seeded, client, "victim@demo.example")
    page = _timeline(client)
    assert f'id="update-{correction.json()["id"]}"' in page
    assert f'id="update-{original["id"]}"' not in page
    # Correcting it again, or correcting something that is not there, names the problem.
    again = wc.send_updates(URN, {**examples.correction_request(), "event_id": "WCU01-2026-000459"})
    assert "has already been corrected" in again.json()["errors"][0]["message"]
    missing = wc.send_updates(URN, _update("WCU-X", "verdict", supersedes="NOPE"))
    assert missing.json()["errors"][0]["message"].startswith("supersedes: no earlier update from your agency")


def test_out_of_order_updates_are_placed_by_when_they_happened(
    seeded: Flask, client: FlaskClient, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    late = police.send_updates(URN, {**_update("POL-LATE"), "occurred_at": "2026-03-10T09:00:00Z"}).json()
    sign_in_with_totp(seeded, client, "victim@demo.example")
    page = _timeline(client)
    assert re.findall(r'<time datetime="([^"]+)"', page) == sorted(
        re.findall(r'<time datetime="([^"]+)"', page), reverse=True
    )  # updates and the victim's own requests' changes alike, newest first
    placed = re.findall(
        r'class="moj-timeline__item" id="update-([^"]+)".*?<time datetime="([^"]+)"', page, re.S
    )
    items = [update_id for update_id, _at in placed]
    dates = [at for _update_id, at in placed]
    assert len(items) == 17
    # It arrived last but sits where it happened: between the suspect's bail (5 March) and the charge.
    assert dates[items.index(late["id"])] == "2026-03-10T09:00:00+00:00"
    assert items.index(late["id"]) == len(items) - 6


def test_update_for_one_victim_and_its_checks(seeded: Flask, agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    ok = police.send_updates(URN, _update("POL-V1", victim_id=DEMO_VICTIM_ID))
    assert ok.status_code == 201 and ok.json()["victim_id"] == DEMO_VICTIM_ID
    stranger = police.send_updates(URN, _update("POL-V2", victim_id="00000000-0000-4000-8000-000000000000"))
    assert stranger.json()["errors"][0]["message"] == "victim_id: is not a victim on this case"
    future = (datetime.now(UTC) + timedelta(days=2)).isoformat()
    ahead = police.send_updates(URN, {**_update("POL-F"), "received_at": future})
    assert ahead.json()["errors"][0]["message"] == "received_at: must not be in the future"


def test_bad_input_is_named_field_by_field(agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    cases = {
        "unknown field": ({**_update("B1"), "colour": "red"}, "colour: is not a field this accepts"),
        "unknown detail": (
            _update("B2", details={"officer_name": "PC A", "shoe_size": 9}),
            "details.shoe_size: is not a field this accepts",
        ),
        "unknown type": (_update("B3", "suspect-abducted-by-aliens"), "type: must be one of the event types"),
        "missing": ({"event_id": "B4", "type": "suspect-arrested"}, "occurred_at: is required"),
        "bad time": ({**_update("B5"), "occurred_at": "yesterday"}, "occurred_at: is not a valid date-time"),
        "no offset": (
            {**_update("B6"), "occurred_at": "2026-11-20T10:00:00"},
            "occurred_at: is not a valid date-time",
        ),
        "empty batch": ({"updates": []}, "updates: must have between 1 and 100 items"),
    }
    for name, (body, expected) in cases.items():
        response = police.send_updates(URN, body)
        assert response.status_code == 400, name
        messages = [e["message"] for e in response.json()["errors"]]
        assert any(expected in m for m in messages), (name, messages)


def test_malformed_requests_get_json_errors(api_site: str, agency: Callable[[str], AgencyClient]) -> None:
    police = agency("police")
    not_json = police.request(
        "POST", f"/api/v1/cases/{URN}/updates", data="{not json", headers={"Content-Type": "application/json"}
    )
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json()["errors"][0]["message"]
    form = police.request("POST", f"/api/v1/cases/{URN}/updates", data={"a": "b"})
    assert form.status_code == 415 and form.json()["errors"][0]["error"] == "UnsupportedMediaTypeError"
    huge = police.send_updates(URN, {**_update("BIG"), "message": "x" * 300_000})
    assert huge.status_code == 413 and huge.json()["status_code"] == 413
    wrong_method = police.request("DELETE", f"/api/v1/cases/{URN}")
    assert wrong_method.status_code == 405 and wrong_method.headers["Allow"] == "PUT"
    assert wrong_method.json()["errors"][0]["error"] == "MethodNotAllowedError"
    nowhere = police.request("GET", "/api/v2/anything")
    assert nowhere.status_code == 404 and nowhere.headers["Content-Type"].startswith("application/json")
