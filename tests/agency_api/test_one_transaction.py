"""An update call is one transaction: its token's jti, its updates, their messages and the audit event.
A call that fails keeps only its token (still used) and its audit event; replays, even of an update
corrected since, return the first result and send nothing new."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from portal.api import examples
from portal.models import AuditEvent, CaseUpdate, Communication, JwtSeen
from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient
from tests.support.records import count

URN = DEMO_CASE_URN


def _update(event_id: str, code: str = "suspect-interviewed", **extra) -> dict:
    return {
        "event_id": event_id,
        "type": code,
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
        **extra,
    }


def test_a_failed_update_call_keeps_its_token_used_and_its_audit_event_and_nothing_else(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    token = police.token(jti="failing-call")
    updates_before = count(seeded, CaseUpdate)
    refused = police.send_updates(
        URN, _update("POL-TX-1", victim_id="00000000-0000-4000-8000-000000000000"), token=token
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["message"] == "victim_id: is not a victim on this case"
    assert count(seeded, CaseUpdate) == updates_before
    assert count(seeded, JwtSeen, JwtSeen.jti == "failing-call") == 1
    audited = count(
        seeded, AuditEvent, AuditEvent.action == "api.send_updates", AuditEvent.actor_label == "Demo police"
    )
    assert audited == 1
    again = police.send_updates(URN, _update("POL-TX-1"), token=token)
    assert again.status_code == 403
    assert "already been used" in again.json()["errors"][0]["message"]
    assert count(seeded, CaseUpdate) == updates_before


def test_a_replayed_correction_returns_the_correction_and_sends_nothing_new(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    wc = agency("witness_care")
    original = wc.send_updates(URN, examples.update_requests()["witness_care"][1])
    assert original.status_code == 201, original.text
    correction = wc.send_updates(URN, examples.correction_request())
    assert correction.status_code == 201, correction.text
    updates = count(seeded, CaseUpdate)
    messages = count(seeded, Communication, Communication.update_id == correction.json()["id"])
    assert messages > 0
    # The correction again: the update it corrects has been corrected (by it), yet this is a replay.
    again = wc.send_updates(URN, examples.correction_request())
    assert again.status_code == 200, again.text
    assert again.json() == correction.json()
    assert count(seeded, CaseUpdate) == updates
    assert count(seeded, Communication, Communication.update_id == correction.json()["id"]) == messages


def test_a_batch_with_a_replay_and_a_new_update_stores_only_the_new_one(
    seeded: Flask, agency: Callable[[str], AgencyClient]
) -> None:
    police = agency("police")
    first = police.send_updates(URN, _update("POL-TX-2"))
    assert first.status_code == 201
    updates = count(seeded, CaseUpdate)
    messages = count(seeded, Communication, Communication.update_id == first.json()["id"])
    both = police.send_updates(
        URN, {"updates": [_update("POL-TX-2"), _update("POL-TX-3", "suspect-arrested")]}
    )
    assert both.status_code == 201, both.text
    replayed, new = both.json()["updates"]
    assert replayed == first.json()
    assert new["event_id"] == "POL-TX-3"
    assert count(seeded, CaseUpdate) == updates + 1
    assert count(seeded, Communication, Communication.update_id == first.json()["id"]) == messages
    assert count(seeded, Communication, Communication.update_id == new["id"]) == messages
