"""Schemas for victims' requests as agencies read and answer them (GET /requests, POST
/requests/{id}/status): reviews of decisions, personal statements and complaints. Part of the one set of
schemas (schemas.py adds them to its components), so they validate calls and document them at once."""

from __future__ import annotations

from typing import Any

from portal.services.agency_api import requests as api_requests

DATE_TIME = {"type": "string", "format": "date-time"}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATE_TIME = {"type": ["string", "null"], "format": "date-time"}
# Free text for the victim: line breaks and tabs allowed, no other control characters (as schemas.py).
MULTI_LINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]*$"


def _words(description: str, max_length: int) -> dict[str, Any]:
    return {
        "type": "string",
        "minLength": 1,
        "maxLength": max_length,
        "pattern": MULTI_LINE,
        "description": description,
    }


def query_schema() -> dict[str, Any]:
    """The query of GET /requests, as the route reads it (limit as a number)."""
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "type": {
                "enum": list(api_requests.REQUEST_KINDS),
                "description": "Only requests of this kind: review, statement or complaint.",
            },
            "since": {
                **DATE_TIME,
                "description": "Only requests changed after this time: the `next_since` of your last call. "
                "URL-encode it (a + in the offset is %2B).",
            },
            "limit": {
                "type": "integer",
                "minimum": 1,
                "maximum": api_requests.MAX_LIMIT,
                "description": f"How many at most (default {api_requests.DEFAULT_LIMIT}).",
            },
        },
    }


def components() -> dict[str, Any]:
    return {
        "RequestsQuery": query_schema(),
        "RequestStatusChange": {
            "type": "object",
            "additionalProperties": False,
            "required": ["status"],
            "properties": {
                "status": {
                    "enum": list(api_requests.AGENCY_STATUSES),
                    "description": "acknowledged (you have it), in-progress (being considered: for a "
                    "review, being reviewed; for a complaint, being investigated) or answered (your "
                    "decision or final response, with `outcome`). Statuses only move forward; any may be "
                    "skipped. Only the victim withdraws a request.",
                },
                "note": _words(
                    "What you want the victim to know with this change, in plain words (shown to them "
                    "on their case).",
                    api_requests.MAX_NOTE,
                ),
                "outcome": _words(
                    "Only with status answered, and required then: your decision or response, in words "
                    "for the victim. For a review it is also shown on the victim's timeline (at most "
                    f"{api_requests.MAX_REVIEW_OUTCOME} characters).",
                    api_requests.MAX_OUTCOME,
                ),
                "decision": {
                    "enum": list(api_requests.REVIEW_DECISIONS),
                    "description": "Only when answering a review, and required then: upheld (the original "
                    "decision was right) or overturned (it was wrong). The victim is told through a "
                    "`vrr-outcome` update on their timeline, in the way they chose, instead of the usual "
                    "notice: do not also send that update through POST /cases/{urn}/updates.",
                },
                "outcome_cy": _words(
                    "The outcome in Welsh, for victims who chose Welsh (optional).", api_requests.MAX_OUTCOME
                ),
            },
            "if": {"properties": {"status": {"const": "answered"}}, "required": ["status"]},
            "then": {"required": ["outcome"]},
            "examples": [{"status": "acknowledged", "note": "We have your request and are looking at it."}],
        },
        "Requests": {
            "type": "object",
            "required": ["requests", "next_since"],
            "properties": {
                "requests": {
                    "type": "array",
                    "items": {"$ref": "#/components/schemas/Request"},
                    "description": "Oldest change first.",
                },
                "next_since": {
                    **NULLABLE_DATE_TIME,
                    "description": "Send as `since` next time to have only what changed after these: the "
                    "time of the last change listed, or your own `since` when nothing was listed.",
                },
                "more": {
                    "type": "boolean",
                    "description": "True when there may be more now: call again with `next_since`.",
                },
            },
        },
        "Request": {
            "type": "object",
            "required": [
                "id",
                "reference",
                "type",
                "status",
                "urn",
                "victim_id",
                "update_id",
                "submitted_at",
                "acknowledge_by",
                "answer_by",
                "answers",
                "history",
            ],
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "reference": {"type": "string", "description": "What the victim quotes, e.g. REV-7K3M-Q9XP."},
                "type": {"enum": list(api_requests.REQUEST_KINDS)},
                "status": {"enum": list(api_requests.REQUEST_STATUSES)},
                "agency": {"type": "string"},
                "urn": {"type": ["string", "null"]},
                "victim_id": {"type": "string", "format": "uuid"},
                "update_id": {
                    "type": ["string", "null"],
                    "description": "The update the request is about (the decision to review, the update "
                    "that offered a statement), if any.",
                },
                "supersedes": {
                    "type": ["string", "null"],
                    "description": "The request this one replaces (a statement updated by the victim).",
                },
                "submitted_at": DATE_TIME,
                "acknowledge_by": {
                    **NULLABLE_DATE,
                    "description": "The last day (UK time) to acknowledge it by, from your published "
                    "targets; null when there is none.",
                },
                "answer_by": {**NULLABLE_DATE, "description": "The last day (UK time) to answer it by."},
                "acknowledged_at": NULLABLE_DATE_TIME,
                "answered_at": NULLABLE_DATE_TIME,
                "updated_at": DATE_TIME,
                "answers": {"type": "object", "description": "What the victim said, by question."},
                "outcome": {"type": ["string", "null"]},
                "outcome_cy": {"type": ["string", "null"]},
                "history": {
                    "type": "array",
                    "description": "Every status, oldest first.",
                    "items": {
                        "type": "object",
                        "required": ["status", "at", "by"],
                        "properties": {
                            "status": {"enum": list(api_requests.REQUEST_STATUSES)},
                            "at": DATE_TIME,
                            "by": {
                                "type": ["string", "null"],
                                "description": "victim, support worker, witness care officer or agency "
                                "system.",
                            },
                            "by_api_client_id": {"type": ["string", "null"]},
                            "note": {"type": ["string", "null"]},
                        },
                    },
                },
            },
        },
    }
