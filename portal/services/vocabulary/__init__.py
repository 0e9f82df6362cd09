"""The event vocabulary as data: what agencies can tell a victim, the Code timescales, and the wording.

Import from here. The data is split across modules by agency (``vocabulary_investigation``,
``vocabulary_prosecution``, ``vocabulary_court``, ``vocabulary_probation``); the shapes live in
``vocabulary_model``, lookups and overrides in ``vocabulary_registry``, and ``describe`` in
``vocabulary_wording``. Pure rules: no Flask app objects, no database.

Every row of DOMAIN.md's event table is here, with rows written "a / b" split into two types. Timescales
marked (unconfirmed) in DOMAIN.md, and "crime-recorded" (whose "without delay" we read as 1 working day),
can be overridden with :func:`parse_overrides`; the Code's confirmed timescales cannot.
"""

from __future__ import annotations

from portal.services.vocabulary.model import (
    AGENCY_LABELS,
    CATEGORIES,
    CLOCK_STARTS,
    CPS_VRR,
    PAROLE_VPS,
    POLICE_VRR,
    VCS_OPT_IN,
    Agency,
    EventType,
    ReviewRight,
    Sentence,
    UnknownEventType,
)
from portal.services.vocabulary.registry import (
    EVENT_TYPES,
    get_event_type,
    parse_overrides,
    timescale_days,
    validate_details,
)
from portal.services.vocabulary.wording import (
    MissingDetails,
    RightWithDate,
    Wording,
    describe,
    format_date,
    format_time,
)

__all__ = [
    "AGENCY_LABELS",
    "CATEGORIES",
    "CLOCK_STARTS",
    "CPS_VRR",
    "EVENT_TYPES",
    "PAROLE_VPS",
    "POLICE_VRR",
    "VCS_OPT_IN",
    "Agency",
    "EventType",
    "MissingDetails",
    "ReviewRight",
    "RightWithDate",
    "Sentence",
    "UnknownEventType",
    "Wording",
    "describe",
    "format_date",
    "format_time",
    "get_event_type",
    "parse_overrides",
    "timescale_days",
    "validate_details",
]
