"""An agency's own words among an update's details: the free-text details (a reason, a summary of the
verdict, bail conditions...) that agencies send in English only. A Welsh page or message shows them as
sent, and says plainly that they were sent in English only (pages mark them `lang="en"`).

Free text is every detail that is a string, or a list of strings, with no format and no fixed choices.
Names, phone numbers, references and addresses (NOT_WORDS) are not words in a language and are not
flagged. Pure rules: nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from portal.services.vocabulary.registry import get_event_type

#: Free-text details that name a person, place or organisation, or give a number or reference: shown as
#: sent, in any language, with nothing said.
NOT_WORDS = frozenset(
    {
        "officer_name",
        "officer_contact",
        "vlo_name",
        "vlo_contact",
        "crime_reference",
        "court_name",
        "court_address",
        "service_name",
        "service_phone",
    }
)


def _is_free_text(spec: Mapping[str, Any]) -> bool:
    if "format" in spec or "enum" in spec:
        return False
    if spec.get("type") == "string":
        return True
    return spec.get("type") == "array" and spec.get("items", {}).get("type") == "string"


def word_keys(event_code: str) -> tuple[str, ...]:
    """The details of this event type that are an agency's own words (in the order of its schema)."""
    properties = get_event_type(event_code).details_schema.get("properties", {})
    return tuple(key for key, spec in properties.items() if key not in NOT_WORDS and _is_free_text(spec))


def _as_worded(value: str) -> str:
    """A value as the wording shows it (vocabulary/wording.py): spaces squeezed, no final full stop."""
    return " ".join(value.split()).rstrip(".").strip()


def english_words(event_code: str, details: Mapping[str, Any]) -> tuple[str, ...]:
    """The agency's own words among `details`, each as the update's wording shows it (each item of a
    list on its own), longest first. Empty for an unknown event type."""
    try:
        keys = word_keys(event_code)
    except LookupError:
        return ()
    found: list[str] = []
    for key in keys:
        value = details.get(key)
        items = value if isinstance(value, list | tuple) else [value]
        found.extend(_as_worded(item) for item in items if isinstance(item, str) and item.strip())
    return tuple(sorted(dict.fromkeys(word for word in found if word), key=len, reverse=True))


def shown_in(words: Iterable[str], *texts: str | None) -> tuple[str, ...]:
    """Those of `words` that appear in any of `texts` (what a reader actually sees)."""
    return tuple(word for word in words if any(text and word in text for text in texts))
