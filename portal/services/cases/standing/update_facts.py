"""What the standing reads of each update (`UpdateFact`) and of each named contact (`ContactLike`),
the readers of an update's details, and the order updates are read in (`_in_order`): oldest first,
never depending on the order they are given in."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any, NamedTuple, Protocol


class UpdateFact(NamedTuple):
    """What the standing needs of one update. `told_at`: when the victim was told of it, if they were. A
    named tuple, made once per update of the case on every case page."""

    event_type: str
    details: Mapping[str, Any]
    occurred_at: datetime
    received_at: datetime
    told_at: datetime | None = None


class ContactLike(Protocol):
    """A named contact as `portal.services.cases.contacts.NamedContact` gives it."""

    @property
    def role(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def when_to_reach(self) -> str | None: ...
    @property
    def updated_at(self) -> datetime: ...


# --- Reading details -------------------------------------------------------------------------------


def _datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value), datetime.min.time())
        except ValueError:
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _date(value: Any) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _texts(value: Any) -> tuple[str, ...] | None:
    """A list of plain-English items (conditions, terms), or None when the detail is not given."""
    if not isinstance(value, list | tuple):
        return None
    return tuple(" ".join(str(item).split()) for item in value if str(item).strip())


def _text(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _in_order(updates: Iterable[UpdateFact]) -> list[UpdateFact]:
    """Oldest first: by when it happened, then when the agency had it (a later correction wins), then by
    content, so that the order they were given in never matters. The content (the details, as JSON, and
    when the victim was told) is worked out only for updates that tie on the rest: few ever do."""
    facts = list(updates)
    ties = Counter((fact.occurred_at, fact.received_at, fact.event_type) for fact in facts)

    def key(fact: UpdateFact) -> tuple[Any, ...]:
        head = (fact.occurred_at, fact.received_at, fact.event_type)
        if ties[head] == 1:  # nothing else shares this head: what follows it is never compared
            return head
        told = fact.told_at
        return (
            *head,
            json.dumps(dict(fact.details), sort_keys=True, default=str),
            told is not None,
            told or fact.occurred_at,
        )

    return sorted(facts, key=key)
