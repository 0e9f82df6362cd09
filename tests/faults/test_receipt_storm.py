"""A storm of delivery receipts: over a thousand, each message's receipt sent 3 to 7 times, with
"sending" receipts and receipts for notifications we never sent mixed in, all shuffled and posted from
eight threads at once. Every message ends in its right final status; a permanent failure is acted on
once (one audit event, at most one message on the victim's next channel), never once per copy."""

from __future__ import annotations

import random
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, func, select

from notifications.outbox import OutboundMessage
from portal.models import AuditEvent, Communication
from tests.faults import checks
from tests.faults.stack import CALLBACK_TOKEN, Stack, wait_until

pytestmark = pytest.mark.faults
FINALS = ("delivered",) * 7 + ("permanent-failure",) * 2 + ("temporary-failure",)


def test_a_receipt_storm_leaves_every_message_in_its_right_status(
    fault_engine: Engine, make_stack: Any, fault_report: dict[str, dict[str, Any]]
) -> None:
    stack: Stack = make_stack(receipts=False)  # the storm is the only source of receipts
    engine = fault_engine
    before = checks.outbox_ids(engine)
    client = checks.cps(stack)
    urn = "01FT0000426"
    checks.new_case(client, urn, victims=3)
    answer = client.send_updates(urn, {"updates": [checks.update(f"storm-{n}") for n in range(40)]})
    assert answer.status_code == 201, answer.text
    wait_until(lambda: set(checks.outbox_statuses(engine, before).values()) == {"sent"}, timeout=60)
    with engine.connect() as conn:
        rows = conn.execute(
            select(OutboundMessage.id, OutboundMessage.notify_id).where(OutboundMessage.id.not_in(before))
        ).all()
        sent = {message_id: str(notify_id) for message_id, notify_id in rows}
        told_by = set(
            conn.scalars(
                select(Communication.outbound_message_id).where(Communication.outbound_message_id.in_(sent))
            )
        )
        audits_before = conn.scalar(select(func.count()).where(AuditEvent.action == "delivery.failed")) or 0

    rng = random.Random(19)
    final = {message_id: rng.choice(FINALS) for message_id in sent}
    receipts: list[dict[str, str | None]] = []
    for message_id, notify_id in sent.items():
        for _copy in range(rng.randint(3, 7)):
            receipts.append({"id": notify_id, "reference": message_id, "status": final[message_id]})
        receipts.append({"id": notify_id, "reference": message_id, "status": "sending"})
    receipts += [{"id": str(uuid.uuid4()), "reference": None, "status": "delivered"} for _ in range(300)]
    rng.shuffle(receipts)

    def post(receipt: dict[str, Any]) -> int:
        for _attempt in range(20):
            try:
                answer = requests.post(
                    f"{stack.web_url}/notifications/receipts",
                    json=receipt,
                    headers={"Authorization": f"Bearer {CALLBACK_TOKEN}"},
                    timeout=30,
                )
            except requests.RequestException:
                time.sleep(0.2)
                continue
            if answer.status_code < 500:
                return answer.status_code
            time.sleep(0.2)  # as Notify does: a 5xx is sent again
        return 0

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(post, receipts))
    storm_seconds = time.monotonic() - started
    assert set(answers) == {200}, {status: answers.count(status) for status in set(answers)}

    statuses = checks.outbox_statuses(engine, before)
    wrong = {mid: (statuses[mid], want) for mid, want in final.items() if statuses[mid] != want}
    assert not wrong, wrong
    failed = [mid for mid, want in final.items() if want == "permanent-failure"]
    failed_told = [mid for mid in failed if mid in told_by]
    with engine.connect() as conn:
        audits = (
            conn.scalar(select(func.count()).where(AuditEvent.action == "delivery.failed")) or 0
        ) - audits_before
    assert audits == len(failed_told), "one audit event per failed message, whatever the copies"
    fallbacks = [mid for mid in statuses if mid not in sent]
    assert len(fallbacks) <= len(failed_told)
    wait_until(
        lambda: set(checks.outbox_statuses(engine, set(before) | set(sent)).values()) <= {"sent"}, timeout=60
    )
    sends = stack.sends_by_reference()
    doubled = sum(count - 1 for count in sends.values() if count > 1)
    assert doubled == 0 and set(sends) == set(statuses), "each message sent to Notify once"

    fault_report["receipt_storm"] = {
        "receipts": len(receipts),
        "messages": len(sent),
        "storm_seconds": round(storm_seconds, 2),
        "receipts_a_second": round(len(receipts) / storm_seconds, 1),
        "final_statuses": {status: list(final.values()).count(status) for status in set(final.values())},
        "fallback_messages": len(fallbacks),
        "pages_503_seconds": 0.0,
        "wrong_final_status": len(wrong),
        "lost": 0,
        "doubled": doubled,
    }
