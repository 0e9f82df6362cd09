"""The communications log an agency reads back: what each victim on a case was told, when, how, whether
it arrived, and whether that met the Victims' Code deadline.

"Told" is the first of: a message about the update delivered to the victim (GOV.UK Notify's receipt),
the victim opening the update in the portal, or an officer recording that they told the victim (by phone,
in person, at court or by a letter delivered by hand: `told_by` is that way, `phone`, `in-person`,
`at-court` or `letter-by-hand`). Messages come from the `communication` table joined to the outbox row
that carried them; reads from `update_seen`; officers' contacts from `recorded_contact`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from portal.data import cases as cases_data
from portal.data import communications as communications_data
from portal.data import recorded_contacts as recorded_contacts_data
from portal.data import updates as updates_data
from portal.models import Case, CaseUpdate
from portal.services import vocabulary
from portal.services.agency_api.ingest import public_event_id
from portal.services.common.actors import ApiCaller
from portal.services.vocabulary import deadlines

DELIVERED = "delivered"


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _met(update: CaseUpdate, told_at: datetime | None, now: datetime) -> bool | None:
    """True/False once it can be known; None while the deadline has not passed and nobody was told yet,
    or when the event has no Code timescale."""
    if update.code_deadline is None:
        return None
    if told_at is not None:
        return deadlines.is_on_time(update.code_deadline, told_at)
    return False if now > deadlines.deadline_end(update.code_deadline) else None


def _title(code: str) -> str:
    try:
        return str(vocabulary.get_event_type(code).title)
    except vocabulary.UnknownEventType:
        return code


def communications_json(session: Session, caller: ApiCaller, case: Case) -> dict[str, Any]:
    now = datetime.now(UTC)
    links = cases_data.case_victims_for_case(session, case.id)
    updates = updates_data.updates_for_case(session, case.id)
    ids = [u.id for u in updates]
    seen = updates_data.seen_times_by_update_and_victim(session, ids)
    messages = communications_data.communications_for_updates(session, ids)
    recorded = recorded_contacts_data.contacts_for_updates(session, ids)
    entries = []
    for link in links:
        for update in updates:
            if update.victim_id not in (None, link.victim_id):
                continue
            deliveries = []
            told: list[tuple[datetime, str]] = []
            for message in messages:
                if message["update_id"] != update.id or message["victim_id"] != link.victim_id:
                    continue
                to_victim = message["recipient_user_id"] is None
                deliveries.append(
                    {
                        "channel": message["channel"],
                        "to": "victim" if to_victim else "support worker",
                        "status": message["status"],
                        "queued_at": _iso(message["created_at"]),
                        "sent_at": _iso(message["sent_at"]),
                        "delivered_at": _iso(message["delivered_at"]),
                    }
                )
                if to_victim and message["status"] == DELIVERED and message["delivered_at"] is not None:
                    arrived = deadlines.told_by_message(message["channel"], message["delivered_at"])
                    told.append((arrived, message["channel"]))
            seen_at = seen.get((update.id, link.victim_id))
            if seen_at is not None:
                deliveries.append(
                    {
                        "channel": "portal",
                        "to": "victim",
                        "status": "read",
                        "queued_at": None,
                        "sent_at": None,
                        "delivered_at": _iso(seen_at),
                    }
                )
                told.append((seen_at, "portal"))
            for contact in recorded:
                if contact.update_id != update.id or contact.victim_id != link.victim_id:
                    continue
                deliveries.append(
                    {
                        "channel": contact.method,
                        "to": "victim",
                        "status": "recorded",
                        "queued_at": None,
                        "sent_at": None,
                        "delivered_at": _iso(contact.told_at),
                    }
                )
                told.append((contact.told_at, contact.method))
            told_at: datetime | None = None
            told_by: str | None = None
            if told:
                told_at, told_by = min(told)
            entries.append(
                {
                    "victim_id": link.victim_id,
                    "update": {
                        "id": update.id,
                        "event_id": public_event_id(update) if update.agency == caller.agency else None,
                        "type": update.event_type,
                        "title": _title(update.event_type),
                        "agency": update.agency,
                        "occurred_at": _iso(update.occurred_at),
                        "received_at": _iso(update.received_at),
                        "code_deadline": update.code_deadline.isoformat() if update.code_deadline else None,
                        "superseded": bool(update.superseded),
                    },
                    "told_at": _iso(told_at),
                    "told_by": told_by,
                    "met_code_deadline": _met(update, told_at, now),
                    "deliveries": deliveries,
                }
            )
    return {"urn": case.urn, "communications": entries}
