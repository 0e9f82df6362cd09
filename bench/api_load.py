"""The agency API under load: updates accepted per second, one per request and in batches.

Each request is prepared as an agency system would send it: a JWT signed with HS256 with that agency's
key (iss = client id, iat = now, a new jti), a new event id, an event type that agency may send, and
details from the type's schema examples. The four agencies take turns, over the force 01 cases. Every
update accepted is validated, stored with its Code deadline and announced: a message for each victim on
the case goes into the outbox in the same transaction. The tokens are made just before each window, as
the portal accepts a token for 30 seconds only.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from bench import profile
from bench.load import LoadResult, run_file
from bench.processes import Service
from bench.seed import BenchData
from portal.services import vocabulary

AGENCIES = ("police", "witness_care", "cps", "probation")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


class RequestMaker:
    """Makes API requests: unique event ids (prefix `tag`), each signed for its agency."""

    def __init__(self, data: BenchData, tag: str) -> None:
        self.data = data
        self.tag = tag
        self.counter = 0
        self.keys = {agency: (key[-73:-37], key[-36:]) for agency, key in data.api_keys.items()}
        self.events: dict[str, list[vocabulary.EventType]] = {agency: [] for agency in AGENCIES}
        for event in vocabulary.EVENT_TYPES.values():
            for agency in event.agencies:
                self.events[str(agency)].append(event)

    def token(self, agency: str) -> str:
        client_id, secret = self.keys[agency]
        claims = {"iss": client_id, "iat": int(time.time()), "jti": str(uuid.uuid4())}
        return jwt.encode(claims, secret, algorithm="HS256")

    def item(self, agency: str, now: datetime) -> dict[str, Any]:
        self.counter += 1
        events = self.events[agency]
        event = events[self.counter % len(events)]
        examples = event.details_schema.get("examples") or [{}]
        return {
            "event_id": f"{self.tag}-{self.counter}",
            "type": event.code,
            "occurred_at": _iso(now - timedelta(hours=2)),
            "received_at": _iso(now - timedelta(hours=1)),
            "details": examples[self.counter % len(examples)],
        }

    def request(
        self, index: int, batch_size: int, urns: list[str] | None = None
    ) -> tuple[str, str, str, Any]:
        """(agency, urn, token, body): one update, or a batch of `batch_size`, all from one agency."""
        agency = AGENCIES[index % len(AGENCIES)]
        targets = urns or self.data.api_urns
        urn = targets[(index // len(AGENCIES)) % len(targets)]
        now = datetime.now(UTC)
        if batch_size == 1:
            body: Any = self.item(agency, now)
        else:
            body = {"updates": [self.item(agency, now) for _ in range(batch_size)]}
        return agency, urn, self.token(agency), body

    def lines(self, count: int, batch_size: int) -> list[str]:
        result = []
        for index in range(count):
            _agency, urn, token, body = self.request(index, batch_size)
            result.append(f"POST\t/api/v1/cases/{urn}/updates\t{token}\t{json.dumps(body)}")
        return result


def measure(
    portal: Service,
    data: BenchData,
    *,
    batch_size: int,
    connections: int,
    window: float,
    warmup: float,
    repeats: int,
    count_updates: Callable[[str], int],
    expected_rps: float,
    database_pids: Callable[[], list[int]] | None = None,
    profile_to: Path | None = None,
) -> dict[str, Any]:
    """Warm up, then `repeats` windows. Each window's accepted updates are counted in the database too.

    `expected_rps` (requests a second) sizes the prepared requests; it is updated from the warm-up.
    """
    tag = f"apibench{batch_size}-{uuid.uuid4().hex[:6]}"
    maker = RequestMaker(data, tag)
    rate = expected_rps

    def window_run(seconds: float) -> LoadResult:
        needed = int(rate * seconds * 2.5) + 4 * connections
        lines = maker.lines(needed, batch_size)
        return run_file(
            portal.url,
            lines,
            server=portal,
            connections=connections,
            seconds=seconds,
            database_pids=database_pids,
        )

    warm = window_run(warmup)
    rate = max(warm.rps, 1.0)
    runs = []
    for _ in range(repeats):
        before = count_updates(tag)
        result = window_run(window)
        stored = count_updates(tag) - before
        rate = max(result.rps, 1.0)
        runs.append(
            {
                **result.as_dict(),
                "updates_per_s": round(result.ok * batch_size / result.seconds, 1) if result.seconds else 0,
                "updates_stored": stored,
            }
        )
    result: dict[str, Any] = {"batch_size": batch_size, "connections": connections, "runs": runs}
    if profile_to is not None:  # one more window, sampled with py-spy, not counted above
        with profile.recording(portal, window, profile_to) as summary:
            window_run(window)
        result["profile"] = summary
    return result
