"""Schemas for the court needs change feed (GET /court-needs/changes): each change to a victim's dates to
avoid and needs at court, as witness care's and the CPS's systems poll for them. Part of the one set of
schemas (schemas.py adds them to its components), so they validate calls and document them at once."""

from __future__ import annotations

from typing import Any

from portal.services.agency_api import court_needs as api_court_needs

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
NULLABLE_TEXT = {"type": ["string", "null"]}


def query_schema() -> dict[str, Any]:
    """The query of GET /court-needs/changes, as the route reads it (limit as a number)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "since": {
                **DATE_TIME,
                "description": "Only changes made after this time: the `next_since` of your last call. "
                "URL-encode it (a + in the offset is %2B).",
            },
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": api_court_needs.MAX_LIMIT,
                "description": f"How many at most (default {api_court_needs.DEFAULT_LIMIT}).",
            },
        },
    }


def components() -> dict[str, Any]:
    return {
        "CourtNeedsChangesQuery": query_schema(),
        "CourtNeedsChanges": {
            "type": "object",
            "required": ["changes", "next_since", "more"],
            "properties": {
                "changes": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/CourtNeedsChange"},
                    "description": "Oldest change first.",
                },
                "next_since": {
                    **NULLABLE_DATE_TIME,
                    "description": "Send as `since` next time to have only the changes made after these: "
                    "the time of the last change listed, or your own `since` when nothing was listed.",
                },
                "more": {
                    "type": "boolean",
                    "description": "True when there may be more now: call again with `next_since`.",
                },
            },
        },
        "CourtNeedsChange": {
            "type": "object",
            "required": [
                "urn",
                "victim_id",
                "version",
                "changed_fields",
                "changed_by",
                "changed_at",
                "court",
            ],
            "properties": {
                "urn": {"type": "string"},
                "victim_id": {"type": "string", "format": "uuid"},
                "version": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "1, 2, 3 ... for this victim and case: the `court.version` of GET "
                    ".../preferences once this is the latest.",
                },
                "changed_fields": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "What this change altered: `dates`, each need added or removed, and "
                    "`interpreter_language`, `access_needs` or `anything_else`.",
                },
                "changed_by": {
                    "type": "object",
                    "required": ["role", "label", "source"],
                    "properties": {
                        "role": {
                            "type": ["string", "null"],
                            "enum": [*api_court_needs.ROLES, None],
                            "description": "victim, support_worker or witness_care_officer.",
                        },
                        "label": {
                            "type": "string",
                            "description": "The name the change was recorded under (never anyone's "
                            "contact details).",
                        },
                        "source": {
                            "enum": list(api_court_needs.SOURCES),
                            "description": "How it was given: online by the victim, by phone to an "
                            "officer, or through a support worker.",
                        },
                    },
                },
                "changed_at": DATE_TIME,
                "court": {
                    "type": "object",
                    "description": "The record as it stands after this change.",
                    "required": ["dates", "needs"],
                    "properties": {
                        "dates": {
                            "type": "array",
                            "description": "Dates the victim cannot go to court, earliest first.",
                            "items": {
                                "type": "object",
                                "required": ["date", "part", "reason"],
                                "properties": {
                                    "date": {"type": "string", "format": "date"},
                                    "part": {"enum": list(api_court_needs.PARTS)},
                                    "reason": {"enum": list(api_court_needs.REASONS)},
                                },
                            },
                        },
                        "needs": {
                            "type": "array",
                            "items": {"enum": list(api_court_needs.NEEDS)},
                            "description": "Help they need at court.",
                        },
                        "interpreter_language": NULLABLE_TEXT,
                        "access_needs": NULLABLE_TEXT,
                        "anything_else": NULLABLE_TEXT,
                    },
                },
            },
        },
    }


#: What a change looks like in the reference (the demo data has none until the demo victim, or the demo
#: officer for them, saves dates to avoid or needs at court for the demo case).
CHANGES_EXAMPLE: dict[str, Any] = {
    "changes": [
        {
            "urn": "01YZ1234524",
            "victim_id": "7d4c2b1a-5e6f-4a8b-9c0d-1e2f3a4b5c6d",
            "version": 2,
            "changed_fields": ["dates", "screens"],
            "changed_by": {"role": "victim", "label": "Sam Sample", "source": "victim online"},
            "changed_at": "2026-11-27T19:12:04Z",
            "court": {
                "dates": [
                    {"date": "2027-02-15", "part": "morning", "reason": "medical"},
                    {"date": "2027-03-01", "part": "day", "reason": "caring"},
                ],
                "needs": ["separate-waiting-area", "screens"],
                "interpreter_language": None,
                "access_needs": None,
                "anything_else": None,
            },
        }
    ],
    "next_since": "2026-11-27T19:12:04Z",
    "more": False,
}
