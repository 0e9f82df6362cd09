"""The event vocabulary as data: what agencies can tell a victim, the Code timescales, and the wording.

Import from here. The data is split across modules by family (``investigation``, ``prosecution``,
``court``, ``safety`` (warrants, restraining orders, escapes), ``outcome``, ``probation`` (the Victim
Contact Scheme and parole) and ``release`` (urgent release news)); the shapes and the rights live in
``model``, lookups and overrides in ``registry``, and ``describe`` in ``wording``. Pure rules: no Flask app
objects, no database.

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
    CPS_VRR_NO_EVIDENCE,
    PAROLE_RECONSIDERATION,
    PAROLE_VPS,
    POLICE_VRR,
    TOLD,
    UNDULY_LENIENT_SENTENCE,
    VCS_OPT_IN,
    VPS,
    VPS_BEFORE_SENTENCE,
    Agency,
    EventType,
    OfferedRight,
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
    right_clock_start,
    right_kind,
    rights_offered,
)

__all__ = [
    "AGENCY_LABELS",
    "CATEGORIES",
    "CLOCK_STARTS",
    "CPS_VRR",
    "CPS_VRR_NO_EVIDENCE",
    "EVENT_TYPES",
    "PAROLE_RECONSIDERATION",
    "PAROLE_VPS",
    "POLICE_VRR",
    "TOLD",
    "UNDULY_LENIENT_SENTENCE",
    "VCS_OPT_IN",
    "VPS",
    "VPS_BEFORE_SENTENCE",
    "Agency",
    "EventType",
    "MissingDetails",
    "OfferedRight",
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
    "right_clock_start",
    "right_kind",
    "rights_offered",
    "timescale_days",
    "validate_details",
]
