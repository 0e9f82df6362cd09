"""Anonymised examples for the quality report: what failed and what victims found unclear, with no victim
named. Names of the case's victims and of people in the details, case references, email addresses and
phone numbers are taken out (portal.services.common.redaction), and an example shows only the agency, the
event type and the month."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from portal.data import quality as quality_data
from portal.services.common.redaction import redact_text
from portal.services.quality import elements
from portal.services.quality.report import Item, event_label

#: Details that name people (never shown in an example).
_NAME_DETAILS = ("officer_name", "vlo_name", "service_name")
_URN = re.compile(r"\b\d{2}[A-Z]{2}\d{7}\b")
#: Longest excerpt shown.
EXCERPT = 300


@dataclass(frozen=True)
class Example:
    agency: str
    event: str
    month: str
    failed: tuple[str, ...]  # check labels
    text: str  # the agency's words, or what a victim found unclear, anonymised
    demo: bool


def _names(item: Item, victims: dict[int, list[str]]) -> list[str]:
    names = list(victims.get(item.case_id, []))
    for key in _NAME_DETAILS:
        value = item.details.get(key)
        if isinstance(value, str):
            names.extend(part for part in re.split(r"\s+", value) if len(part) > 2)
    return [item.urn, *names]


def anonymise(text: str, names: Iterable[str]) -> str:
    text = _URN.sub("[case reference]", text)
    for name in sorted({n for n in names if n}, key=len, reverse=True):
        text = re.sub(rf"\b{re.escape(name)}\b", "[name]", text, flags=re.IGNORECASE)
    text = redact_text(text)
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _victims(session: Session, items: Sequence[Item]) -> dict[int, list[str]]:
    return quality_data.victim_names_by_case(session, {i.case_id for i in items})


def failure_examples(session: Session, items: Sequence[Item], limit: int = 5) -> list[Example]:
    """Updates that failed a check, the most failures first, with the agency's words anonymised."""
    failing = [i for i in items if i.checked and not i.all_passed]
    failing.sort(key=lambda i: (-sum(1 for ok in i.checks.values() if not ok), i.month, i.update_id))
    victims = _victims(session, failing[:limit])
    return [
        Example(
            agency=item.agency,
            event=event_label(item.event_type),
            month=item.month,
            failed=tuple(
                str(elements.CHECK_LABELS[c]) for c in elements.CHECKS if item.checks.get(c) is False
            ),
            text=anonymise(" ".join(text for _, text in item.texts), _names(item, victims)),
            demo=item.demo,
        )
        for item in failing[:limit]
    ]


def unclear_examples(session: Session, items: Sequence[Item], limit: int = 5) -> list[Example]:
    """What victims said was unclear, without their names (newest months first)."""
    said = [(item, text) for item in items for clear, text in item.answers if not clear and text]
    said.sort(key=lambda pair: (pair[0].month, pair[0].update_id), reverse=True)
    victims = _victims(session, [item for item, _ in said[:limit]])
    return [
        Example(
            agency=item.agency,
            event=event_label(item.event_type),
            month=item.month,
            failed=(),
            text=anonymise(text, _names(item, victims)),
            demo=item.demo,
        )
        for item, text in said[:limit]
    ]
