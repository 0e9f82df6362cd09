"""Where things stand in a victim's case, kept between the victim's views of the case page.

Working the standing out reads every update of the case and every time the victim was told of each, and
on a long case that was about a quarter of the page's CPU on every view, though it changes only when something
happens. So the victim's own case page keeps what it worked out (`portal.models.CaseStanding`) with the
counts of updates by source, and uses the kept copy while both of these hold:

- its revision is the victim-and-case pair's revision now. The database's triggers (migration 0028) raise
  that revision whenever an update, a seen record, a delivered message, a recorded contact or the case's
  reported date changes, whichever code changes it, and delete the pair's kept copies then (so nothing
  erased from an update stays kept). The revision is read before anything the copy is worked out from,
  so a copy is never kept at a revision newer than what it saw;
- the time now is before its `good_until`: the standing depends on the time only through London's date
  (rights' last days, custody dates, entitlements) and whether the next hearing has passed, so it holds
  until London's next midnight or the next hearing, whichever comes first (`good_until`).

With the standing are kept the counts of the case's updates by source and when the victim was told of
each update (from which the dates of rights on the timeline's entries run): the triggers follow every
change to a told time too. The named contacts are never kept: they are read on every view, as before.
Nothing is kept in the web process: a copy lives in the database, with the victim's other data, and goes
with it.

Kept per locale, as the rights and entitlements are worded in the victim's language.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from flask_babel.speaklater import LazyString

from portal.services.cases import entitlements as case_entitlements
from portal.services.cases import standing
from portal.services.vocabulary import deadlines

#: The types a kept standing is made of, by name (the payload names each object's type).
_TYPES: dict[str, type] = {
    kind.__name__: kind
    for kind in (
        standing.Standing,
        standing.Hearing,
        standing.OpenRight,
        standing.RestrainingOrder,
        case_entitlements.Entitlement,
    )
}


def good_until(found: standing.Standing, now: datetime) -> datetime:
    """How long a standing worked out at `now` holds, if nothing it was worked out from changes: until
    London's next midnight, or the next hearing (when it passes it is no longer the next), whichever is
    first."""
    tomorrow = deadlines.london_date(now) + timedelta(days=1)
    midnight = datetime.combine(tomorrow, time.min, tzinfo=deadlines.LONDON).astimezone(UTC)
    hearing = found.next_hearing
    if hearing is not None and hearing.at < midnight:
        return hearing.at.astimezone(UTC)
    return midnight


def _encoded(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"~datetime": value.isoformat()}
    if isinstance(value, date):
        return {"~date": value.isoformat()}
    if isinstance(value, tuple | list):
        return [_encoded(item) for item in value]
    if is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _TYPES.get(name) is not type(value):
            raise TypeError(f"not a kept type: {name}")
        return {
            "~type": name,
            **{field.name: _encoded(getattr(value, field.name)) for field in fields(value)},
        }
    if isinstance(value, LazyString):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _encoded(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def _decoded(found: dict[str, Any]) -> Any:
    if "~datetime" in found:
        return datetime.fromisoformat(found["~datetime"])
    if "~date" in found:
        return date.fromisoformat(found["~date"])
    name = found.pop("~type", None)
    if name is None:
        return found
    return _TYPES[name](
        **{key: tuple(item) if isinstance(item, list) else item for key, item in found.items()}
    )


class Kept(NamedTuple):
    """What a kept copy holds: the standing without the named contacts, the counts of the case's updates
    by source, and when the victim was told of each update they have been told of (update id -> when)."""

    standing: standing.Standing
    counts: dict[str, int]
    told: dict[str, datetime]


def payload(found: standing.Standing, counts: Mapping[str, int], told: Mapping[str, datetime]) -> str:
    """What is kept (`Kept`), as text."""
    return json.dumps(
        {
            "standing": _encoded(replace(found, contacts=())),
            "counts": dict(counts),
            "told": {update_id: at.isoformat() for update_id, at in told.items()},
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def from_payload(kept: str) -> Kept | None:
    """What `payload` kept; None for a copy kept before the told times were (worked out afresh then)."""
    found = json.loads(kept, object_hook=_decoded)
    if "told" not in found:
        return None
    told = {update_id: datetime.fromisoformat(at) for update_id, at in found["told"].items()}
    return Kept(found["standing"], found["counts"], told)
