"""A single update sent through the API (most calls) is stored, announced and checked in a fixed, small
number of statements; the rows it adds besides the update itself (the victim's message, the communication
recording it and the update's quality checks) go to the database together, in one round trip."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from flask import Flask

from portal.services.demo_data import DEMO_CASE_URN
from tests.support.agency_client import AgencyClient
from tests.support.statements import counting

PIPELINE = "-- pipeline"


@contextmanager
def _marking_pipelines(statements: list[str]) -> Iterator[None]:
    """Note in `statements` where each psycopg pipeline starts (PostgreSQL: one round trip for its lot)."""
    pipeline = psycopg.Connection.pipeline

    def _pipeline(connection: psycopg.Connection[Any]) -> Any:
        statements.append(PIPELINE)
        return pipeline(connection)

    psycopg.Connection.pipeline = _pipeline  # type: ignore[method-assign,assignment]  # observed, then called as it was
    try:
        yield
    finally:
        psycopg.Connection.pipeline = pipeline  # type: ignore[method-assign]


def _kind(statement: str) -> str:
    """ "SELECT <table>" (the statement's own FROM, not a subquery's), "INSERT <table>", or its first words."""
    words = statement.split()
    verb = words[0].upper()
    if verb == "INSERT":
        return f"INSERT {words[2]}"
    if verb != "SELECT":
        return " ".join(words[:2]).upper()
    depth = 0
    for at, word in enumerate(words):
        if depth == 0 and word.upper() == "FROM":
            return f"SELECT {words[at + 1]}"
        depth += word.count("(") - word.count(")")
    return "SELECT"


#: What a single update to the demo case runs, in order: the token (its client, its jti), the call's
#: SAVEPOINT, the case with its victims, the update, the victim's preferences with their contact points,
#: whether anyone has a copy of their notifications, then the message, its communication and the update's
#: checks together, the audit event and the SAVEPOINT's release (then COMMIT).
EXPECTED = [
    "SELECT api_client",
    "INSERT api_jwt_seen",
    "SAVEPOINT SA_SAVEPOINT_1",
    "SELECT case_record",
    "INSERT case_update",
    "SELECT victim",
    "SELECT delegation",
    PIPELINE,
    "INSERT outbound_message",
    "INSERT communication",
    "INSERT update_quality_check",
    "INSERT audit_event",
    "RELEASE SAVEPOINT",
]
#: SQLite: the write lock is taken first (cases_data.serialise_case_writes); no pipeline.
EXPECTED_SQLITE = [kind for kind in [*EXPECTED[:4], "UPDATE CASE_RECORD", *EXPECTED[4:]] if kind != PIPELINE]


def test_a_single_update_is_written_in_few_statements_and_its_rows_in_one_round_trip(
    seeded: Flask, agency: Callable[[str], AgencyClient], database_url: str
) -> None:
    police = agency("police")
    body = {
        "event_id": "POL-FEW-1",
        "type": "suspect-interviewed",
        "occurred_at": "2026-11-20T10:00:00Z",
        "received_at": "2026-11-20T11:00:00Z",
    }
    with counting(seeded) as statements, _marking_pipelines(statements):
        answer = police.send_updates(DEMO_CASE_URN, body)
    assert answer.status_code == 201, answer.text
    kinds = [_kind(s) if s != PIPELINE else PIPELINE for s in statements]
    assert kinds == (EXPECTED if database_url.startswith("postgresql") else EXPECTED_SQLITE)
